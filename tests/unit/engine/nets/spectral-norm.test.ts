/** Spectral normalization: σ(W/σ) ≈ 1 against a plain-JS power iteration, u as state, and the paper's stop-gradient on u and v. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { spectralNormalize, spectralStateSize } from '../../../../src-main/engine/nets/spectral-norm';
import { maxAbsDiff, normals } from './helpers';

beforeAll(async () => {
  await resolveBackend('wasm');
});

/** The [out, rest] unfolding of a kernel, built index by index in plain JS (no tf ops). */
function unfold(values: Float32Array, shape: number[], outAxis: number): number[][] {
  const out = shape[outAxis] ?? 1;
  const rows: number[][] = Array.from({ length: out }, () => []);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  values.forEach((v, flat) => {
    const o = Math.floor(flat / (strides[outAxis] ?? 1)) % out;
    rows[o]?.push(v);
  });
  return rows;
}

/** Top singular value by 2000 power iterations in double precision. */
function topSingularValue(m: number[][]): number {
  const cols = m[0]?.length ?? 0;
  let v = Array.from({ length: cols }, (_, i) => Math.sin(i + 1));
  let sigma = 0;
  for (let it = 0; it < 2000; it++) {
    const u = m.map((row) => row.reduce((acc, x, j) => acc + x * (v[j] ?? 0), 0));
    const w = Array.from({ length: cols }, (_, j) => m.reduce((acc, row, i) => acc + (row[j] ?? 0) * (u[i] ?? 0), 0));
    const norm = Math.hypot(...w);
    v = w.map((x) => x / norm);
    sigma = Math.sqrt(norm);
  }
  return sigma;
}

function unitU(out: number, seed: number): tf.Variable {
  return tf.variable(tf.tidy(() => tf.reshape(tf.div(normals([out], seed), tf.norm(normals([out], seed))), [1, out])), false);
}

describe('spectralNormalize', () => {
  const cases = [
    { label: 'dense [in 5, out 7]', shape: [5, 7], outAxis: 1 },
    { label: 'conv [3,3,4,6]', shape: [3, 3, 4, 6], outAxis: 3 },
    { label: 'transposed conv [4,4,6 out,4 in]', shape: [4, 4, 6, 4], outAxis: 2 },
  ];
  for (const c of cases) {
    it(`${c.label}: after training steps the top singular value of W/σ is 1`, () => {
      const w = normals(c.shape, 3, 0.3);
      const u = unitU(c.shape[c.outAxis] ?? 1, 4);
      expect(topSingularValue(unfold(w.dataSync() as Float32Array, c.shape, c.outAxis))).not.toBeCloseTo(1, 1);
      for (let i = 0; i < 60; i++) tf.dispose(spectralNormalize(w, u, c.outAxis, true));
      const normalized = spectralNormalize(w, u, c.outAxis, false);
      expect(normalized.shape).toEqual(c.shape);
      const sigma = topSingularValue(unfold(normalized.dataSync() as Float32Array, c.shape, c.outAxis));
      expect(Math.abs(sigma - 1)).toBeLessThan(2e-3);
      tf.dispose([w, u, normalized]);
    });
  }

  it('updates u only in training, and both modes give the same W/σ from the same state', () => {
    const w = normals([6, 4], 5);
    const u = unitU(4, 6);
    const u0 = Array.from(u.dataSync());
    const inference = spectralNormalize(w, u, 1, false);
    expect(Array.from(u.dataSync())).toEqual(u0);
    const training = spectralNormalize(w, u, 1, true);
    expect(Array.from(u.dataSync())).not.toEqual(u0);
    expect(tf.max(tf.abs(tf.sub(inference, training))).dataSync()[0]).toBeLessThan(1e-6);
    tf.dispose([w, u, inference, training]);
  });

  it('σ is differentiated with u and v held fixed: ∂⟨R, W/σ⟩/∂W = R/σ − ⟨R, W⟩/σ² · v uᵀ', () => {
    const rest = 5;
    const out = 3;
    const w = normals([rest, out], 8);
    const r = normals([rest, out], 9);
    const u = unitU(out, 10);
    // The same power step in plain JS: v = Wu/|Wu|, u' = Wᵀv/|Wᵀv|, σ = vᵀWu'.
    const W = Array.from({ length: rest }, (_, i) => Array.from(w.dataSync().slice(i * out, (i + 1) * out)));
    const R = Array.from(r.dataSync());
    const u0 = Array.from(u.dataSync());
    const wu = W.map((row) => row.reduce((a, x, j) => a + x * (u0[j] ?? 0), 0));
    const v = wu.map((x) => x / Math.hypot(...wu));
    const wtv = Array.from({ length: out }, (_, j) => W.reduce((a, row, i) => a + (row[j] ?? 0) * (v[i] ?? 0), 0));
    const u1 = wtv.map((x) => x / Math.hypot(...wtv));
    const sigma = Math.hypot(...wtv);
    const rw = W.flat().reduce((a, x, i) => a + x * (R[i] ?? 0), 0);
    const expected = W.flat().map((_, i) => (R[i] ?? 0) / sigma - (rw / sigma ** 2) * (v[Math.floor(i / out)] ?? 0) * (u1[i % out] ?? 0));

    const grad = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(spectralNormalize(x, u, 1, false), r)))(w);
    Array.from(grad.dataSync()).forEach((g, i) => expect(g).toBeCloseTo(expected[i] ?? Number.NaN, 4));
    tf.dispose([w, r, u, grad]);
  });
  it('a 3×2 case by hand: W = [[2,0],[0,1],[0,0]], u = [0.6, 0.8]; one step gives σ = ‖Wᵀv‖ and u\' = Wᵀv/‖Wᵀv‖; converged σ = 2', () => {
    const W = [
      [2, 0],
      [0, 1],
      [0, 0],
    ];
    // Wu = [1.2, 0.8, 0], v = Wu/‖Wu‖; Wᵀv = [2.4, 0.8]/‖Wu‖.
    const wuNorm = Math.hypot(1.2, 0.8);
    const wtv = [2.4 / wuNorm, 0.8 / wuNorm];
    const sigma = Math.hypot(...wtv);
    const w = tf.tensor2d(W);
    const u = tf.variable(tf.tensor2d([[0.6, 0.8]]), false);
    const out = spectralNormalize(w, u, 1, true);
    Array.from(out.dataSync()).forEach((x, i) => expect(x).toBeCloseTo((W.flat()[i] ?? Number.NaN) / sigma, 5));
    Array.from(u.dataSync()).forEach((x, i) => expect(x).toBeCloseTo((wtv[i] ?? Number.NaN) / sigma, 5));
    for (let i = 0; i < 40; i++) tf.dispose(spectralNormalize(w, u, 1, true));
    const converged = spectralNormalize(w, u, 1, false);
    Array.from(converged.dataSync()).forEach((x, i) => expect(x).toBeCloseTo((W.flat()[i] ?? Number.NaN) / 2, 5));
    tf.dispose([w, u, out, converged]);
  });

  it('the out axis may be given from either end, and a transposed layout [out, rest] gives the transposed result', () => {
    const w = normals([3, 2], 12);
    const wt = tf.transpose(w);
    const k = normals([2, 2, 3, 4], 13);
    const start = [0.6, 0.8];
    const run = (x: tf.Tensor, axis: number, uValues = start): Float32Array => {
      const u = tf.variable(tf.tensor2d([uValues]), false);
      const y = spectralNormalize(x, u, axis, false);
      const values = y.dataSync() as Float32Array;
      tf.dispose([u, y]);
      return values;
    };
    const byLast = run(w, 1);
    expect(maxAbsDiff(run(w, -1), byLast)).toBeLessThan(1e-6);
    // [out, rest] with outAxis 0: the same σ, so the same numbers transposed.
    const transposed = tf.tidy(() => tf.transpose(tf.tensor2d(run(wt, 0), [2, 3])).dataSync() as Float32Array);
    expect(maxAbsDiff(transposed, byLast)).toBeLessThan(1e-6);
    const u3 = [0.5, 0.5, 0.5];
    const n3 = Math.hypot(...u3);
    expect(maxAbsDiff(run(k, -2, u3.map((x) => x / n3)), run(k, 2, u3.map((x) => x / n3)))).toBeLessThan(1e-6);
    expect(spectralStateSize([2, 2, 3, 4], 2)).toBe(3);
    expect(spectralStateSize([2, 2, 3, 4], -2)).toBe(3);
    expect(spectralStateSize([5, 7], 0)).toBe(5);
    expect(spectralStateSize([5, 7], -1)).toBe(7);
    tf.dispose([w, wt, k]);
  });
});
