/** Bilinear resampling of an NHWC batch through one affine map per image, and the cutout mask; plain gather and arithmetic. */
import * as tf from '@tensorflow/tfjs';

/**
 * How a source coordinate outside the image is filled. 'reflect' mirrors the image about its edge
 * (… c b a | a b c …), as StyleGAN2-ADA pads, so no artificial border appears for D to learn.
 */
export type FillMode = 'reflect' | 'border' | 'zero';

/** Output pixel (x, y) reads source (a·x + b·y + c, d·x + e·y + f); coordinates are pixel indices. */
export type Affine = readonly [a: number, b: number, c: number, d: number, e: number, f: number];

/** A source index inside [0, n), or -1 for a zero-filled one. */
function fold(i: number, n: number, fill: FillMode): number {
  if (i >= 0 && i < n) return i;
  if (fill === 'zero') return -1;
  if (fill === 'border') return i < 0 ? 0 : n - 1;
  const period = 2 * n;
  const r = ((i % period) + period) % period;
  return r < n ? r : period - 1 - r;
}

/** A coordinate a rounding error from a pixel centre snaps to it, so a 90° turn copies pixels instead of mixing in 1e-16 of a neighbour. */
function snap(v: number): number {
  const r = Math.round(v);
  return Math.abs(v - r) < 1e-6 ? r : v;
}

/**
 * tf.image.transform is not used: with tfjs 4.22 the cpu Transform kernel gave zeros for the second
 * image of a 2-image batch (an in-range map), and wasm's 'reflect' fill disagreed with cpu's, while
 * the UI preview and the trainer may run on different backends. The four bilinear taps are computed here from the maps
 * (cheap: 4 indices and weights per output pixel) and applied with GatherV2, which every backend has.
 * A tap whose weight is zero everywhere (integer shifts, flips) is skipped, and an identity map
 * reproduces its input exactly (v·1 + 0).
 */
export function resampleAffine(x: tf.Tensor4D, maps: readonly Affine[], fill: FillMode): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  if (maps.length !== n) throw new Error(`resampleAffine needs one map per image: ${maps.length} for ${n}`);
  const count = n * h * w;
  const index = [0, 1, 2, 3].map(() => new Int32Array(count));
  const weight = [0, 1, 2, 3].map(() => new Float32Array(count));
  const used = [false, false, false, false];
  let o = 0;
  let base = 0;
  const put = (k: number, tx: number, ty: number, wt: number): void => {
    const ix = fold(tx, w, fill);
    const iy = fold(ty, h, fill);
    if (ix < 0 || iy < 0 || wt === 0) return; // arrays start at index 0, weight 0
    (index[k] as Int32Array)[o] = base + iy * w + ix;
    (weight[k] as Float32Array)[o] = wt;
    used[k] = true;
  };
  for (let img = 0; img < n; img++, base += h * w) {
    const [a, b, cc, d, e, f] = maps[img] as Affine;
    for (let y = 0; y < h; y++) {
      for (let xx = 0; xx < w; xx++, o++) {
        const sx = snap(a * xx + b * y + cc);
        const sy = snap(d * xx + e * y + f);
        const x0 = Math.floor(sx);
        const y0 = Math.floor(sy);
        const fx = sx - x0;
        const fy = sy - y0;
        put(0, x0, y0, (1 - fx) * (1 - fy));
        put(1, x0 + 1, y0, fx * (1 - fy));
        put(2, x0, y0 + 1, (1 - fx) * fy);
        put(3, x0 + 1, y0 + 1, fx * fy);
      }
    }
  }
  return tf.tidy(() => {
    const flat = tf.reshape(x, [count, c]);
    let out: tf.Tensor | null = null;
    for (let k = 0; k < 4; k++) {
      if (!used[k]) continue;
      const taps = tf.gather(flat, tf.tensor1d(index[k] as Int32Array, 'int32'));
      const term = tf.mul(taps, tf.tensor2d(weight[k] as Float32Array, [count, 1]));
      out = out === null ? term : tf.add(out, term);
    }
    // Every tap zero-filled (the image moved wholly outside): the result is all zeros.
    return tf.reshape<tf.Rank.R4>(out ?? tf.zerosLike(flat), [n, h, w, c]);
  });
}

/** A square to zero: top-left corner (it may start outside the image) and side, in pixels. */
export interface Square {
  x: number;
  y: number;
  side: number;
}

/** [n, h, w, 1] of ones with each image's square (clipped to the image) set to 0; null leaves an image whole. */
export function cutoutMask(n: number, h: number, w: number, squares: readonly (Square | null)[]): tf.Tensor4D {
  const mask = new Float32Array(n * h * w).fill(1);
  squares.forEach((sq, img) => {
    if (sq === null) return;
    for (let y = Math.max(0, sq.y); y < Math.min(h, sq.y + sq.side); y++) {
      const row = img * h * w + y * w;
      mask.fill(0, row + Math.max(0, sq.x), row + Math.min(w, sq.x + sq.side));
    }
  });
  return tf.tensor4d(mask, [n, h, w, 1]);
}
