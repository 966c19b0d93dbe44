/** Grow ("simplify, then grow"): what a person asks of it, and its report of which trained weights the bigger network kept, widened or started fresh. */
import { z } from 'zod';

/** The ways a run's networks can grow; exactly one per request. */
export const GrowChange = z.enum(['size', 'depth', 'width']);
export type GrowChange = z.infer<typeof GrowChange>;

/** Images over which the new blocks of a grown run fade in, unless the request says otherwise. */
export const GROW_FADE_IMAGES = 10_000;

export const GrowWeight = z.object({
  /** `generator/…` or `discriminator/…`: the variable in the grown run. */
  name: z.string(),
  shape: z.array(z.number().int()),
  /** kept: copied as it was; widened: copied into the leading part of a larger tensor; new: freshly initialized. */
  fate: z.enum(['kept', 'widened', 'new']),
  /** The parent's variable it came from (kept and widened). */
  from: z.string().nullable(),
  fromShape: z.array(z.number().int()).nullable(),
  /** How, in words: which axes grew and what fills the new part, or why nothing of the parent fits. */
  how: z.string(),
});
export type GrowWeight = z.infer<typeof GrowWeight>;

export const GrowReport = z.object({
  parentRunId: z.string(),
  parentStep: z.number().int().min(0),
  change: GrowChange,
  /** e.g. "14 × 14 → 28 × 28", "depth 1 → 2", "widths 32/32 → 64/64". */
  summary: z.string(),
  /** The sides the new blocks fade in at, with the fade's length; null when nothing fades (depth and width). */
  fade: z.object({ from: z.number().int(), to: z.number().int(), images: z.number().int() }).nullable(),
  weights: z.array(GrowWeight),
  /** The parent's variables the grown networks have no place for (their count and names). */
  dropped: z.array(z.string()),
  /** Trainable values copied from the parent, and all trainable values of the grown nets. */
  copiedValues: z.number().int().min(0),
  totalValues: z.number().int().min(0),
});
export type GrowReport = z.infer<typeof GrowReport>;

/** Counts by fate, for one-line summaries (CLI, run page). */
export function growCounts(report: GrowReport): Record<GrowWeight['fate'], number> {
  const counts = { kept: 0, widened: 0, new: 0 };
  for (const w of report.weights) counts[w.fate] += 1;
  return counts;
}
