/** augmentBatch on reals: identity, determinism from the seed, flips, shifts, cutout, color range, wasm = cpu, leaks, speed. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { Rng } from '../../../../src-main/common/rng';
import { augmentBatch, sampleAugmentParams } from '../../../../src-main/engine/augment/classic';
import { augmentConfig, at, EVERY_OP, maxAbsDiff, on, randomBatch } from './helpers';

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
