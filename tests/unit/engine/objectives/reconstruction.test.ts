/** The reconstruction term of translation runs against hand-computed values. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { l1Distance } from '../../../../src-main/engine/objectives/reconstruction';

beforeAll(async () => {
  await resolveBackend('wasm');
});

it('is the mean absolute difference over every value, and refuses batches of different shapes', () => {
  const a = tf.tensor4d([0, 0.5, -1, 1], [1, 2, 2, 1]);
  const b = tf.tensor4d([1, 0.5, 1, -1], [1, 2, 2, 1]);
  // (1 + 0 + 2 + 2) / 4
  expect(l1Distance(a, b).dataSync()[0]).toBeCloseTo(1.25, 6);
  expect(() => l1Distance(a, tf.zeros([1, 2, 2, 2]) as tf.Tensor4D)).toThrow(/one shape/);
});
