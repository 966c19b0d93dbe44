/** Grow ("simplify, then grow"): what a person asks of it, and its report of which trained weights the bigger network kept, widened or started fresh. */
import { z } from 'zod';
import type { RunStatus } from './domain';
import { allowedDepths, planNet } from './net-plan';
import type { TrainingConfig } from './training-config';

/** Statuses a run can grow from: its trainer is not mid-step, so its checkpoints stay as they are while the grown nets are built. */
export const GROWABLE_STATUSES = ['completed', 'paused', 'stopped', 'interrupted', 'failed'] as const satisfies readonly RunStatus[];

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

/** What to grow into: one change, as the request gives it. */
export interface GrowTarget {
  size?: number | undefined;
  depth?: number | undefined;
  widthFactor?: 2 | undefined;
  fadeImages: number;
  steps?: number | undefined;
}

export interface GrownConfig {
  change: GrowChange;
  /** The grown run's image size: the target dataset's images must be this size. */
  size: number;
  config: TrainingConfig;
  summary: string;
  fade: GrowReport['fade'];
}

/**
 * The grown run's config: the parent's with the networks grown, from step 0. Larger images fade
 * the new blocks in from the first step (progressive growing from the parent's side); deeper
 * and wider nets have nothing to fade (new blocks at the low-resolution end change every
 * image at once; new channels read zero weights). Throws a message naming the field when the
 * change cannot be made.
 */
export function grownConfig(parent: TrainingConfig, parentSize: number, target: GrowTarget): GrownConfig {
  if (parent.model.arch !== 'dcgan') throw new GrowProblem('id', `Grow is built for DCGAN runs; this run's architecture is ${parent.model.arch}`);
  const { startSide, blocks } = planNet(parentSize, parent.model.depth);
  const base = { ...parent, steps: target.steps ?? parent.steps };
  if (target.size !== undefined) {
    const factor = target.size / parentSize;
    const added = Math.log2(factor);
    if (!Number.isInteger(added) || added < 1) throw new GrowProblem('size', `must be the run's side ${parentSize} times 2, 4, …; got ${target.size}`);
    const depth = blocks + added;
    try {
      planNet(target.size, depth);
    } catch (error) {
      throw new GrowProblem('size', (error as Error).message);
    }
    const prog = parent.progressive;
    const config: TrainingConfig = {
      ...base,
      model: { ...parent.model, depth },
      progressive: {
        enabled: true,
        startSize: parentSize,
        phaseImages: prog.enabled ? prog.phaseImages : target.fadeImages,
        fadeImages: target.fadeImages,
        firstPhaseImages: 0,
        phases: prog.enabled ? prog.phases.filter((p) => p.size >= parentSize) : [],
      },
    };
    return { change: 'size', size: target.size, config, summary: `${parentSize} × ${parentSize} → ${target.size} × ${target.size}`, fade: { from: parentSize, to: target.size, images: target.fadeImages } };
  }
  if (target.depth !== undefined) {
    const depth = blocks + target.depth;
    const side = parentSize / 2 ** depth;
    if (!Number.isInteger(side) || side < 3) {
      const most = Math.max(...allowedDepths(parentSize));
      throw new GrowProblem('depth', `${parentSize} × ${parentSize} images allow at most ${most} blocks (this run has ${blocks}): the first feature map must stay an integer side of at least 3 (now ${startSide})`);
    }
    if (parent.progressive.enabled) throw new GrowProblem('depth', 'a progressive run grows by size; deepen a run that does not grow');
    const config: TrainingConfig = { ...base, model: { ...parent.model, depth } };
    return { change: 'depth', size: parentSize, config, summary: `depth ${blocks} → ${depth} (first map ${startSide} → ${side})`, fade: null };
  }
  const gWidth = parent.model.gWidth * 2;
  const dWidth = parent.model.dWidth * 2;
  if (gWidth > 1024 || dWidth > 1024) throw new GrowProblem('widthFactor', `widths ${parent.model.gWidth}/${parent.model.dWidth} doubled pass 1024`);
  const config: TrainingConfig = { ...base, model: { ...parent.model, gWidth, dWidth } };
  return { change: 'width', size: parentSize, config, summary: `widths G ${parent.model.gWidth} → ${gWidth}, D ${parent.model.dWidth} → ${dWidth}`, fade: null };
}

/** A Grow that cannot be made, with the request field to blame. */
export class GrowProblem extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
