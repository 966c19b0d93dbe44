/** applyAugmentParams with hand-set parameters: known rotation, shift, zoom, crop and fill; and describeAugment. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { applyAugmentParams, describeAugment, type ImageAugment } from '../../../../src-main/engine/augment/classic';
import { augmentConfig, at, EVERY_OP, maxAbsDiff, randomBatch } from './helpers';

/** One image's parameters with nothing firing. */
function still(overrides: Partial<ImageAugment> = {}): ImageAugment {
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

/** A [1, size, size, 1] image of -1 with the given pixels at 1. */
function dots(size: number, pixels: [row: number, col: number][]): tf.Tensor4D {
  const values = new Float32Array(size * size).fill(-1);
  for (const [r, c] of pixels) values[r * size + c] = 1;
  return tf.tensor4d(values, [1, size, size, 1]);
}

function augmentValues(x: tf.Tensor4D, images: ImageAugment[], fill?: 'reflect' | 'border' | 'zero'): Float32Array {
  const y = applyAugmentParams(x, { size: x.shape[1], images }, fill);
  const values = Float32Array.from(y.dataSync());
  y.dispose();
  return values;
}

beforeAll(async () => {
  await resolveBackend('wasm');
});

describe('applyAugmentParams', () => {
  it('rotates 90° counter-clockwise: the top-right pixel goes to the top-left, four turns are the identity', () => {
    const turn = [still({ rotation: 90 })];
    expect(maxAbsDiff(augmentValues(dots(16, [[0, 15]]), turn), dots(16, [[0, 0]]).dataSync())).toBeLessThan(1e-6);
    const x = randomBatch([1, 16, 16, 1]);
    let y = x;
    for (let i = 0; i < 4; i++) y = applyAugmentParams(y, { size: 16, images: turn });
    expect(maxAbsDiff(y.dataSync(), x.dataSync())).toBeLessThan(1e-6);
  });

  it('translates by a known shift: +x right, +y down', () => {
    const out = augmentValues(dots(16, [[5, 5]]), [still({ shift: [2, -1] })]);
    expect(maxAbsDiff(out, dots(16, [[4, 7]]).dataSync())).toBe(0);
  });

  it('zooms about the centre; zoomed out, the zero fill shows as a mid-gray border', () => {
    const x = tf.fill([1, 16, 16, 1], 1) as tf.Tensor4D;
    const out = augmentValues(x, [still({ scale: 0.5 })], 'zero');
    expect(at(out, x.shape, 0, 0, 0)).toBe(0);
    expect(at(out, x.shape, 0, 8, 8)).toBe(1);
    expect(maxAbsDiff(augmentValues(x, [still({ scale: 0.5 })], 'border'), x.dataSync())).toBe(0);
  });

  it('crops the centre half and resizes it back: a horizontal ramp keeps its centre and halves its slope', () => {
    const ramp = tf.tensor4d(Array.from({ length: 256 }, (_, i) => ((i % 16) / 15) * 2 - 1), [1, 16, 16, 1]);
    const out = augmentValues(ramp, [still({ crop: { fraction: 0.5, offset: [0, 0] } })]);
    for (let c = 0; c < 16; c++) expect(at(out, ramp.shape, 0, 3, c)).toBeCloseTo(((7.5 + 0.5 * (c - 7.5)) / 15) * 2 - 1, 5);
  });

  it('rejects parameters drawn for another batch shape', () => {
    const x = randomBatch([2, 16, 16, 1]);
    expect(() => applyAugmentParams(x, { size: 16, images: [still()] })).toThrow(/1 images of 16×16/);
  });
});

describe('describeAugment', () => {
  it('lists the ops that would change an image, DiffAugment policies and ADA', () => {
    expect(describeAugment(augmentConfig())).toEqual([]);
    expect(describeAugment(augmentConfig(EVERY_OP))).toEqual(['flip', 'rotation', 'scale', 'translation', 'crop', 'colorJitter', 'cutout', 'noise']);
    expect(describeAugment(augmentConfig({ rotation: { p: 1, degrees: 0 }, diffAugment: ['cutout', 'color'], ada: { enabled: true } }))).toEqual([
      'diffAugment.color',
      'diffAugment.cutout',
      'ada',
    ]);
  });
});
