/** Shared inputs for the penalty tests: three samples, fixed interpolation weights, values by hand. */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../../src-main/common/rng';

export const SHAPE: [number, number, number, number] = [3, 6, 6, 2];
export const PER_SAMPLE = SHAPE[1] * SHAPE[2] * SHAPE[3];
export const EPS = [0.2, 0.5, 0.9];

export function normals(shape: number[], seed: number, scale = 1): Float32Array {
  const values = new Rng(seed).normals(shape.reduce((a, b) => a * b, 1));
  return values.map((v) => v * scale);
}

export function num(t: tf.Tensor): number {
  const v = t.dataSync()[0] ?? Number.NaN;
  t.dispose();
  return v;
}

export const realValues = normals(SHAPE, 1);
export const fakeValues = normals(SHAPE, 2);
/** x̂ = ε·x + (1 − ε)·G(z), by hand. */
export const interpolated = realValues.map((r, i) => {
  const e = EPS[Math.floor(i / PER_SAMPLE)] ?? Number.NaN;
  return e * r + (1 - e) * (fakeValues[i] ?? Number.NaN);
});
export const sampleNorm = (values: Float32Array, i: number): number => Math.hypot(...values.subarray(i * PER_SAMPLE, (i + 1) * PER_SAMPLE));
export const meanOver = (f: (i: number) => number): number => (f(0) + f(1) + f(2)) / 3;

export interface Inputs {
  real: tf.Tensor4D;
  fake: tf.Tensor4D;
  epsilon: tf.Tensor4D;
}
export function inputs(): Inputs {
  return { real: tf.tensor4d(realValues, SHAPE), fake: tf.tensor4d(fakeValues, SHAPE), epsilon: tf.tensor4d(EPS, [3, 1, 1, 1]) };
}
