/** The augmentation preview's sliders come from the config schema: the same fields, test ids and steps as before, and exactly the schema's bounds. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AugmentPreviewRequest, AugmentSettings } from '../../../src-main/common/datasets';
import { DIFF_P_RANGE, DIFF_POLICIES, OP_CONTROLS, type Slider } from '../../../src-renderer/lib/augment-controls';
import datasetsEn from '../../../src-renderer/i18n/datasets.en';
import datasetsZhCN from '../../../src-renderer/i18n/datasets.zh-CN';

const sliders = (): [string, Slider][] => OP_CONTROLS.flatMap((c) => [c.p, ...c.strengths].map((s): [string, Slider] => [`aug-${c.op}-${s.key}`, s]));
const defaults = () => AugmentSettings.parse({});

/** The zod number schema at a dotted path of the augment settings, through its defaults. */
function numberAt(path: string): z.ZodNumber {
  let node = AugmentSettings as unknown as z.ZodType;
  for (const key of path.split('.')) {
    while (node instanceof z.ZodDefault || node instanceof z.ZodPrefault) node = node.unwrap() as z.ZodType;
    node = (node as z.ZodObject).shape[key] as z.ZodType;
  }
  while (node instanceof z.ZodDefault) node = node.unwrap() as z.ZodType;
  return node as z.ZodNumber;
}

describe('augmentation sliders', () => {
  it('keep their test ids, config fields and steps', () => {
    expect(sliders().map(([id, s]) => [id, s.path, s.step])).toEqual([
      ['aug-flip-p', 'augment.flip', 0.05],
      ['aug-rotation-p', 'augment.rotation.p', 0.05],
      ['aug-rotation-degrees', 'augment.rotation.degrees', 1],
      ['aug-scale-p', 'augment.scale.p', 0.05],
      ['aug-scale-amount', 'augment.scale.amount', 0.01],
      ['aug-translation-p', 'augment.translation.p', 0.05],
      ['aug-translation-fraction', 'augment.translation.fraction', 0.005],
      ['aug-crop-p', 'augment.crop.p', 0.05],
      ['aug-crop-fraction', 'augment.crop.fraction', 0.005],
      ['aug-colorJitter-p', 'augment.colorJitter.p', 0.05],
      ['aug-colorJitter-brightness', 'augment.colorJitter.brightness', 0.01],
      ['aug-colorJitter-contrast', 'augment.colorJitter.contrast', 0.01],
      ['aug-colorJitter-saturation', 'augment.colorJitter.saturation', 0.01],
      ['aug-cutout-p', 'augment.cutout.p', 0.05],
      ['aug-cutout-fraction', 'augment.cutout.fraction', 0.01],
      ['aug-noise-p', 'augment.noise.p', 0.05],
      ['aug-noise-std', 'augment.noise.std', 0.01],
    ]);
    expect(DIFF_POLICIES).toEqual(['color', 'translation', 'cutout']);
  });

  it.each(sliders())('%s spans exactly its field’s bounds in the schema', (_, s) => {
    const field = numberAt(s.path.slice('augment.'.length));
    expect([s.min, s.max]).toEqual([field.minValue, field.maxValue]);
    // Both ends are valid settings, a step past either is refused.
    expect(AugmentSettings.safeParse(s.set(defaults(), s.min)).success).toBe(true);
    expect(AugmentSettings.safeParse(s.set(defaults(), s.max)).success).toBe(true);
    expect(AugmentSettings.safeParse(s.set(defaults(), s.min - s.step)).success).toBe(false);
    expect(AugmentSettings.safeParse(s.set(defaults(), s.max + s.step)).success).toBe(false);
  });

  it('edit their field only, without touching the settings they were given', () => {
    for (const [id, s] of sliders()) {
      const before = defaults();
      const after = s.set(before, s.max);
      expect(s.get(after), id).toBe(s.max);
      expect(before, id).toEqual(defaults());
      // Setting the old value back restores every setting: nothing else moved.
      expect(s.set(after, s.get(before)), id).toEqual(before);
    }
  });

  it('have labels in both languages, and ADA’s p the preview request’s bounds', () => {
    for (const c of OP_CONTROLS) {
      expect(datasetsEn.augment.op[c.op], c.op).toBeTruthy();
      expect(datasetsZhCN.augment.op[c.op], c.op).toBeTruthy();
      for (const s of c.strengths) {
        expect((datasetsEn.augment.strength as Record<string, string>)[s.key], s.key).toBeTruthy();
        expect((datasetsZhCN.augment.strength as Record<string, string>)[s.key], s.key).toBeTruthy();
      }
    }
    const p = AugmentPreviewRequest.shape.diffAugmentP.unwrap();
    expect(DIFF_P_RANGE).toEqual({ min: p.minValue, max: p.maxValue, step: 0.05 });
  });
});
