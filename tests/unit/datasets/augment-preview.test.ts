/** The preview's augmentation, in process on real tfjs: identity returns the input, the seed decides everything, DiffAugment is applied. */
import { beforeAll, describe, expect, it } from 'vitest';
import { TrainingConfig, type TrainingConfigInput } from '../../../src-main/common/training-config';
import { pickIndices } from '../../../src-main/core/datasets/augment-preview';
import { resolveBackend } from '../../../src-main/engine/backends/resolve-backend';
import { augmentPreviewPixels, type PreviewImages } from '../../../src-main/utility/augment-preview';

function augment(input: NonNullable<TrainingConfigInput['augment']> = {}): TrainingConfig['augment'] {
  return TrainingConfig.parse({ augment: input }).augment;
}

/** Three 8x8 RGB images of seeded bytes. */
function images(): PreviewImages {
  const pixels = new Uint8Array(3 * 8 * 8 * 3);
  let s = 7;
  for (let i = 0; i < pixels.length; i++) pixels[i] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
  return { size: 8, channels: 3, pixels };
}

const job = (a: TrainingConfig['augment'], seed = 1, diffAugmentP = 1) => ({ augment: a, seed, variants: 2, diffAugmentP });

describe('augmentPreviewPixels', () => {
  beforeAll(async () => {
    await resolveBackend('wasm');
  });

  it('returns every variant equal to its original when nothing is enabled', async () => {
    const input = images();
    const out = await augmentPreviewPixels(input, job(augment()));
    expect(out.length).toBe(input.pixels.length * 2);
    const bytes = 8 * 8 * 3;
    for (let i = 0; i < 3; i++) {
      for (let v = 0; v < 2; v++) {
        expect(Buffer.from(out.subarray((i * 2 + v) * bytes, (i * 2 + v + 1) * bytes)).equals(Buffer.from(input.pixels.subarray(i * bytes, (i + 1) * bytes)))).toBe(true);
      }
    }
  });

  it('gives the same bytes for the same seed and different bytes for another', async () => {
    const every = augment({ flip: 0.5, rotation: { p: 1, degrees: 30 }, colorJitter: { p: 1 }, cutout: { p: 1 }, noise: { p: 1 } });
    const a = await augmentPreviewPixels(images(), job(every, 5));
    const b = await augmentPreviewPixels(images(), job(every, 5));
    const c = await augmentPreviewPixels(images(), job(every, 6));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
  });

  it('flips exactly when flip has p = 1', async () => {
    const input = images();
    const out = await augmentPreviewPixels(input, job(augment({ flip: 1 })));
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) {
        const src = (y * 8 + x) * 3;
        const dst = (y * 8 + (7 - x)) * 3;
        expect([...out.subarray(dst, dst + 3)]).toEqual([...input.pixels.subarray(src, src + 3)]);
      }
    }
  });

  it('applies DiffAugment policies after the classic ops, and none of them at p = 0', async () => {
    const input = images();
    const withDiff = augment({ diffAugment: ['color', 'translation', 'cutout'] });
    expect(Buffer.from(await augmentPreviewPixels(input, job(withDiff, 1, 1))).equals(Buffer.from(await augmentPreviewPixels(input, job(augment()))))).toBe(false);
    const off = await augmentPreviewPixels(input, job(withDiff, 1, 0));
    expect(Buffer.from(off).equals(Buffer.from(await augmentPreviewPixels(input, job(augment()))))).toBe(true);
  });
});

describe('pickIndices', () => {
  it('draws distinct indices from the seed, all of them for a small dataset', () => {
    const a = pickIndices(60_000, 16, 3);
    expect(new Set(a).size).toBe(16);
    expect(a.every((i) => i >= 0 && i < 60_000)).toBe(true);
    expect(pickIndices(60_000, 16, 3)).toEqual(a);
    expect(pickIndices(60_000, 16, 4)).not.toEqual(a);
    expect(pickIndices(5, 16, 3)).toEqual([0, 1, 2, 3, 4]);
  });
});
