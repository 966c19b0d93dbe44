/** augmentBatch on reals: identity, determinism from the seed, flips, shifts, cutout, color range, wasm = cpu, leaks, speed. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { Rng } from '../../../../src-main/common/rng';
import { applyAugmentParams, augmentBatch, sampleAugmentParams, type ImageAugment } from '../../../../src-main/engine/augment/classic';
import { augmentConfig, at, EVERY_OP, maxAbsDiff, on, randomBatch, still } from './helpers';

/** A [1, size, size, 1] image of -1 with the given pixels at 1. */
function dots(size: number, pixels: [row: number, col: number][]): tf.Tensor4D {
  const values = new Float32Array(size * size).fill(-1);
  for (const [r, c] of pixels) values[r * size + c] = 1;
  return tf.tensor4d(values, [1, size, size, 1]);
}

beforeAll(async () => {
  await resolveBackend('wasm');
});

describe('augmentBatch', () => {
  it('returns the input values exactly when every p is 0, for 1 and 3 channels', () => {
    for (const shape of [[3, 16, 16, 1], [2, 28, 28, 3]] as [number, number, number, number][]) {
      const x = randomBatch(shape);
      const y = augmentBatch(x, augmentConfig(), new Rng(1));
      expect(y.shape).toEqual(shape);
      expect(maxAbsDiff(y.dataSync(), x.dataSync())).toBe(0);
      tf.dispose([x, y]);
    }
  });

  it('keeps the shape for 1 and 3 channels at sizes 16 and 28 with every op on, inside [-1, 1]', () => {
    for (const c of [1, 3]) {
      for (const size of [16, 28]) {
        const x = randomBatch([5, size, size, c]);
        const y = augmentBatch(x, augmentConfig(EVERY_OP), new Rng(size + c));
        expect(y.shape).toEqual([5, size, size, c]);
        const v = y.dataSync();
        expect(v.every((e) => e >= -1 && e <= 1)).toBe(true);
        expect(maxAbsDiff(v, x.dataSync())).toBeGreaterThan(0.1);
        tf.dispose([x, y]);
      }
    }
  });

  it('flips horizontally, and flipping twice is the identity', () => {
    const cfg = augmentConfig({ flip: 1 });
    const x = randomBatch([2, 16, 16, 3]);
    const once = augmentBatch(x, cfg, new Rng(1));
    const twice = augmentBatch(once, cfg, new Rng(2));
    const [xv, ov] = [x.dataSync(), once.dataSync()];
    expect(at(ov, x.shape, 1, 3, 0, 2)).toBe(at(xv, x.shape, 1, 3, 15, 2));
    expect(maxAbsDiff(twice.dataSync(), xv)).toBe(0);
    tf.dispose([x, once, twice]);
  });

  it('gives the same batch for the same seed and a different one for another seed', () => {
    const cfg = augmentConfig(EVERY_OP);
    const x = randomBatch([4, 16, 16, 3]);
    const [a, b, c] = [5, 5, 6].map((seed) => augmentBatch(x, cfg, new Rng(seed)));
    expect(maxAbsDiff((a as tf.Tensor).dataSync(), (b as tf.Tensor).dataSync())).toBe(0);
    expect(maxAbsDiff((a as tf.Tensor).dataSync(), (c as tf.Tensor).dataSync())).toBeGreaterThan(0.1);
    tf.dispose([x, a, b, c] as tf.Tensor[]);
  });

  it('leaves a constant image constant under every geometric op (reflect fill)', () => {
    const cfg = augmentConfig({ ...EVERY_OP, flip: 1, colorJitter: {}, cutout: {}, noise: {} });
    const x = tf.fill([4, 28, 28, 1], 0.3) as tf.Tensor4D;
    const y = augmentBatch(x, cfg, new Rng(3));
    expect(maxAbsDiff(y.dataSync(), x.dataSync())).toBeLessThan(1e-6);
    tf.dispose([x, y]);
  });

  it('moves by a drawn integer shift of at most fraction·side', () => {
    const x = dots(16, [[8, 8]]);
    const y = augmentBatch(x, augmentConfig({ translation: { p: 1, fraction: 0.125 } }), new Rng(11));
    const v = y.dataSync();
    const lit = [...v.keys()].filter((i) => v[i] === 1);
    expect(lit).toHaveLength(1);
    const [row, col] = [Math.floor((lit[0] as number) / 16), (lit[0] as number) % 16];
    expect(Math.abs(row - 8)).toBeLessThanOrEqual(2);
    expect(Math.abs(col - 8)).toBeLessThanOrEqual(2);
    expect(v.filter((e) => e !== 1).every((e) => e === -1)).toBe(true);
    tf.dispose([x, y]);
  });

  it('zeroes (mid-gray) exactly the drawn cutout square, clipped to the image', () => {
    const cfg = augmentConfig({ cutout: { p: 1, fraction: 0.25 } });
    const x = tf.fill([6, 16, 16, 3], 0.5) as tf.Tensor4D;
    const y = augmentBatch(x, cfg, new Rng(4));
    const squares = sampleAugmentParams(cfg, 6, 16, new Rng(4)).images.map((i) => i.cutout);
    const v = y.dataSync();
    squares.forEach((sq, n) => {
      expect(sq?.side).toBe(4);
      for (let r = 0; r < 16; r++) {
        for (let c = 0; c < 16; c++) {
          const inside = sq !== null && sq !== undefined && r >= sq.y && r < sq.y + 4 && c >= sq.x && c < sq.x + 4;
          for (let ch = 0; ch < 3; ch++) expect(at(v, y.shape, n, r, c, ch)).toBe(inside ? 0 : 0.5);
        }
      }
    });
    tf.dispose([x, y]);
  });

  it('keeps strong color jitter inside [-1, 1] and changes the colors', () => {
    const cfg = augmentConfig({ colorJitter: { p: 1, brightness: 1, contrast: 1, saturation: 1 } });
    for (const c of [1, 3]) {
      const x = randomBatch([8, 16, 16, c]);
      const y = augmentBatch(x, cfg, new Rng(c));
      const v = y.dataSync();
      expect(v.every((e) => e >= -1 && e <= 1)).toBe(true);
      expect(maxAbsDiff(v, x.dataSync())).toBeGreaterThan(0.1);
      tf.dispose([x, y]);
    }
  });

  it('gives the same batch on wasm and cpu', async () => {
    const run = (): tf.Tensor[] => [augmentBatch(randomBatch([4, 16, 16, 3]), augmentConfig(EVERY_OP), new Rng(8))];
    const [wasm] = await on('wasm', run);
    const [cpu] = await on('cpu', run);
    await tf.setBackend('wasm');
    expect(maxAbsDiff(wasm as Float32Array, cpu as Float32Array)).toBeLessThan(1e-5);
  });

  it('leaks no tensors', () => {
    const x = randomBatch([4, 16, 16, 3]);
    const cfg = augmentConfig(EVERY_OP);
    augmentBatch(x, cfg, new Rng(1)).dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) augmentBatch(x, cfg, new Rng(i)).dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

/** Plain-JS color jitter of NHWC values: brightness, saturation toward BT.601 gray (3 channels), contrast around the image mean, clip. */
function colorReference(x: ArrayLike<number>, shape: readonly number[], images: readonly ImageAugment[]): number[] {
  const [n = 0, h = 0, w = 0, c = 0] = shape;
  const per = h * w * c;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const { brightness, saturation, contrast } = images[i] as ImageAugment;
    const y = Array.from({ length: per }, (_, j) => (x[i * per + j] as number) + brightness);
    if (c === 3) {
      for (let p = 0; p < h * w; p++) {
        const [r, g, b] = [y[3 * p], y[3 * p + 1], y[3 * p + 2]] as [number, number, number];
        const gray = 0.299 * r + 0.587 * g + 0.114 * b;
        for (let ch = 0; ch < 3; ch++) y[3 * p + ch] = gray + ((y[3 * p + ch] as number) - gray) * saturation;
      }
    }
    const mean = y.reduce((a, b) => a + b, 0) / per;
    out.push(...y.map((v) => Math.min(1, Math.max(-1, mean + (v - mean) * contrast))));
  }
  return out;
}

function applied(x: tf.Tensor4D, images: ImageAugment[]): Float32Array {
  const y = applyAugmentParams(x, { size: x.shape[1], images });
  const values = Float32Array.from(y.dataSync());
  y.dispose();
  return values;
}

describe('applyAugmentParams color, cutout and noise', () => {
  it('applies brightness, saturation and contrast each alone as the plain formulas', () => {
    const x = tf.tidy(() => tf.mul(randomBatch([1, 4, 4, 3], 31), 0.5) as tf.Tensor4D);
    const xv = x.dataSync();
    for (const img of [still({ brightness: 0.2 }), still({ brightness: -0.3 }), still({ contrast: 0.5 }), still({ contrast: 1.6 }), still({ saturation: 0.3 }), still({ saturation: 1.8 })]) {
      const out = applied(x, [img]);
      expect(maxAbsDiff(out, colorReference(xv, x.shape, [img])), JSON.stringify(img)).toBeLessThan(1e-6);
      expect(maxAbsDiff(out, xv), JSON.stringify(img)).toBeGreaterThan(0.01);
    }
    x.dispose();
  });

  it('takes each image its own factors and its own mean', () => {
    const x = tf.tidy(() => tf.add(tf.mul(randomBatch([2, 4, 4, 3], 32), 0.3), tf.tensor4d([-0.4, 0.4], [2, 1, 1, 1])) as tf.Tensor4D);
    const images = [still({ brightness: -0.1, saturation: 1.5, contrast: 0.5 }), still({ brightness: 0.05, saturation: 0.5, contrast: 1.5 })];
    expect(maxAbsDiff(applied(x, images), colorReference(x.dataSync(), x.shape, images))).toBeLessThan(1e-6);
    x.dispose();
  });

  it('ignores saturation for one channel', () => {
    const x = tf.tidy(() => tf.mul(randomBatch([1, 4, 4, 1], 33), 0.5) as tf.Tensor4D);
    const plain = applied(x, [still({ brightness: 0.1, contrast: 1.2 })]);
    expect(applied(x, [still({ brightness: 0.1, contrast: 1.2, saturation: 0 })])).toEqual(plain);
    expect(applied(x, [still({ brightness: 0.1, contrast: 1.2, saturation: 2 })])).toEqual(plain);
    expect(maxAbsDiff(plain, colorReference(x.dataSync(), x.shape, [still({ brightness: 0.1, contrast: 1.2 })]))).toBeLessThan(1e-6);
    x.dispose();
  });

  it("adds each image's noise from its own seed, σ times the seeded normals, and none to the others", () => {
    const x = tf.tidy(() => tf.mul(randomBatch([3, 4, 4, 1], 34), 0.5) as tf.Tensor4D);
    const xv = x.dataSync();
    const out = applied(x, [still({ noise: { std: 0.1, seed: 5 } }), still(), still({ noise: { std: 0.2, seed: 6 } })]);
    const [n5, n6] = [new Rng(5).normals(16), new Rng(6).normals(16)];
    for (let j = 0; j < 16; j++) {
      expect(out[j]).toBeCloseTo(Math.min(1, Math.max(-1, (xv[j] as number) + 0.1 * (n5[j] as number))), 6);
      expect(out[16 + j]).toBe(xv[16 + j]);
      expect(out[32 + j]).toBeCloseTo(Math.min(1, Math.max(-1, (xv[32 + j] as number) + 0.2 * (n6[j] as number))), 6);
    }
    x.dispose();
  });

  it('applies an op that fired for one image of the batch to that image only', () => {
    const x = tf.tidy(() => tf.mul(randomBatch([2, 4, 4, 3], 35), 0.5) as tf.Tensor4D);
    const xv = x.dataSync();
    const cases: [ImageAugment, (r: number, c: number, ch: number) => number][] = [
      [still({ flip: true }), (r, c, ch) => at(xv, x.shape, 0, r, 3 - c, ch)],
      [still({ brightness: 0.25 }), (r, c, ch) => at(xv, x.shape, 0, r, c, ch) + 0.25],
      [still({ cutout: { x: 1, y: 2, side: 2 } }), (r, c, ch) => (r >= 2 && c >= 1 && c < 3 ? 0 : at(xv, x.shape, 0, r, c, ch))],
      [still({ noise: { std: 0.1, seed: 9 } }), (r, c, ch) => at(xv, x.shape, 0, r, c, ch) + 0.1 * (new Rng(9).normals(48)[(r * 4 + c) * 3 + ch] as number)],
    ];
    for (const [img, expected] of cases) {
      const out = applied(x, [img, still()]);
      for (let r = 0; r < 4; r++) {
        for (let c = 0; c < 4; c++) {
          for (let ch = 0; ch < 3; ch++) {
            expect(at(out, x.shape, 0, r, c, ch)).toBeCloseTo(expected(r, c, ch), 6);
            expect(at(out, x.shape, 1, r, c, ch)).toBe(at(xv, x.shape, 1, r, c, ch));
          }
        }
      }
    }
    x.dispose();
  });

  it('rejects parameters drawn for another height or width', () => {
    for (const shape of [[1, 8, 16, 1], [1, 16, 8, 1]] as [number, number, number, number][]) {
      const x = tf.zeros(shape) as tf.Tensor4D;
      expect(() => applyAugmentParams(x, { size: 8, images: [still()] })).toThrow(`augment parameters are for 1 images of 8×8, got [${shape.join(', ')}]`);
      x.dispose();
    }
  });
});

describe('augmentBatch refusals', () => {
  it('refuses images that are not square, or have neither 1 nor 3 channels', () => {
    const wide = tf.zeros([1, 8, 16, 1]) as tf.Tensor4D;
    expect(() => augmentBatch(wide, augmentConfig(), new Rng(1))).toThrow('augmentBatch needs square images, got 8×16');
    const two = tf.zeros([1, 8, 8, 2]) as tf.Tensor4D;
    expect(() => augmentBatch(two, augmentConfig(), new Rng(1))).toThrow('augmentBatch needs 1 or 3 channels, got 2');
    tf.dispose([wide, two]);
  });
});
