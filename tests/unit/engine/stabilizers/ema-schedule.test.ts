/** The EMA's β from its half-life in images and ramp-up (StyleGAN2-ADA), against values worked by hand, and when it counts as warmed up. */
import { describe, expect, it } from 'vitest';
import { readStoredConfig } from '../../../../src-main/common/config-version';
import { emaBeta, emaHalfLife, emaWarming, type EmaSchedule } from '../../../../src-main/engine/stabilizers/ema-schedule';

const DEFAULTS: EmaSchedule = { halfLifeImages: 10_000, rampup: 0.05, batchSize: 64, startStep: 0 };

describe('emaBeta', () => {
  it('is 0.5^(batch / min(half-life, rampup · images seen)): the ramp-up caps the half-life early in a run', () => {
    // Before any image: a half-life of 0 images, so the first update copies G.
    expect(emaBeta(DEFAULTS, 0)).toBe(0);
    // 100 steps of 64: half-life min(10 000, 0.05 · 6 400) = 320 images, β = 0.5^(64/320) = 0.5^0.2.
    expect(emaHalfLife(DEFAULTS, 6_400)).toBe(320);
    expect(emaBeta(DEFAULTS, 6_400)).toBeCloseTo(0.8705505632961241, 12);
    // From 200 000 images on the cap no longer acts: β = 0.5^(64/10 000) = 0.5^0.0064.
    expect(emaBeta(DEFAULTS, 200_000)).toBeCloseTo(0.9955736831881946, 12);
    expect(emaBeta(DEFAULTS, 5_000_000)).toBeCloseTo(0.9955736831881946, 12);
    // Batch 32, half-life 1 600: 0.5^(32/1600) once 0.05 · images ≥ 1 600, i.e. from 32 000 images.
    const small = { ...DEFAULTS, batchSize: 32, halfLifeImages: 1_600 };
    expect(emaBeta(small, 16_000)).toBeCloseTo(0.5 ** (32 / 800), 12);
    expect(emaBeta(small, 32_000)).toBeCloseTo(0.9862327044933592, 12);
  });

  it('without ramp-up holds the full half-life from the first image (the old behaviour)', () => {
    const flat = { ...DEFAULTS, rampup: 0, batchSize: 8, halfLifeImages: 1_000 };
    expect(emaBeta(flat, 0)).toBeCloseTo(0.9944701686732144, 12);
    expect(emaBeta(flat, 1_000_000)).toBeCloseTo(0.9944701686732144, 12);
  });

  it('gives back the decay of a version-2 config through its migration', () => {
    for (const [decay, batchSize] of [[0.999, 64], [0.9, 8], [0.99999, 1024], [0, 16]] as const) {
      const { stabilizers, batchSize: b } = readStoredConfig({ batchSize, stabilizers: { ema: { enabled: true, decay, startStep: 3 } } }, 2);
      const { halfLifeImages, rampup, startStep } = stabilizers.ema;
      expect({ rampup, startStep }).toEqual({ rampup: 0, startStep: 3 });
      for (const images of [0, 64_000, 10_000_000]) expect(emaBeta({ halfLifeImages, rampup, batchSize: b, startStep }, images)).toBeCloseTo(decay, 12);
    }
  });
});

describe('emaWarming', () => {
  it('lasts while ramp-up caps the half-life, and for 4 half-lives of images after the EMA starts', () => {
    // Defaults at batch 64: the cap stops at 10 000 / 0.05 = 200 000 images, step 3 125.
    expect(emaWarming(DEFAULTS, 0)).toBe(false);
    expect(emaWarming(DEFAULTS, 1)).toBe(true);
    expect(emaWarming(DEFAULTS, 3_124)).toBe(true);
    expect(emaWarming(DEFAULTS, 3_125)).toBe(false);
    // No ramp-up, half-life 6 400 images: 4 half-lives are 400 steps of 64 after startStep 100.
    const flat = { ...DEFAULTS, rampup: 0, halfLifeImages: 6_400, startStep: 100 };
    expect(emaWarming(flat, 100)).toBe(false);
    expect(emaWarming(flat, 101)).toBe(true);
    expect(emaWarming(flat, 499)).toBe(true);
    expect(emaWarming(flat, 500)).toBe(false);
  });
});
