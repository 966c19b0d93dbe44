/** The sliders of the augmentation preview, read from the config schema as the editor's fields are: the field each one edits and its bounds. */
import { z } from 'zod';
import { AugmentPreviewRequest, type AugmentSettings } from '@common/datasets';
import { configFields, getAt, setAt, type FieldSpec } from './config-schema';

/** The augment section being tried in the preview (the config's shape, every default filled in). */
export type AugmentPreviewSettings = ReturnType<typeof AugmentSettings.parse>;

/** The classic (non-differentiable) ops: every augment setting but DiffAugment and ADA. */
export type ClassicOp = Exclude<keyof AugmentPreviewSettings, 'diffAugment' | 'ada'>;
export type DiffPolicy = AugmentPreviewSettings['diffAugment'][number];

export interface Slider {
  /** Label key under augment.strength, and part of the test id. */
  key: string;
  /** The config field it edits, e.g. `augment.rotation.degrees`; its bounds are that field's. */
  path: string;
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

/**
 * A slider's granularity is the UI's choice, not a bound, so the schema does not hold it: each
 * probability moves in 5 % steps, these fields as listed, any other by 0.01.
 */
const STEPS: Readonly<Record<string, number>> = {
  p: 0.05,
  'rotation.degrees': 1,
  'translation.fraction': 0.005,
  'crop.fraction': 0.005,
};
const DEFAULT_STEP = 0.01;

const PREFIX = 'augment.';

function slider(op: ClassicOp, field: FieldSpec): Slider {
  if (field.min === undefined || field.max === undefined) throw new Error(`${field.path} needs a minimum and a maximum in the config schema to be a slider`);
  // Relative to the augment settings: `flip` for the flat flip probability, `rotation.degrees` for a section's field.
  const rel = field.path.slice(PREFIX.length);
  const key = rel === op ? 'p' : rel.slice(op.length + 1);
  return {
    key,
    path: field.path,
    get: (a) => getAt(a, rel) as number,
    set: (a, v) => setAt(a, rel, v),
    min: field.min,
    max: field.max,
    step: STEPS[key] ?? STEPS[rel] ?? DEFAULT_STEP,
  };
}

/**
 * The classic ops in schema order, read from the config schema's `augment` fields: an op is a
 * probability of its own (flip) or a section with a `p` (rotation, …); the section's other numbers
 * are its strengths. DiffAugment and ADA are neither: they have their own controls.
 */
function opControls(): OpControl[] {
  const numbers = configFields().filter((f) => f.path.startsWith(PREFIX) && (f.kind === 'number' || f.kind === 'integer'));
  const ops = [...new Set(numbers.map((f) => f.path.slice(PREFIX.length).split('.')[0]!))].filter(
    (op) => numbers.some((f) => f.path === `${PREFIX}${op}` || f.path === `${PREFIX}${op}.p`),
  ) as ClassicOp[];
  return ops.map((op) => {
    const own = numbers.filter((f) => f.path === `${PREFIX}${op}` || f.path.startsWith(`${PREFIX}${op}.`)).map((f) => slider(op, f));
    return { op, p: own.find((s) => s.key === 'p')!, strengths: own.filter((s) => s.key !== 'p') };
  });
}

export const OP_CONTROLS: readonly OpControl[] = opControls();

export const DIFF_POLICIES = (configFields().find((f) => f.path === `${PREFIX}diffAugment`)?.options ?? []) as readonly DiffPolicy[];

/** The bounds of what ADA would adapt, from the preview request's schema; steps of 5 % like every probability here. */
export const DIFF_P_RANGE = (() => {
  const { minimum, maximum } = z.toJSONSchema(AugmentPreviewRequest.shape.diffAugmentP, { io: 'input' }) as { minimum: number; maximum: number };
  return { min: minimum, max: maximum, step: STEPS['p']! };
})();
