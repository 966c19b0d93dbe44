/** DiffAugment (Zhao et al. 2020, "Differentiable Augmentation for Data-Efficient GAN Training"): one draw applied to reals and fakes alike. */
import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../../common/training-config';
import type { Rng } from '../../common/rng';
import { cutoutMask, type Square } from './geometry';

export type DiffAugmentPolicy = TrainingConfig['augment']['diffAugment'][number];

/** The order of the reference code's recommended policy 'color,translation,cutout'. */
const ORDER: readonly DiffAugmentPolicy[] = ['color', 'translation', 'cutout'];

/**
 * The random parameters of one call, per image; a field holds its identity value when its policy
 * did not fire. Plain arrays, so the object can be logged or sent to the UI as JSON.
 */
export interface DiffAugmentParams {
  n: number;
  size: number;
  /** The policies in the order they apply (always color, translation, cutout), without duplicates. */
  policies: DiffAugmentPolicy[];
  /** Added (0 = none). */
  brightness: number[];
  /** Factor around the channel mean (1 = none). */
  saturation: number[];
  /** Factor around the image mean (1 = none). */
  contrast: number[];
  /** Integer shifts: output pixel (x, y) reads input (x + shiftX, y + shiftY), zero outside. */
  shiftX: number[];
  shiftY: number[];
  /** The square set to 0, or null. */
  cutout: (Square | null)[];
}

/**
 * Each listed policy fires per image with probability p (p = 1 is the original DiffAugment; ADA
 * lowers it) and draws the same count of values either way, so p never reshuffles the strengths.
 * Ranges follow the reference code (mit-han-lab/data-efficient-gans, DiffAugment_pytorch.py).
 */
export function sampleDiffAugment(policies: readonly DiffAugmentPolicy[], p: number, n: number, size: number, rng: Rng): DiffAugmentParams {
  if (!(p >= 0 && p <= 1)) throw new Error(`DiffAugment probability must be in [0, 1], got ${p}`);
  const active = ORDER.filter((policy) => policies.includes(policy));
  const out: DiffAugmentParams = { n, size, policies: active, brightness: [], saturation: [], contrast: [], shiftX: [], shiftY: [], cutout: [] };
  const maxShift = Math.floor(size * 0.125 + 0.5);
  const cutSide = Math.floor(size * 0.5 + 0.5);
  for (let i = 0; i < n; i++) {
    let [brightness, saturation, contrast, shiftX, shiftY] = [0, 1, 1, 0, 0];
    let cutout: Square | null = null;
    for (const policy of active) {
      const fires = rng.nextFloat() < p;
      if (policy === 'color') {
        const [b, s, c] = [rng.nextFloat() - 0.5, rng.nextFloat() * 2, rng.nextFloat() + 0.5];
        if (fires) [brightness, saturation, contrast] = [b, s, c];
      } else if (policy === 'translation') {
        const [tx, ty] = [rng.nextInt(2 * maxShift + 1) - maxShift, rng.nextInt(2 * maxShift + 1) - maxShift];
        if (fires) [shiftX, shiftY] = [tx, ty];
      } else {
        // As the reference: offsets in [0, size + 1 − side % 2), the square centred there and clipped.
        const cx = rng.nextInt(size + 1 - (cutSide % 2)) - Math.floor(cutSide / 2);
        const cy = rng.nextInt(size + 1 - (cutSide % 2)) - Math.floor(cutSide / 2);
        if (fires) cutout = { x: cx, y: cy, side: cutSide };
      }
    }
    out.brightness.push(brightness);
    out.saturation.push(saturation);
    out.contrast.push(contrast);
    out.shiftX.push(shiftX);
    out.shiftY.push(shiftY);
    out.cutout.push(cutout);
  }
  return out;
}

function perImage(values: number[]): tf.Tensor4D {
  return tf.tensor4d(values, [values.length, 1, 1, 1]);
}

/** [n, size, size] one-hot rows: row i has its 1 at column i + shift when that is inside, else none (zero fill). */
function shiftMatrices(shifts: readonly number[], size: number): tf.Tensor3D {
  const m = new Float32Array(shifts.length * size * size);
  shifts.forEach((t, img) => {
    for (let i = 0; i < size; i++) if (i + t >= 0 && i + t < size) m[(img * size + i) * size + i + t] = 1;
  });
  return tf.tensor3d(m, [shifts.length, size, size]);
}

/**
 * Translation as two batched matmuls with one-hot shift matrices: differentiable on every backend
 * (gather's gradient needs UnsortedSegmentSum, which tfjs-backend-wasm 4.22 lacks), and exact.
 */
function translate(x: tf.Tensor4D, shiftX: readonly number[], shiftY: readonly number[]): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const rows = tf.reshape(tf.matMul(shiftMatrices(shiftY, h), tf.reshape(x, [n, h, w * c])), [n, h, w, c]);
  const cols = tf.reshape(tf.transpose(rows, [0, 2, 1, 3]), [n, w, h * c]);
  const shifted = tf.reshape<tf.Rank.R4>(tf.matMul(shiftMatrices(shiftX, w), cols), [n, w, h, c]);
  return tf.transpose(shifted, [0, 2, 1, 3]);
}

/**
 * Applies `params` with differentiable ops, so D's gradient reaches G through augmented fakes. The
 * same params on the real and the fake batch give both the same transform. Ops no image fired are
 * skipped; color is written x + (k − 1)·(x − mean), equal to the reference's (x − mean)·k + mean but
 * exact when k = 1.
 */
export function applyDiffAugment(x: tf.Tensor4D, params: DiffAugmentParams): tf.Tensor4D {
  const [n, h, w] = x.shape;
  if (n !== params.n || h !== params.size || w !== params.size) {
    throw new Error(`DiffAugment parameters are for ${params.n} images of ${params.size}×${params.size}, got [${x.shape.join(', ')}]`);
  }
  return tf.tidy(() => {
    let y = x;
    if (params.brightness.some((b) => b !== 0) || params.saturation.some((s) => s !== 1) || params.contrast.some((c) => c !== 1)) {
      y = tf.add(y, perImage(params.brightness));
      y = tf.add(y, tf.mul(tf.sub(y, tf.mean(y, 3, true)), perImage(params.saturation.map((s) => s - 1))));
      y = tf.add(y, tf.mul(tf.sub(y, tf.mean(y, [1, 2, 3], true)), perImage(params.contrast.map((c) => c - 1))));
    }
    if (params.shiftX.some((t) => t !== 0) || params.shiftY.some((t) => t !== 0)) y = translate(y, params.shiftX, params.shiftY);
    if (params.cutout.some((sq) => sq !== null)) y = tf.mul(y, cutoutMask(n, h, w, params.cutout));
    // tidy keeps only the result; when nothing fired, a copy, so the caller may dispose x and the result alike.
    return y === x ? tf.clone(x) : y;
  });
}
