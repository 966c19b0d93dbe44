/** augmentReals: which ops count as classic, the two streams (classic ops, DiffAugment) each drawn alone, and no draw without policies. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { Rng } from '../../../../src-main/common/rng';
import { augmentBatch } from '../../../../src-main/engine/augment/classic';
import { sampleDiffAugment } from '../../../../src-main/engine/augment/diff-augment';
import { augmentReals, hasClassicAugment } from '../../../../src-main/engine/augment/real-batch';
import { augmentConfig, EVERY_OP, randomBatch } from './helpers';

const streams = (seed: number): { augment: Rng; diffAugment: Rng } => ({ augment: new Rng(seed, 1), diffAugment: new Rng(seed, 2) });

beforeAll(async () => {
  await resolveBackend('wasm');
});

describe('hasClassicAugment', () => {
  it('counts the classic ops only, not DiffAugment policies nor ADA', () => {
    expect(hasClassicAugment(augmentConfig())).toBe(false);
    expect(hasClassicAugment(augmentConfig({ diffAugment: ['color', 'translation', 'cutout'] }))).toBe(false);
    expect(hasClassicAugment(augmentConfig({ diffAugment: ['cutout'], ada: { enabled: true } }))).toBe(false);
    expect(hasClassicAugment(augmentConfig({ flip: 0.5 }))).toBe(true);
    expect(hasClassicAugment(augmentConfig({ noise: { p: 0.1 }, diffAugment: ['color'], ada: { enabled: true } }))).toBe(true);
  });
});

describe('augmentReals', () => {
  it('passes the reals through untouched without classic ops, and draws DiffAugment from its own stream', () => {
    const raw = randomBatch([3, 8, 8, 1]);
    const cfg = augmentConfig({ diffAugment: ['translation', 'color'] });
    const s = streams(5);
    const { images, diff } = augmentReals(raw, cfg, 0.5, s);
    expect(images).toBe(raw);
    expect(diff).toEqual(sampleDiffAugment(['color', 'translation'], 0.5, 3, 8, new Rng(5, 2)));
    expect(s.augment.nextUint32()).toBe(new Rng(5, 1).nextUint32());
    raw.dispose();
  });

  it('draws no DiffAugment without policies, leaving its stream where it was', () => {
    const raw = randomBatch([2, 8, 8, 3]);
    const s = streams(6);
    const { images, diff } = augmentReals(raw, augmentConfig({ flip: 1 }), 1, s);
    expect(diff).toBeNull();
    expect(s.diffAugment.nextUint32()).toBe(new Rng(6, 2).nextUint32());
    const expected = augmentBatch(raw, augmentConfig({ flip: 1 }), new Rng(6, 1));
    expect(Array.from(images.dataSync())).toEqual(Array.from(expected.dataSync()));
    tf.dispose([raw, images, expected]);
  });

  it('draws the classic ops and DiffAugment each from its own stream, whatever the other draws', () => {
    const raw = randomBatch([2, 8, 8, 3]);
    const cfg = augmentConfig({ ...EVERY_OP, diffAugment: ['color', 'translation', 'cutout'] });
    const { images, diff } = augmentReals(raw, cfg, 0.7, streams(7));
    const expected = augmentBatch(raw, cfg, new Rng(7, 1));
    expect(Array.from(images.dataSync())).toEqual(Array.from(expected.dataSync()));
    expect(diff).toEqual(sampleDiffAugment(['color', 'translation', 'cutout'], 0.7, 2, 8, new Rng(7, 2)));
    tf.dispose([raw, images, expected]);
  });
});
