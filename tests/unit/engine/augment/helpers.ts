/** Shared helpers of the augmentation tests: configs from the real schema, seeded batches, backend runs. */
import { expect } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { TrainingConfig, type TrainingConfigInput } from '../../../../src-main/common/training-config';
import { Rng } from '../../../../src-main/common/rng';
import type { ImageAugment } from '../../../../src-main/engine/augment/classic';

export type AugmentInput = NonNullable<TrainingConfigInput['augment']>;

/** The augment section parsed by the schema, so defaults and bounds are the real ones. */
export function augmentConfig(overrides: AugmentInput = {}): TrainingConfig['augment'] {
  return TrainingConfig.parse({ augment: overrides }).augment;
}

/** Every classic op on with p = 1 and visible strengths. */
export const EVERY_OP: AugmentInput = {
  flip: 0.5,
  rotation: { p: 1, degrees: 20 },
  scale: { p: 1, amount: 0.2 },
  translation: { p: 1, fraction: 0.125 },
  crop: { p: 1, fraction: 0.8 },
  colorJitter: { p: 1, brightness: 0.3, contrast: 0.3, saturation: 0.3 },
  cutout: { p: 1, fraction: 0.25 },
  noise: { p: 1, std: 0.05 },
};

/** A batch of seeded values uniform in [-1, 1). */
export function randomBatch(shape: [number, number, number, number], seed = 1): tf.Tensor4D {
  const rng = new Rng(seed, 9);
  const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => 2 * rng.nextFloat() - 1);
  return tf.tensor4d(values, shape);
}

/** Runs `fn` on a backend inside tidy and returns plain copies of its outputs. */
export async function on(backend: 'wasm' | 'cpu', fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const outs = tf.tidy(fn);
  const values = outs.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(outs);
  return values;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return max;
}

/** Value at (image, row, column, channel) of an NHWC array. */
export function at(values: ArrayLike<number>, shape: readonly number[], n: number, y: number, x: number, c = 0): number {
  const [, h = 0, w = 0, ch = 0] = shape;
  return values[((n * h + y) * w + x) * ch + c] as number;
}

/** The largest value nextFloat can return, 1 − 2⁻³². */
export const MAX_DRAW = 1 - 2 ** -32;

/**
 * An Rng whose nextFloat returns the given values in turn (cycling), so a test knows every draw and
 * can hit a range's ends exactly. Values are multiples of 2⁻³² in [0, 1); `draws` counts them.
 */
export class ScriptedRng extends Rng {
  private script: readonly number[] | undefined;
  draws = 0;

  constructor(floats: readonly number[]) {
    super(0);
    this.script = floats;
  }

  override nextUint32(): number {
    // The base constructor burns draws before the script is set.
    if (this.script === undefined) return 0;
    const f = this.script[this.draws++ % this.script.length] as number;
    return f * 2 ** 32;
  }
}

/** One image's parameters with nothing firing. */
export function still(overrides: Partial<ImageAugment> = {}): ImageAugment {
  return {
    flip: false,
    rotation: 0,
    scale: 1,
    shift: [0, 0],
    crop: { fraction: 1, offset: [0, 0] },
    brightness: 0,
    contrast: 1,
    saturation: 1,
    cutout: null,
    noise: null,
    ...overrides,
  };
}
