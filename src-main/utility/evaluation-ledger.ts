/**
 * What the trainer knows of its run's quality evaluations, for the checkpoint keeper: the KID of each
 * evaluated checkpoint as the host reports it, and which checkpoints still await an evaluation. The
 * host measures in its warm worker; the trainer only keeps what is not measured yet, and the best.
 */
import { chooseBest, evaluationDue } from '../common/quality';
import type { KnownEvaluations } from '../common/trainer-protocol';
import type { TrainingConfig } from '../common/training-config';

export class EvaluationLedger {
  /** KID by step; null when the evaluation failed (the checkpoint waits for nothing any more). */
  private readonly kids = new Map<number, number | null>();
  /** Checkpoints the host queued for evaluation (the last one of an earlier attempt, say). */
  private readonly queued = new Set<number>();

  constructor(
    private readonly config: Pick<TrainingConfig, 'evaluation' | 'intervals'>,
    known: KnownEvaluations = { evaluated: [], awaiting: [] },
  ) {
    for (const { step, kid } of known.evaluated) this.kids.set(step, kid);
    for (const step of known.awaiting) if (!this.kids.has(step)) this.queued.add(step);
  }

  /** The host stored an evaluation of `step` (or gave up on it). */
  record(step: number, kid: number | null): void {
    this.kids.set(step, kid);
    this.queued.delete(step);
  }

  /**
   * A checkpoint that must stay until it is evaluated: queued by the host, or due by the run's
   * evaluation interval and not evaluated yet (the host queues it when it records the checkpoint).
   */
  awaits(step: number): boolean {
    return this.queued.has(step) || (evaluationDue(this.config, step) && !this.kids.has(step));
  }

  /** The checkpoint among `steps` with the lowest KID; null when none of them is evaluated. */
  best(steps: Iterable<number>): number | null {
    const evaluated = [...steps].map((step) => ({ step, kid: this.kids.get(step) ?? null })).filter((c) => c.kid !== null);
    return chooseBest(evaluated)?.step ?? null;
  }
}
