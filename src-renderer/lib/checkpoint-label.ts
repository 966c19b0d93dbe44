/** How a checkpoint is named in a list (fork, export): its step, whether it is the run's best and how that was chosen, and its KID. */
import type { Checkpoint } from '@common/domain';

type Translate = (key: string, params: Record<string, string | number>) => string;

export function checkpointLabel(c: Checkpoint, t: Translate): string {
  const parts = [t('sample.step', { step: c.step })];
  if (c.best) parts.push(t(c.bestBy === 'kid' ? 'newRun.best' : 'newRun.bestNewest', {}));
  if (c.kid !== null) parts.push(t('newRun.kid', { kid: c.kid.toPrecision(3) }));
  return parts.join(' · ');
}
