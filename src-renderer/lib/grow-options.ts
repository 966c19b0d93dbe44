/** What a Grow can offer for a run, by the rules runs.grow enforces: which runs may grow, to which sides and on which datasets, and whether one more block fits. */
import type { Dataset, Run, RunStatus } from '@common/domain';
import { GROWABLE_STATUSES } from '@common/grow';
import { allowedDepths, planNet } from '@common/net-plan';


/** The image sides a run can grow to: two and four times its own. */
export const SIZE_FACTORS = [2, 4] as const;

/** Only a DCGAN run that has stopped training and has a checkpoint can grow. */
export function canGrow(run: Run): boolean {
  // A translator is a U-Net and a PatchGAN, not the DCGAN whose blocks Grow maps.
  return run.config.task.kind === 'generate' && run.config.model.arch === 'dcgan' && (GROWABLE_STATUSES as readonly RunStatus[]).includes(run.status) && run.lastCheckpointStep !== null;
}

/** A larger side and the datasets a run could train on there: images of exactly that side, with the run's channels. */
export interface SizeChoice {
  factor: number;
  size: number;
  datasets: Dataset[];
}

export function sizeChoices(dataset: Dataset, datasets: readonly Dataset[]): SizeChoice[] {
  return SIZE_FACTORS.map((factor) => {
    const size = dataset.size * factor;
    return { factor, size, datasets: datasets.filter((d) => d.size === size && d.channels === dataset.channels) };
  });
}

/**
 * G's blocks now, and whether one more fits at the low-resolution end: size / 2^(blocks + 1) must
 * stay an integer from 3 to 8, and the run must not grow progressively (such a run grows by size).
 */
export function deeperChoice(run: Run, size: number): { blocks: number; allowed: boolean; why: 'room' | 'progressive' | null } {
  const { blocks } = planNet(size, run.config.model.depth);
  const why = !allowedDepths(size).includes(blocks + 1) ? 'room' : run.config.progressive.enabled ? 'progressive' : null;
  return { blocks, allowed: why === null, why };
}
