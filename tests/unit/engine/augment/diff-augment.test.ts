/** DiffAugment: the reference's parameter ranges, one draw for reals and fakes, exact moves, and gradients on wasm equal to cpu. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { Rng } from '../../../../src-main/common/rng';
import { applyDiffAugment, sampleDiffAugment, type DiffAugmentParams } from '../../../../src-main/engine/augment/diff-augment';
import { at, MAX_DRAW, maxAbsDiff, on, randomBatch, ScriptedRng } from './helpers';

const ALL = ['color', 'translation', 'cutout'] as const;

/** Parameters for one image with nothing firing. */
function still(size: number, overrides: Partial<DiffAugmentParams> = {}): DiffAugmentParams {
  return { n: 1, size, policies: [...ALL], brightness: [0], saturation: [1], contrast: [1], shiftX: [0], shiftY: [0], cutout: [null], ...overrides };
}

beforeAll(async () => {
  await resolveBackend('wasm');
});

describe('sampleDiffAugment', () => {
  it('draws the reference ranges, every policy firing at p = 1', () => {
    const params = sampleDiffAugment(ALL, 1, 200, 32, new Rng(1));
    expect(params.brightness.every((b) => b >= -0.5 && b < 0.5)).toBe(true);
    expect(params.saturation.every((s) => s >= 0 && s < 2)).toBe(true);
    expect(params.contrast.every((c) => c >= 0.5 && c < 1.5)).toBe(true);
    // 1/8 of 32 is 4 pixels; the cutout square is half the side.
    expect([...params.shiftX, ...params.shiftY].every((t) => Number.isInteger(t) && Math.abs(t) <= 4)).toBe(true);
    expect(new Set(params.shiftX).size).toBe(9);
    expect(params.cutout.every((sq) => sq !== null && sq.side === 16)).toBe(true);
    expect(params.brightness.filter((b) => b === 0)).toHaveLength(0);
  });

  it('fires nothing at p = 0, about p of the time otherwise, and only the listed policies', () => {
    const none = sampleDiffAugment(ALL, 0, 50, 16, new Rng(2));
    expect(none.brightness.every((b) => b === 0) && none.shiftX.every((t) => t === 0) && none.cutout.every((c) => c === null)).toBe(true);
    const some = sampleDiffAugment(['cutout'], 0.3, 2000, 16, new Rng(3));
    expect(Math.abs(some.cutout.filter((c) => c !== null).length / 2000 - 0.3)).toBeLessThan(0.04);
    expect(some.brightness.every((b) => b === 0)).toBe(true);
    expect(some.policies).toEqual(['cutout']);
    expect(() => sampleDiffAugment(ALL, 1.5, 1, 16, new Rng(1))).toThrow();
  });

  it('is determined by the seed', () => {
    expect(sampleDiffAugment(ALL, 0.5, 8, 16, new Rng(4))).toEqual(sampleDiffAugment(ALL, 0.5, 8, 16, new Rng(4)));
    expect(sampleDiffAugment(ALL, 0.5, 8, 16, new Rng(4))).not.toEqual(sampleDiffAugment(ALL, 0.5, 8, 16, new Rng(5)));
  });
});

describe('applyDiffAugment', () => {
  it('applies the same transform to identical real and fake batches; other params give another', () => {
    for (const c of [1, 3]) {
      const reals = randomBatch([6, 16, 16, c], 7);
      const fakes = randomBatch([6, 16, 16, c], 7);
      const params = sampleDiffAugment(ALL, 1, 6, 16, new Rng(8));
      const [a, b] = [applyDiffAugment(reals, params), applyDiffAugment(fakes, params)];
      const other = applyDiffAugment(reals, sampleDiffAugment(ALL, 1, 6, 16, new Rng(9)));
      expect(a.shape).toEqual([6, 16, 16, c]);
      expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBe(0);
      expect(maxAbsDiff(a.dataSync(), other.dataSync())).toBeGreaterThan(0.1);
      tf.dispose([reals, fakes, a, b, other]);
    }
  });

  it('returns the input values when nothing fires', () => {
    const x = randomBatch([4, 16, 16, 3]);
    const y = applyDiffAugment(x, sampleDiffAugment(ALL, 0, 4, 16, new Rng(1)));
    expect(maxAbsDiff(y.dataSync(), x.dataSync())).toBe(0);
    tf.dispose([x, y]);
  });

  it('translates by whole pixels with zero padding: output (x, y) reads input (x + shiftX, y + shiftY)', () => {
    const x = randomBatch([1, 16, 16, 3]);
    const y = applyDiffAugment(x, still(16, { shiftX: [3], shiftY: [-2] }));
    const [xv, yv] = [x.dataSync(), y.dataSync()];
    for (let r = 0; r < 16; r++) {
      for (let c = 0; c < 16; c++) {
        const inside = c + 3 < 16 && r - 2 >= 0;
        for (let ch = 0; ch < 3; ch++) expect(at(yv, y.shape, 0, r, c, ch)).toBe(inside ? at(xv, x.shape, 0, r - 2, c + 3, ch) : 0);
      }
    }
    tf.dispose([x, y]);
  });

  it('sets the cutout square to 0 and applies color as the reference formulas', () => {
    const x = randomBatch([1, 8, 8, 3]);
    const cut = applyDiffAugment(x, still(8, { cutout: [{ x: -2, y: 5, side: 4 }] }));
    const cv = cut.dataSync();
    expect(at(cv, cut.shape, 0, 5, 0, 1)).toBe(0);
    expect(at(cv, cut.shape, 0, 7, 1, 2)).toBe(0);
    expect(at(cv, cut.shape, 0, 4, 0, 0)).toBe(at(x.dataSync(), x.shape, 0, 4, 0, 0));
    const colored = applyDiffAugment(x, still(8, { brightness: [0.25], saturation: [1.5], contrast: [0.7] }));
    const expected = tf.tidy(() => {
      const b = x.add(0.25);
      const s = b.sub(b.mean(3, true)).mul(1.5).add(b.mean(3, true));
      return s.sub(s.mean([1, 2, 3], true)).mul(0.7).add(s.mean([1, 2, 3], true));
    });
    expect(maxAbsDiff(colored.dataSync(), expected.dataSync())).toBeLessThan(1e-5);
    tf.dispose([x, cut, colored, expected]);
  });

  it('passes gradients to the input on wasm, equal to cpu', async () => {
    const params = sampleDiffAugment(ALL, 1, 4, 16, new Rng(12));
    const run = (): tf.Tensor[] => {
      const x = randomBatch([4, 16, 16, 3], 13);
      const weights = randomBatch([4, 16, 16, 3], 14);
      const grad = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(applyDiffAugment(input as tf.Tensor4D, params), weights)));
      return [applyDiffAugment(x, params), grad(x)];
    };
    const [wasmOut, wasmGrad] = (await on('wasm', run)) as [Float32Array, Float32Array];
    const [cpuOut, cpuGrad] = (await on('cpu', run)) as [Float32Array, Float32Array];
    await tf.setBackend('wasm');
    expect(wasmGrad.every(Number.isFinite)).toBe(true);
    expect(wasmGrad.filter((g) => g !== 0).length).toBeGreaterThan(wasmGrad.length / 4);
    expect(maxAbsDiff(wasmOut, cpuOut)).toBeLessThan(1e-5);
    expect(maxAbsDiff(wasmGrad, cpuGrad)).toBeLessThan(1e-4);
  });

  it('supports second order (an R1 penalty through the augmentation): wasm equals cpu', async () => {
    const params = sampleDiffAugment(ALL, 1, 3, 8, new Rng(15));
    const run = (): tf.Tensor[] => {
      const [x, w, v] = [16, 17, 18].map((seed) => randomBatch([3, 8, 8, 3], seed)) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
      const first = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(tf.square(applyDiffAugment(input as tf.Tensor4D, params)), w)));
      const second = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(first(input), v)));
      return [second(x)];
    };
    const [wasm] = (await on('wasm', run)) as [Float32Array];
    const [cpu] = (await on('cpu', run)) as [Float32Array];
    await tf.setBackend('wasm');
    expect(wasm.every(Number.isFinite)).toBe(true);
    expect(wasm.some((g) => g !== 0)).toBe(true);
    expect(maxAbsDiff(wasm, cpu)).toBeLessThan(1e-4);
  });

  it('gives translation alone the exact gradient: the shifted upstream gradient, zero where pixels fell off', async () => {
    const g = tf.tidy(() => {
      const grad = tf.grad((input: tf.Tensor) => tf.sum(applyDiffAugment(input as tf.Tensor4D, still(8, { shiftX: [2] }))));
      return grad(tf.zeros([1, 8, 8, 1]));
    });
    const v = g.dataSync();
    // Output column c reads input column c + 2: input columns 0 and 1 are never read.
    for (let c = 0; c < 8; c++) expect(at(v, g.shape, 0, 3, c)).toBe(c < 2 ? 0 : 1);
    g.dispose();
  });

  it('leaks no tensors, forward or through tf.grad', () => {
    const x = randomBatch([4, 16, 16, 3]);
    const params = sampleDiffAugment(ALL, 1, 4, 16, new Rng(1));
    const grad = tf.grad((input: tf.Tensor) => tf.sum(applyDiffAugment(input as tf.Tensor4D, params)));
    applyDiffAugment(x, params).dispose();
    grad(x).dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      applyDiffAugment(x, params).dispose();
      grad(x).dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('rejects parameters drawn for another batch shape', () => {
    const x = randomBatch([2, 16, 16, 1]);
    expect(() => applyDiffAugment(x, still(16))).toThrow(/1 images of 16×16/);
    x.dispose();
  });
});

describe('sampleDiffAugment draws', () => {
  it('turns each draw into its policy in order: per policy a fire draw, then color 3, translation 2, cutout 2', () => {
    // Size 6: shifts up to round(6/8) = 1 px, an odd cutout side of round(6/2) = 3 whose offset is drawn in [0, 6).
    const rng = new ScriptedRng([0, 0.75, 0.75, 0.25, 0, 0.875, 0.25, 0, 0.75, 0.5]);
    const params = sampleDiffAugment(ALL, 1, 2, 6, rng);
    expect(rng.draws).toBe(20);
    const one = { brightness: 0.25, saturation: 1.5, contrast: 0.75, shiftX: 2 - 1, shiftY: 0 - 1, cutout: { x: 4 - 1, y: 3 - 1, side: 3 } };
    expect(params).toEqual({
      n: 2,
      size: 6,
      policies: [...ALL],
      brightness: [one.brightness, one.brightness],
      saturation: [one.saturation, one.saturation],
      contrast: [one.contrast, one.contrast],
      shiftX: [one.shiftX, one.shiftX],
      shiftY: [one.shiftY, one.shiftY],
      cutout: [one.cutout, one.cutout],
    });
  });

  it('reaches both ends of the reference ranges; the cutout centre anywhere in the image, odd side or even', () => {
    const low = sampleDiffAugment(ALL, 1, 1, 6, new ScriptedRng([0]));
    expect([low.brightness, low.saturation, low.contrast, low.shiftX, low.shiftY]).toEqual([[-0.5], [0], [0.5], [-1], [-1]]);
    expect(low.cutout).toEqual([{ x: -1, y: -1, side: 3 }]);
    const high = sampleDiffAugment(ALL, 1, 1, 6, new ScriptedRng([MAX_DRAW]));
    expect([high.brightness[0], high.saturation[0], high.contrast[0]].map((v) => Math.round((v as number) * 1e6) / 1e6)).toEqual([0.5, 2, 1.5]);
    expect([high.shiftX, high.shiftY]).toEqual([[1], [1]]);
    expect(high.cutout).toEqual([{ x: 5 - 1, y: 5 - 1, side: 3 }]);
    // Size 8: side 4, offsets in [0, 9), so the square's top-left runs from −2 to 6.
    expect(sampleDiffAugment(['cutout'], 1, 1, 8, new ScriptedRng([0])).cutout).toEqual([{ x: -2, y: -2, side: 4 }]);
    expect(sampleDiffAugment(['cutout'], 1, 1, 8, new ScriptedRng([MAX_DRAW])).cutout).toEqual([{ x: 6, y: 6, side: 4 }]);
  });

  it('fires nothing at p = 0 even on a draw of 0, nor on a draw equal to p, and draws as many values', () => {
    for (const [p, draw] of [[0, 0], [0.5, 0.5]] as const) {
      const rng = new ScriptedRng([draw]);
      const params = sampleDiffAugment(ALL, p, 3, 8, rng);
      expect(rng.draws).toBe(30);
      expect(params).toEqual({ ...still(8), n: 3, brightness: [0, 0, 0], saturation: [1, 1, 1], contrast: [1, 1, 1], shiftX: [0, 0, 0], shiftY: [0, 0, 0], cutout: [null, null, null] });
    }
  });

  it('accepts p = 0 and 1 and refuses a probability outside [0, 1] or NaN', () => {
    expect(() => sampleDiffAugment(ALL, 0, 1, 8, new Rng(1))).not.toThrow();
    expect(() => sampleDiffAugment(ALL, 1, 1, 8, new Rng(1))).not.toThrow();
    for (const p of [-0.1, 1.01, Number.NaN]) expect(() => sampleDiffAugment(ALL, p, 1, 8, new Rng(1))).toThrow(`DiffAugment probability must be in [0, 1], got ${p}`);
  });
});

/** Plain-JS DiffAugment color for one image: brightness, saturation around the pixel's channel mean, contrast around the image mean. */
function colorRef(x: ArrayLike<number>, c: number, b: number, s: number, k: number): number[] {
  const y = Array.from(x, (v) => v + b);
  for (let p = 0; p < y.length; p += c) {
    const mean = y.slice(p, p + c).reduce((a, v) => a + v, 0) / c;
    for (let ch = 0; ch < c; ch++) y[p + ch] = mean + ((y[p + ch] as number) - mean) * s;
  }
  const mean = y.reduce((a, v) => a + v, 0) / y.length;
  return y.map((v) => mean + (v - mean) * k);
}

function augmented(x: tf.Tensor4D, params: DiffAugmentParams): Float32Array {
  const y = applyDiffAugment(x, params);
  const out = Float32Array.from(y.dataSync());
  y.dispose();
  return out;
}

describe('applyDiffAugment per op', () => {
  it('applies brightness, saturation and contrast each alone', () => {
    const x = randomBatch([1, 4, 4, 3], 40);
    const xv = x.dataSync();
    for (const [b, s, k] of [[0.3, 1, 1], [0, 0.2, 1], [0, 1, 1.4]] as const) {
      const out = augmented(x, still(4, { brightness: [b], saturation: [s], contrast: [k] }));
      expect(maxAbsDiff(out, colorRef(xv, 3, b, s, k)), `${b} ${s} ${k}`).toBeLessThan(1e-6);
      expect(maxAbsDiff(out, xv)).toBeGreaterThan(0.01);
    }
    x.dispose();
  });

  it('translates along y alone, zero padded', () => {
    const x = randomBatch([1, 4, 4, 1], 41);
    const xv = x.dataSync();
    const out = augmented(x, still(4, { shiftY: [-1] }));
    for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) expect(at(out, x.shape, 0, r, c)).toBe(r === 0 ? 0 : at(xv, x.shape, 0, r - 1, c));
    x.dispose();
  });

  it("shifts each image by its own amount and leaves an unshifted neighbour's pixels exactly", () => {
    const x = randomBatch([2, 4, 4, 1], 42);
    const xv = x.dataSync();
    const out = augmented(x, { ...still(4), n: 2, brightness: [0, 0], saturation: [1, 1], contrast: [1, 1], shiftX: [-1, 0], shiftY: [0, 0], cutout: [null, null] });
    for (let r = 0; r < 4; r++) {
      for (let c = 0; c < 4; c++) {
        expect(at(out, x.shape, 0, r, c)).toBe(c === 0 ? 0 : at(xv, x.shape, 0, r, c - 1));
        expect(at(out, x.shape, 1, r, c)).toBe(at(xv, x.shape, 1, r, c));
      }
    }
    x.dispose();
  });

  it('applies an op that fired for one image of the batch to that image only', () => {
    const x = randomBatch([2, 4, 4, 3], 43);
    const xv = x.dataSync();
    const two = { ...still(4), n: 2, brightness: [0, 0], saturation: [1, 1], contrast: [1, 1], shiftX: [0, 0], shiftY: [0, 0], cutout: [null, null] };
    const cases: [DiffAugmentParams, number[]][] = [
      [{ ...two, brightness: [0.2, 0] }, Array.from(xv.slice(0, 48), (v) => v + 0.2)],
      [{ ...two, saturation: [0.5, 1] }, colorRef(xv.slice(0, 48), 3, 0, 0.5, 1)],
      [{ ...two, contrast: [1.5, 1] }, colorRef(xv.slice(0, 48), 3, 0, 1, 1.5)],
      [{ ...two, shiftX: [1, 0] }, Array.from(xv.slice(0, 48), (v, i) => (Math.floor(i / 3) % 4 === 3 ? 0 : (xv[i + 3] as number)))],
      [{ ...two, shiftY: [1, 0] }, Array.from(xv.slice(0, 48), (v, i) => (i >= 36 ? 0 : (xv[i + 12] as number)))],
      [{ ...two, cutout: [{ x: 2, y: 2, side: 2 }, null] }, Array.from(xv.slice(0, 48), (v, i) => (i % 12 >= 6 && i >= 24 ? 0 : v))],
    ];
    for (const [params, first] of cases) {
      const out = augmented(x, params);
      expect(maxAbsDiff(out.slice(0, 48), first), JSON.stringify(params)).toBeLessThan(1e-6);
      expect(Array.from(out.slice(48))).toEqual(Array.from(xv.slice(48)));
    }
    x.dispose();
  });

  it('returns a new tensor when nothing fired, so the input may be disposed first', () => {
    const x = randomBatch([1, 4, 4, 1], 44);
    const values = Array.from(x.dataSync());
    const y = applyDiffAugment(x, still(4));
    expect(y).not.toBe(x);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual(values);
    y.dispose();
  });

  it('rejects parameters drawn for another height or width', () => {
    for (const shape of [[1, 8, 16, 1], [1, 16, 8, 1]] as [number, number, number, number][]) {
      const x = tf.zeros(shape) as tf.Tensor4D;
      expect(() => applyDiffAugment(x, still(8))).toThrow(`DiffAugment parameters are for 1 images of 8×8, got [${shape.join(', ')}]`);
      x.dispose();
    }
  });
});
