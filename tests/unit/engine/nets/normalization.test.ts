/** Batch, layer, instance and conditional norm on tensors small enough to check by hand. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { BN_MOMENTUM, NORM_EPS, norm, type NormKind } from '../../../../src-main/engine/nets/normalization';
import { ParamStore } from '../../../../src-main/engine/nets/params';
import { expectedNormals } from './helpers';

beforeAll(async () => {
  await resolveBackend('wasm');
});

/** [N=2, H=1, W=2, C=2]: sample 0 pixels (1,2),(3,6); sample 1 pixels (5,0),(7,4). */
const X = [1, 2, 3, 6, 5, 0, 7, 4];
const xTensor = (): tf.Tensor4D => tf.tensor4d(X, [2, 1, 2, 2]);

/** Builds one norm layer in a fresh store; `run` applies it to X. */
function layerOf(kind: NormKind, numClasses = 0): { store: ParamStore; run: (training: boolean, classes?: tf.Tensor2D) => number[] } {
  const store = new ParamStore(1, 'test');
  const layer = norm(store, 'n', { kind, channels: 2, numClasses, gammaStd: 0 });
  return { store, run: (training, classes) => tf.tidy(() => Array.from(layer(xTensor(), classes ?? null, training).dataSync())) };
}

/** (x − mean) / sqrt(var + eps) over a list of values (biased variance, as the nets use). */
function standardize(values: number[]): number[] {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  return values.map((v) => (v - mean) / Math.sqrt(variance + NORM_EPS));
}

/** Gathers X's entries at `indices`, standardizes them together, scatters back. */
function expectGroups(out: number[], groups: number[][]): void {
  for (const g of groups) {
    const expected = standardize(g.map((i) => X[i] ?? Number.NaN));
    g.forEach((index, j) => expect(out[index]).toBeCloseTo(expected[j] ?? Number.NaN, 4));
  }
}

describe('norm', () => {
  it('batch norm trains on batch statistics per channel and moves the averages with momentum 0.9', () => {
    const { store, run } = layerOf('batch');
    const out = run(true);
    expectGroups(out, [
      [0, 2, 4, 6],
      [1, 3, 5, 7],
    ]);
    // Channel 0 mean 4, variance 5; channel 1 mean 3, variance 5.
    const mean = Array.from(store.state.get('n/movingMean')?.dataSync() ?? []);
    const variance = Array.from(store.state.get('n/movingVariance')?.dataSync() ?? []);
    expect(mean[0]).toBeCloseTo((1 - BN_MOMENTUM) * 4, 5);
    expect(mean[1]).toBeCloseTo((1 - BN_MOMENTUM) * 3, 5);
    expect(variance[0]).toBeCloseTo(BN_MOMENTUM + (1 - BN_MOMENTUM) * 5, 5);
    expect(variance[1]).toBeCloseTo(BN_MOMENTUM + (1 - BN_MOMENTUM) * 5, 5);
    // Inference uses the moving statistics and leaves them alone.
    const inference = run(false);
    expect(inference[0]).toBeCloseTo((1 - 0.4) / Math.sqrt(1.4 + NORM_EPS), 4);
    expect(Array.from(store.state.get('n/movingMean')?.dataSync() ?? [])).toEqual(mean);
    store.dispose();
  });

  it('layer norm standardizes each sample over H, W and C', () => {
    const { store, run } = layerOf('layer');
    const out = run(true);
    expectGroups(out, [
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
    expect(store.state.size).toBe(0);
    store.dispose();
  });

  it('instance norm standardizes each sample and channel over H and W', () => {
    const { store, run } = layerOf('instance');
    const out = run(true);
    expectGroups(out, [
      [0, 2],
      [1, 3],
      [4, 6],
      [5, 7],
    ]);
    store.dispose();
  });

  it('conditional norm scales and shifts each sample by its class row of γ and β', () => {
    const { store, run } = layerOf('layer', 2);
    const classes = tf.tensor2d([0, 1, 1, 0], [2, 2]);
    store.trainable.get('n/gamma')?.assign(tf.tensor2d([1, 1, 2, 3], [2, 2]));
    store.trainable.get('n/beta')?.assign(tf.tensor2d([0, 0, 10, 20], [2, 2]));
    const out = run(true, classes);
    const s0 = standardize([1, 2, 3, 6]);
    const s1 = standardize([5, 0, 7, 4]);
    // Sample 0 is class 1 (γ 2,3; β 10,20); sample 1 is class 0 (γ 1, β 0).
    expect(out[0]).toBeCloseTo(2 * (s0[0] ?? 0) + 10, 4);
    expect(out[1]).toBeCloseTo(3 * (s0[1] ?? 0) + 20, 4);
    expect(out[4]).toBeCloseTo(s1[0] ?? 0, 4);
    tf.dispose(classes);
    store.dispose();
  });

  it("γ starts at exactly 1 with gammaStd 0, else at N(1, gammaStd²) from 'name/gamma''s own draw; β at 0", () => {
    const store = new ParamStore(4, 'test');
    norm(store, 'flat', { kind: 'batch', channels: 3, numClasses: 0, gammaStd: 0 });
    norm(store, 'drawn', { kind: 'instance', channels: 3, numClasses: 2, gammaStd: 0.02 });
    expect(Array.from(store.trainable.get('flat/gamma')?.dataSync() ?? [])).toEqual([1, 1, 1]);
    const drawn = store.trainable.get('drawn/gamma');
    expect(drawn?.shape).toEqual([2, 3]);
    expect(Array.from(drawn?.dataSync() ?? [])).toEqual(expectedNormals(4, 'test', 'drawn/gamma', 6, 0.02, 1));
    expect(Array.from(store.trainable.get('drawn/beta')?.dataSync() ?? [])).toEqual([0, 0, 0, 0, 0, 0]);
    store.dispose();
  });

  it('a conditional norm refuses to run without class labels', () => {
    const { store, run } = layerOf('batch', 3);
    expect(() => run(true)).toThrow('n: conditional norm needs class labels');
    store.dispose();
  });

  it('none is the identity and makes no variables', () => {
    const { store, run } = layerOf('none');
    const out = run(true);
    expect(out).toEqual(X);
    expect(store.trainable.size + store.state.size).toBe(0);
  });
});
