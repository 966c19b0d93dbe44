/** ParamStore (seeded named variables, trainable vs state) and the dense/conv layers' init, spectral state and inference kernel. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { conv, convTranspose, dense, inferenceKernel } from '../../../../src-main/engine/nets/layers';
import { ParamStore, requireVariable } from '../../../../src-main/engine/nets/params';
import { spectralNormalize } from '../../../../src-main/engine/nets/spectral-norm';
import { expectedNormals, maxAbsDiff } from './helpers';

beforeAll(async () => {
  await resolveBackend('wasm');
});

function valuesOf(v: tf.Tensor | undefined): number[] {
  if (v === undefined) throw new Error('missing variable');
  return Array.from(v.dataSync());
}

describe('ParamStore', () => {
  it("draws N(mean, std²) from the stream of 'scope/name' (FNV-1a of the name), so a seed always gives the same weights", () => {
    const store = new ParamStore(42, 'generator');
    expect(Array.from(store.normals('block1/conv1/kernel', [2, 3], 0.5, 2))).toEqual(expectedNormals(42, 'generator', 'block1/conv1/kernel', 6, 0.5, 2));
    // Another scope or name: another stream.
    expect(Array.from(new ParamStore(42, 'discriminator').normals('a', [4], 1))).not.toEqual(Array.from(store.normals('a', [4], 1)));
  });

  it('keeps trainable variables and state apart, refuses a name twice, and requireVariable finds or refuses by name', () => {
    const before = tf.memory().numTensors;
    const store = new ParamStore(1, 'test');
    const w = store.addTrainable('w', [2], Float32Array.from([1, 2]));
    const s = store.addState('s', [1, 2], Float32Array.from([3, 4]));
    expect(w.trainable).toBe(true);
    // State (moving averages, spectral u) must stay out of the optimizer's variable list.
    expect(s.trainable).toBe(false);
    expect(s.shape).toEqual([1, 2]);
    expect([...store.trainable.keys()]).toEqual(['w']);
    expect([...store.state.keys()]).toEqual(['s']);
    expect(() => store.addTrainable('w', [1], Float32Array.from([0]))).toThrow('duplicate variable name w');
    expect(() => store.addState('w', [1], Float32Array.from([0]))).toThrow('duplicate variable name w');
    expect(() => store.addTrainable('s', [1], Float32Array.from([0]))).toThrow('duplicate variable name s');
    expect(requireVariable(store.trainable, 'w')).toBe(w);
    expect(() => requireVariable(store.trainable, 's')).toThrow('no variable named s');
    store.dispose();
    expect(store.trainable.size + store.state.size).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('layer initialization', () => {
  it("'glorot' draws the kernel from N(0, 2 / (fanIn + fanOut)) with a conv's fans k²·in and k²·out", () => {
    const store = new ParamStore(3, 'test');
    conv(store, 'c', 3, 2, 5, 1, { spectral: false, bias: true, std: 'glorot' });
    convTranspose(store, 't', 3, 2, 5, { spectral: false, bias: false, std: 'glorot' });
    dense(store, 'd', 4, 6, { spectral: false, bias: false, std: 0.5 });
    const std = Math.sqrt(2 / (9 * 2 + 9 * 5));
    expect(valuesOf(store.trainable.get('c/kernel'))).toEqual(expectedNormals(3, 'test', 'c/kernel', 9 * 2 * 5, std));
    expect(valuesOf(store.trainable.get('t/kernel'))).toEqual(expectedNormals(3, 'test', 't/kernel', 9 * 2 * 5, std));
    expect(valuesOf(store.trainable.get('d/kernel'))).toEqual(expectedNormals(3, 'test', 'd/kernel', 24, 0.5));
    expect(store.trainable.get('c/bias')?.shape).toEqual([5]);
    expect(valuesOf(store.trainable.get('c/bias'))).toEqual([0, 0, 0, 0, 0]);
    // The transposed kernel is stored [k, k, out, in], as tf.conv2dTranspose takes it.
    expect(store.trainable.get('t/kernel')?.shape).toEqual([3, 3, 5, 2]);
    store.dispose();
  });

  it("a spectral layer's state u starts as the unit vector of its own 'name/u' draw, one entry per output unit", () => {
    const store = new ParamStore(5, 'test');
    const opts = { spectral: true, bias: false, std: 0.1 };
    dense(store, 'd', 4, 3, opts);
    conv(store, 'c', 3, 2, 5, 1, opts);
    convTranspose(store, 't', 4, 6, 2, opts);
    for (const [name, out] of [['d', 3], ['c', 5], ['t', 2]] as const) {
      const start = expectedNormals(5, 'test', `${name}/u`, out, 1);
      const length = Math.hypot(...start);
      const u = store.state.get(`${name}/u`);
      expect(u?.shape).toEqual([1, out]);
      expect(u?.trainable).toBe(false);
      valuesOf(u).forEach((x, i) => expect(x).toBeCloseTo((start[i] ?? Number.NaN) / length, 6));
    }
    store.dispose();
  });
});

describe('inferenceKernel (what export bakes in)', () => {
  it('is W itself without spectral norm, W/σ from the stored u with it, and moves no state', () => {
    const store = new ParamStore(9, 'test');
    dense(store, 'plain', 3, 2, { spectral: false, bias: true, std: 1 });
    conv(store, 'sn', 3, 2, 4, 1, { spectral: true, bias: true, std: 1 });
    const before = tf.memory().numTensors;
    const plain = inferenceKernel(store, 'plain', 'dense');
    expect(Array.from(plain.dataSync())).toEqual(valuesOf(store.trainable.get('plain/kernel')));
    // A copy: disposing it leaves the variable alone.
    expect(plain).not.toBe(store.trainable.get('plain/kernel'));
    const u = store.state.get('sn/u')!;
    const u0 = valuesOf(u);
    const baked = inferenceKernel(store, 'sn', 'conv');
    const expected = spectralNormalize(store.trainable.get('sn/kernel')!, u, 3, false);
    expect(maxAbsDiff(baked.dataSync() as Float32Array, expected.dataSync() as Float32Array)).toBe(0);
    expect(maxAbsDiff(baked.dataSync() as Float32Array, store.trainable.get('sn/kernel')!.dataSync() as Float32Array)).toBeGreaterThan(1e-3);
    expect(valuesOf(u)).toEqual(u0);
    tf.dispose([plain, baked, expected]);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => inferenceKernel(store, 'missing', 'dense')).toThrow('no variable named missing/kernel');
    store.dispose();
  });
});

describe('layer outputs by hand', () => {
  it("dense is x·W + b; a 3×3 conv pads 'same' with zeros; the transposed conv doubles the side", () => {
    const store = new ParamStore(1, 'test');
    const opts = { spectral: false, bias: true, std: 1 };
    const d = dense(store, 'd', 2, 3, opts);
    const c = conv(store, 'c', 3, 1, 1, 1, opts);
    const t = convTranspose(store, 't', 4, 1, 2, opts);
    store.trainable.get('d/kernel')!.assign(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]));
    store.trainable.get('d/bias')!.assign(tf.tensor1d([10, 20, 30]));
    store.trainable.get('c/kernel')!.assign(tf.ones([3, 3, 1, 1]));
    store.trainable.get('c/bias')!.assign(tf.tensor1d([0.5]));
    const [dy, cy, tShape] = tf.tidy(() => [
      Array.from(d(tf.tensor2d([[1, -1]]), true).dataSync()),
      Array.from(c(tf.ones([1, 3, 3, 1]) as tf.Tensor4D, true).dataSync()),
      t(tf.ones([2, 3, 3, 1]) as tf.Tensor4D, true).shape,
    ]);
    // [1, -1]·W = [1 − 4, 2 − 5, 3 − 6].
    expect(dy).toEqual([7, 17, 27]);
    // Each output sums the in-bounds 3×3 neighbourhood of ones: 4 at corners, 6 on edges, 9 inside.
    expect(cy).toEqual([4, 6, 4, 6, 9, 6, 4, 6, 4].map((v) => v + 0.5));
    expect(tShape).toEqual([2, 6, 6, 2]);
    store.dispose();
  });
});
