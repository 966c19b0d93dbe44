/**
 * Evaluation in runs (issue 12): which checkpoints of a training run are evaluated (every k-th, and
 * the last one when the run ends), one evaluation at a time in the warm trainer worker beside
 * training, each result stored with its run (EvaluationService), the UI told of each step, and the
 * trainer told when a checkpoint it keeps for its evaluation may go.
 */
import type { Emit } from '../../common/contract';
import { WorkbenchError } from '../../common/errors';
import { chooseBest, evaluationDue, RUN_EVALUATION_SEED, type RunEvaluations as RunEvaluationsView } from '../../common/quality';
import type { KnownEvaluations } from '../../common/trainer-protocol';
import { ACTIVE_STATUSES, type Run } from '../../common/domain';
import type { Store } from '../store/store';
import type { EvaluationHooks } from '../trainer/trainer-host';
import type { EvaluationService } from './evaluation-service';

interface Job {
  runId: string;
  step: number;
}

export interface RunEvaluationsOptions {
  store: Store;
  service: Pick<EvaluationService, 'evaluate'>;
  emit: Emit;
  /** Tells the run's trainer, if it trains, that a checkpoint's evaluation failed: it need not keep it for one any more. */
  tellFailed: (runId: string, step: number) => void;
  log?: (message: string) => void;
}

export class RunEvaluations implements EvaluationHooks {
  private readonly queue: Job[] = [];
  private current: Job | null = null;
  private closed = false;
  private idle: (() => void)[] = [];

  constructor(private readonly opts: RunEvaluationsOptions) {}

  beforeStart(runId: string): KnownEvaluations {
    const run = this.opts.store.runs.get(runId);
    const evaluated = this.opts.store.evaluations.kids(runId);
    if (run) {
      // Left over from an attempt that ended before their evaluation (a crash, the app closed).
      const done = new Set(evaluated.map((e) => e.step));
      for (const c of this.opts.store.checkpoints.list(runId)) if (evaluationDue(run.config, c.step) && !done.has(c.step)) this.enqueue(runId, c.step);
    }
    return { evaluated, awaiting: this.pending(runId) };
  }

  checkpointed(runId: string, step: number): void {
    const run = this.opts.store.runs.get(runId);
    if (run && evaluationDue(run.config, step)) this.enqueue(runId, step);
  }

  /** The last checkpoint of an attempt is evaluated too, wherever its step falls. */
  ended(runId: string): void {
    const run = this.opts.store.runs.get(runId);
    if (!run || !evaluating(run)) return;
    const last = this.opts.store.checkpoints.latest(runId);
    if (last && last.kid === null) this.enqueue(runId, last.step);
  }

  /**
   * What the app, closed in the middle, left unevaluated in runs that no longer train: their due
   * checkpoints without an evaluation and their last one. For the app and serve mode at start-up
   * (a command of the CLI would end before they do).
   */
  catchUp(): void {
    for (const run of this.opts.store.runs.list()) {
      if (!evaluating(run) || ACTIVE_STATUSES.includes(run.status)) continue;
      const checkpoints = this.opts.store.checkpoints.list(run.id);
      for (const c of checkpoints) if (c.kid === null && (evaluationDue(run.config, c.step) || c === checkpoints.at(-1))) this.enqueue(run.id, c.step);
    }
  }

  /** Steps of the run's checkpoints queued for evaluation or being evaluated, in order. */
  pending(runId: string): number[] {
    return [...(this.current ? [this.current] : []), ...this.queue].filter((j) => j.runId === runId).map((j) => j.step);
  }

  /** A run's evaluations, those still to come, and how its best checkpoint is chosen. */
  view(runId: string): RunEvaluationsView {
    if (!this.opts.store.runs.get(runId)) throw new WorkbenchError('NOT_FOUND', `no run with id ${runId}`);
    const best = chooseBest(this.opts.store.checkpoints.list(runId));
    return { runId, evaluations: this.opts.store.evaluations.list(runId), pending: this.pending(runId), best };
  }

  /** Resolves when nothing is queued or being evaluated (the CLI waits for a run's last evaluation; tests too). */
  whenIdle(): Promise<void> {
    if (this.current === null && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Stops taking jobs: the one being measured fails with the worker's shutdown, and is measured again when its run starts next. */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.settleIdle();
  }

  private enqueue(runId: string, step: number): void {
    if (this.closed || this.pending(runId).includes(step)) return;
    this.queue.push({ runId, step });
    this.opts.emit('run.evaluation', { runId, step, status: 'pending', evaluation: null, error: null });
    void this.pump();
  }

  /** One evaluation at a time: the worker is shared with previews and renders, which should not wait behind a queue of them. */
  private async pump(): Promise<void> {
    if (this.current !== null) return;
    const job = this.queue.shift();
    if (job === undefined) return this.settleIdle();
    this.current = job;
    try {
      await this.evaluate(job);
    } finally {
      this.current = null;
      void this.pump();
    }
  }

  private async evaluate({ runId, step }: Job): Promise<void> {
    const run = this.opts.store.runs.get(runId);
    if (!run) return;
    const started = performance.now();
    try {
      // EvaluationService stores the result, says so and tells the trainer.
      await this.opts.service.evaluate({ source: { runId, step }, n: run.config.evaluation.n, seed: RUN_EVALUATION_SEED });
      this.opts.log?.(`run ${runId}: evaluated the checkpoint at step ${step} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } catch (e) {
      // Closing the app ends the worker's job: the checkpoint stays kept, and is evaluated when the run starts again.
      if (this.closed) return;
      const message = e instanceof Error ? e.message : String(e);
      this.opts.log?.(`run ${runId}: the evaluation of step ${step} failed: ${message}`);
      this.opts.tellFailed(runId, step);
      this.opts.emit('run.evaluation', { runId, step, status: 'failed', evaluation: null, error: message });
      try {
        this.opts.store.events.insert(runId, 'warn', `the evaluation of the checkpoint at step ${step} failed: ${message}`);
      } catch {
        // The run was deleted meanwhile, or the store refuses writes: the log line above says it.
      }
    }
  }

  private settleIdle(): void {
    if (this.current !== null || this.queue.length > 0) return;
    const waiting = this.idle;
    this.idle = [];
    waiting.forEach((resolve) => resolve());
  }
}

/** Whether a run evaluates its checkpoints as it trains. */
export function evaluating(run: Pick<Run, 'config'>): boolean {
  return run.config.evaluation.everyCheckpoints > 0;
}
