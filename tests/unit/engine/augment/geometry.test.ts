/** resampleAffine against a plain-JS bilinear reference for each fill mode, exact pixel copies for right-angle turns, and cutoutMask. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { cutoutMask, resampleAffine, type Affine, type FillMode } from '../../../../src-main/engine/augment/geometry';
import { maxAbsDiff } from './helpers';

const FILLS: FillMode[] = ['zero', 'border', 'reflect'];

/** A source index for `i` on an axis of n pixels, or null for zero: border repeats the edge, reflect mirrors about it (… c b a | a b c …). */
function foldRef(i: number, n: number, fill: FillMode): number | null {
  if (i >= 0 && i < n) return i;
  if (fill === 'zero') return null;
  if (fill === 'border') return i < 0 ? 0 : n - 1;
  let j = i;
  while (j < 0 || j >= n) j = j < 0 ? -1 - j : 2 * n - 1 - j;
  return j;
}

/** Bilinear sampling of NHWC values through one map per image, tap by tap. */
function resampleRef(x: ArrayLike<number>, shape: readonly [number, number, number, number], maps: readonly Affine[], fill: FillMode): number[] {
  const [n, h, w, c] = shape;
  const out: number[] = [];
  for (let img = 0; img < n; img++) {
    const [a, b, cc, d, e, f] = maps[img] as Affine;
    for (let y = 0; y < h; y++) {
      for (let xx = 0; xx < w; xx++) {
        const [sx, sy] = [a * xx + b * y + cc, d * xx + e * y + f];
        const [x0, y0] = [Math.floor(sx), Math.floor(sy)];
        const [fx, fy] = [sx - x0, sy - y0];
        const taps: [number, number, number][] = [
          [x0, y0, (1 - fx) * (1 - fy)],
          [x0 + 1, y0, fx * (1 - fy)],
          [x0, y0 + 1, (1 - fx) * fy],
          [x0 + 1, y0 + 1, fx * fy],
        ];
        for (let ch = 0; ch < c; ch++) {
          let v = 0;
          for (const [tx, ty, wt] of taps) {
            const [ix, iy] = [foldRef(tx, w, fill), foldRef(ty, h, fill)];
            if (ix !== null && iy !== null) v += wt * (x[((img * h + iy) * w + ix) * c + ch] as number);
          }
          out.push(v);
        }
      }
    }
  }
  return out;
}

/** A 5×5 image with 2 channels whose every value is distinct. */
const SHAPE = [1, 5, 5, 2] as const;
const VALUES = Array.from({ length: 50 }, (_, i) => (i + 1) / 50);

function resampled(values: readonly number[], shape: readonly [number, number, number, number], maps: readonly Affine[], fill: FillMode): Float32Array {
  const x = tf.tensor4d(values as number[], [...shape]);
  const y = resampleAffine(x, maps, fill);
  const out = Float32Array.from(y.dataSync());
  tf.dispose([x, y]);
  return out;
}

beforeAll(async () => {
  await resolveBackend('wasm');
});

describe('resampleAffine', () => {
  it('shifts by whole pixels past each edge, filling with zeros, the edge pixel or the mirror image', () => {
    const maps: Affine[] = [
      [1, 0, 2, 0, 1, 0],
      [1, 0, -2, 0, 1, 0],
      [1, 0, 0, 0, 1, 1],
      [1, 0, 0, 0, 1, -1],
      // Farther than the side: the mirror of the mirror.
      [1, 0, 7, 0, 1, -8],
      [1, 0, -7, 0, 1, 9],
      [-1, 0, 4, 0, 1, 0],
    ];
    for (const fill of FILLS) {
      for (const map of maps) {
        expect(Array.from(resampled(VALUES, SHAPE, [map], fill)), `${fill} ${map.join(' ')}`).toEqual(resampleRef(VALUES, SHAPE, [map], fill).map(Math.fround));
      }
    }
  });

  it('mirrors with period twice the side: column −1 reads 0, −2 reads 1, 5 reads 4, −6 reads 4 and 11 reads 1', () => {
    const row = [10, 20, 30, 40, 50].map((v) => v / 100);
    const at = (column: number): number => resampled(row, [1, 1, 5, 1], [[0, 0, column, 0, 1, 0]], 'reflect')[0] as number;
    expect([-1, -2, 5, 6, -6, -7, 10, 11].map(at)).toEqual([0.1, 0.2, 0.5, 0.4, 0.5, 0.4, 0.1, 0.2].map(Math.fround));
    const border = (column: number): number => resampled(row, [1, 1, 5, 1], [[0, 0, column, 0, 1, 0]], 'border')[0] as number;
    expect([-1, -7, 0, 5, 11].map(border)).toEqual([0.1, 0.1, 0.1, 0.5, 0.5].map(Math.fround));
    const zero = (column: number): number => resampled(row, [1, 1, 5, 1], [[0, 0, column, 0, 1, 0]], 'zero')[0] as number;
    expect([-1, 0, 4, 5].map(zero)).toEqual([0, 0.1, 0.5, 0].map(Math.fround));
  });

  it('interpolates between the four neighbours at fractional positions, past the edges too', () => {
    const maps: Affine[] = [
      [1, 0, 0.5, 0, 1, 0],
      [1, 0, 0, 0, 1, 0.5],
      [1, 0, 0.25, 0, 1, 0.75],
      [1, 0, -0.5, 0, 1, -0.25],
      [0.5, 0, 1, 0, 0.5, 1],
      [2, 0, -4, 0, 1.5, -3],
    ];
    for (const fill of FILLS) {
      for (const map of maps) {
        expect(maxAbsDiff(resampled(VALUES, SHAPE, [map], fill), resampleRef(VALUES, SHAPE, [map], fill)), `${fill} ${map.join(' ')}`).toBeLessThan(1e-6);
      }
    }
  });

  it('rotates and zooms with general coefficients, each image of a batch by its own map', () => {
    const angle = (30 * Math.PI) / 180;
    const [cos, sin] = [0.8 * Math.cos(angle), 0.8 * Math.sin(angle)];
    const maps: Affine[] = [
      [cos, -sin, 2 - 2 * cos + 2 * sin, sin, cos, 2 - 2 * sin - 2 * cos],
      [1, 0, 0.5, 0, 1, -1],
    ];
    const values = [...VALUES, ...VALUES.map((v) => -v)];
    for (const fill of FILLS) {
      expect(maxAbsDiff(resampled(values, [2, 5, 5, 2], maps, fill), resampleRef(values, [2, 5, 5, 2], maps, fill)), fill).toBeLessThan(1e-5);
    }
  });

  it('copies pixels exactly under a 90° turn, though cos 90° is 6e-17 and not 0', () => {
    // Zeros next to non-zero neighbours: a 1e-16 mixing weight would show.
    const image = Array.from({ length: 16 }, (_, i) => ((Math.floor(i / 4) + (i % 4)) % 2 === 0 ? 0 : (i + 1) / 20));
    const [cos, sin] = [Math.cos(Math.PI / 2), Math.sin(Math.PI / 2)];
    expect(cos).not.toBe(0);
    const centre = 1.5;
    const map: Affine = [cos, -sin, -cos * centre + sin * centre + centre, sin, cos, -sin * centre - cos * centre + centre];
    // Output (x, y) reads source (3 − y, x).
    const expected = Array.from({ length: 16 }, (_, i) => image[(i % 4) * 4 + 3 - Math.floor(i / 4)] as number);
    for (const fill of FILLS) expect(Array.from(resampled(image, [1, 4, 4, 1], [map], fill)), fill).toEqual(expected.map(Math.fround));
  });

  it('refuses a map count that is not the batch size, and leaks no tensors', () => {
    const x = tf.zeros([1, 4, 4, 1]) as tf.Tensor4D;
    const id: Affine = [1, 0, 0, 0, 1, 0];
    expect(() => resampleAffine(x, [id, id], 'zero')).toThrow('resampleAffine needs one map per image: 2 for 1');
    resampleAffine(x, [[1, 0, 0.5, 0, 1, 0.5]], 'reflect').dispose();
    const before = tf.memory().numTensors;
    resampleAffine(x, [[1, 0, 0.5, 0, 1, 0.5]], 'reflect').dispose();
    resampleAffine(x, [[1, 0, 100, 0, 1, 0]], 'zero').dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('gives zeros when the zero-filled image moved wholly outside', () => {
    expect(Array.from(resampled(VALUES, SHAPE, [[1, 0, 100, 0, 1, 0]], 'zero'))).toEqual(new Array(50).fill(0));
  });
});

describe('cutoutMask', () => {
  it('zeroes each square clipped to its image and leaves images without one whole', () => {
    const mask = cutoutMask(2, 3, 4, [{ x: -1, y: 1, side: 2 }, null]);
    expect(mask.shape).toEqual([2, 3, 4, 1]);
    expect(Array.from(mask.dataSync())).toEqual([1, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, ...new Array(12).fill(1)]);
    mask.dispose();
  });
});
