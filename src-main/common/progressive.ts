/** Progressive growing (Karras et al. 2018): which resolution a run trains at, how far its newest block has faded in, and its batch and learning rates, step by step. */
import { planNet } from './net-plan';
import type { TrainingConfig } from './training-config';

/** The resolution G draws and D reads at one step, and how much of the newest block is faded in (1 = all of it). */
export interface Stage {
  size: number;
  alpha: number;
}

/** One resolution of a progressive run, in steps. */
export interface Phase {
  /** The image side of this phase. */
  size: number;
  /** 0-based. */
  index: number;
  /** The first step (generator updates done before it) of this phase: its fade starts here. */
  startStep: number;
  /** Steps over which the block of this resolution fades in (0 for the first phase). */
  fadeSteps: number;
  /** Steps at full strength after the fade; Infinity for the last phase, which lasts to the end of the run. */
  stableSteps: number;
  batchSize: number;
  lrG: number;
  lrD: number;
}

/** Where a step falls: its phase and the stage G and D run at. */
export interface StageAt extends Stage {
  phase: Phase;
  fading: boolean;
}

/** A phase boundary a chart draws: where a resolution starts fading in, and where its fade ends. */
export interface PhaseMark {
  step: number;
  size: number;
  kind: 'fade-start' | 'fade-end';
}

/** Every image side a run of this size and depth can start growing from: the sides of G's blocks, the final one excluded. */
export function progressiveSizes(size: number, depth: number | null): number[] {
  const { startSide, blocks } = planNet(size, depth);
  return Array.from({ length: blocks }, (_, p) => startSide * 2 ** (p + 1));
}

/** Why progressive growing cannot start at `startSize` for this image size (null when it can); the plan itself must be valid. */
export function progressiveProblem(config: TrainingConfig, size: number): string | null {
  const prog = config.progressive;
  if (!prog.enabled) return null;
  const sizes = progressiveSizes(size, config.model.depth);
  if (!sizes.includes(prog.startSize)) {
    return `config.progressive.startSize is ${prog.startSize}, but at image size ${size}${config.model.depth === null ? '' : ` with model.depth ${config.model.depth}`} G's blocks draw ${sizes.join(', ')}: start at one of those`;
  }
  const unknown = prog.phases.find((p) => !sizes.includes(p.size) || p.size < prog.startSize);
  if (unknown !== undefined) {
    return `config.progressive.phases names size ${unknown.size}, which this run never trains at (${sizes.filter((s) => s >= prog.startSize).join(', ')})`;
  }
  return null;
}

/**
 * The phases of a progressive run on images of `size`, or null when the run does not grow. Each
 * phase lasts `fadeImages` (the fade) plus `phaseImages` (stable) images at its own batch size,
 * rounded up to whole steps; the first has no fade and lasts `firstPhaseImages` (null: phaseImages).
 */
export function progressivePhases(config: TrainingConfig, size: number): Phase[] | null {
  const prog = config.progressive;
  if (!prog.enabled) return null;
  const sizes = progressiveSizes(size, config.model.depth).filter((s) => s >= prog.startSize);
  const phases: Phase[] = [];
  let start = 0;
  sizes.forEach((side, index) => {
    const own = prog.phases.find((p) => p.size === side);
    const batchSize = own?.batchSize ?? config.batchSize;
    const fadeSteps = index === 0 ? 0 : Math.ceil(prog.fadeImages / batchSize);
    const stableImages = index === 0 ? (prog.firstPhaseImages ?? prog.phaseImages) : prog.phaseImages;
    const last = index === sizes.length - 1;
    const stableSteps = last ? Number.POSITIVE_INFINITY : Math.ceil(stableImages / batchSize);
    phases.push({ size: side, index, startStep: start, fadeSteps, stableSteps, batchSize, lrG: own?.lrG ?? config.optimizerG.lr, lrD: own?.lrD ?? config.optimizerD.lr });
    start += fadeSteps + stableSteps;
  });
  return phases;
}

/** The stage of the step that follows `step` generator updates. α rises by 1 / fadeSteps a step from 0: the new block has no weight at the fade's first step. */
export function stageAt(phases: readonly Phase[], step: number): StageAt {
  let phase = phases[0];
  if (phase === undefined) throw new Error('a progressive run has at least one phase');
  for (const p of phases) if (p.startStep <= step) phase = p;
  const into = step - phase.startStep;
  const fading = into < phase.fadeSteps;
  return { phase, size: phase.size, alpha: fading ? into / phase.fadeSteps : 1, fading };
}

/** Images G has seen in `step` updates, each at its phase's batch size. */
export function imagesBefore(phases: readonly Phase[], step: number): number {
  let images = 0;
  for (const p of phases) {
    const end = p.startStep + p.fadeSteps + p.stableSteps;
    if (step <= p.startStep) break;
    images += (Math.min(step, end) - p.startStep) * p.batchSize;
  }
  return images;
}

/** The steps where a resolution starts fading in and where it reaches full strength, within the run's steps. */
export function phaseMarks(config: TrainingConfig, size: number): PhaseMark[] {
  const phases = progressivePhases(config, size);
  if (phases === null) return [];
  const marks: PhaseMark[] = [];
  for (const p of phases.slice(1)) {
    if (p.startStep < config.steps) marks.push({ step: p.startStep, size: p.size, kind: 'fade-start' });
    if (p.startStep + p.fadeSteps < config.steps) marks.push({ step: p.startStep + p.fadeSteps, size: p.size, kind: 'fade-end' });
  }
  return marks;
}

/** The image side G draws at after `step` updates (the dataset's size when the run does not grow). */
export function sizeAtStep(config: TrainingConfig, size: number, step: number): number {
  const phases = progressivePhases(config, size);
  return phases === null ? size : stageAt(phases, step).size;
}
