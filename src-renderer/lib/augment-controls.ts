/** The sliders of the augmentation preview: which config field each one edits and its range (bounds as in the config schema). */
import type { AugmentSettings } from '@common/datasets';

/** The augment section being tried in the preview (the config's shape, every default filled in). */
export type AugmentPreviewSettings = ReturnType<typeof AugmentSettings.parse>;

export type ClassicOp = 'flip' | 'rotation' | 'scale' | 'translation' | 'crop' | 'colorJitter' | 'cutout' | 'noise';

export interface Slider {
  /** Label key under augment.strength, and part of the test id. */
  key: string;
  get(a: AugmentPreviewSettings): number;
  set(a: AugmentPreviewSettings, v: number): AugmentPreviewSettings;
  min: number;
  max: number;
  step: number;
}

export interface OpControl {
  op: ClassicOp;
  p: Slider;
  strengths: Slider[];
}

type Sectioned = Exclude<ClassicOp, 'flip'>;

/** A slider over `a[op][field]`. */
function field<O extends Sectioned>(op: O, key: string, min: number, max: number, step: number): Slider {
  return {
    key,
    get: (a) => (a[op] as Record<string, number>)[key] as number,
    set: (a, v) => ({ ...a, [op]: { ...a[op], [key]: v } }),
    min,
    max,
    step,
  };
}

export const OP_CONTROLS: readonly OpControl[] = [
  { op: 'flip', p: { key: 'p', get: (a) => a.flip, set: (a, v) => ({ ...a, flip: v }), min: 0, max: 1, step: 0.05 }, strengths: [] },
  { op: 'rotation', p: field('rotation', 'p', 0, 1, 0.05), strengths: [field('rotation', 'degrees', 0, 180, 1)] },
  { op: 'scale', p: field('scale', 'p', 0, 1, 0.05), strengths: [field('scale', 'amount', 0, 0.5, 0.01)] },
  { op: 'translation', p: field('translation', 'p', 0, 1, 0.05), strengths: [field('translation', 'fraction', 0, 0.5, 0.005)] },
  { op: 'crop', p: field('crop', 'p', 0, 1, 0.05), strengths: [field('crop', 'fraction', 0.5, 1, 0.005)] },
  {
    op: 'colorJitter',
    p: field('colorJitter', 'p', 0, 1, 0.05),
    strengths: [field('colorJitter', 'brightness', 0, 1, 0.01), field('colorJitter', 'contrast', 0, 1, 0.01), field('colorJitter', 'saturation', 0, 1, 0.01)],
  },
  { op: 'cutout', p: field('cutout', 'p', 0, 1, 0.05), strengths: [field('cutout', 'fraction', 0, 0.75, 0.01)] },
  { op: 'noise', p: field('noise', 'p', 0, 1, 0.05), strengths: [field('noise', 'std', 0, 1, 0.01)] },
];

export const DIFF_POLICIES = ['color', 'translation', 'cutout'] as const;
