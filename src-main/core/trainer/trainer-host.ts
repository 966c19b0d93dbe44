/**
 * The TrainerHost: a queue of runs, one trainer process per active run (as many at once as the
 * training slots allow), the store updated from their messages, and crash detection that marks a run
 * `interrupted` instead of leaving it `running`.
 * A store that refuses a write (busy, full, I/O) pauses the run and keeps the unwritten messages until
 * it accepts them again: nothing the trainer reported is lost, and the process never crashes.
 */
import { join } from 'node:path';
import type { Emit } from '../../common/contract';
import { ACTIVE_STATUSES, type BackendReport, type Run, type RunStatus } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import { reason, type RunReason } from '../../common/run-reasons';
import { perceptualDatasetId } from '../../common/translation';
import { computeFields, type ComputeChoice, type KnownEvaluations, type TrainerToHost } from '../../common/trainer-protocol';
import type { DataDir } from '../data-dir';
import { CLASSIFIER_DIR } from '../datasets/packed-format';
import { currentProcess } from '../process-identity';
import { storeFailureReason } from '../store/store-failure';
import type { Store } from '../store/store';
import type { TrainerLauncher, TrainerProcess } from './launcher';
import { probeBackend } from './probe-backend';

/** The messages about the run being trained; logs are attributed to it. */
type RunMessage = Extract<TrainerToHost, { runId: string }> | (Extract<TrainerToHost, { type: 'log' }> & { runId: string });

interface Active {
  runId: string;
  proc: TrainerProcess;
  finished: boolean;
  /** Seconds trained before this attempt: the trainer counts from 0 each start, the run's clock does not. */
  timeOffset: number;
  /** Set when the store refused a write: messages wait here, in order, until it accepts them again. */
  storeFailure: RunReason | null;
  backlog: RunMessage[];
  /** Set by an immediate stop: the exit that follows is the stop, not a crash. */
  killedOnPurpose: RunReason | null;
  /** The trainer said it is paused (and will say when it resumes). */
  trainerPaused: boolean;
}

/** What the host tells the runs' evaluations (core/quality/run-evaluations.ts), and asks of them before a trainer starts. */
export interface EvaluationHooks {
  /** What the new trainer's checkpoint keeper must know; due checkpoints left without an evaluation are queued now. */
  beforeStart(runId: string): KnownEvaluations;
  /** The checkpoint at `step` is recorded (and the ones it pruned are gone). */
  checkpointed(runId: string, step: number): void;
  /** The run stopped training: completed, stopped, failed or interrupted. */
  ended(runId: string): void;
}

export interface TrainerHostOptions {
  store: Store;
  dataDir: DataDir;
  launcher: TrainerLauncher;
  emit: Emit;
  /** Force a compute backend or pick a GPU for every run (see `resolveBackend`). */
  compute?: ComputeChoice;
  /** How many runs may train at once (the `trainingSlots` setting, read each time a slot frees up); 1 when absent. */
  slots?: () => number;
  /** Evaluation in runs (issue 12); without it no checkpoint is evaluated as the run trains. */
  evaluations?: EvaluationHooks;
  log?: (message: string) => void;
}

export class TrainerHost {
  private readonly queue: string[] = [];
  private readonly active = new Map<string, Active>();
  private readonly waiters = new Map<string, Array<(run: Run) => void>>();

  constructor(private readonly opts: TrainerHostOptions) {}

  /** The runs that have a trainer process now, oldest first. */
  get trainingRunIds(): string[] {
    return [...this.active.keys()];
  }

  /** Process id of a run's trainer, for diagnostics (and the crash tests). */
  pidOf(runId: string): number | undefined {
    return this.active.get(runId)?.proc.pid;
  }

  /** A run whose previous trainer is still exiting waits in the queue for it (a start right after a stop). */
  enqueue(runId: string): void {
    const current = this.active.get(runId);
    const leaving = current !== undefined && (current.finished || current.killedOnPurpose !== null);
    if ((current && !leaving) || this.queue.includes(runId)) return;
    this.setStatus(runId, 'queued', { reason: null, endedAt: null, owner: currentProcess() });
    this.queue.push(runId);
    this.pump();
  }

  pause(runId: string): void {
    this.requireActive(runId, 'pause').proc.send({ type: 'pause' });
  }

  /** Writes what the store refused before; only when it takes them does training go on. */
  resume(runId: string): void {
    const active = this.requireActive(runId, 'resume');
    if (active.storeFailure) {
      this.drainBacklog(active);
      if (active.storeFailure) {
        throw new WorkbenchError('STORE_FAILED', `run ${runId} stays paused: ${active.storeFailure.message}`, { reason: active.storeFailure });
      }
      // Our pause may have reached a trainer busy waiting for the store: it never paused, so it will not say it resumed.
      if (!active.trainerPaused) this.setStatus(runId, 'running', { reason: null });
    }
    active.proc.send({ type: 'resume' });
  }

  /**
   * Stops an active run after a checkpoint, or takes a queued one off the queue. `immediate` kills the
   * trainer at once: no final checkpoint, and the run resumes from its last one.
   */
  stop(runId: string, opts: { immediate?: boolean } = {}): void {
    const i = this.queue.indexOf(runId);
    if (i >= 0) {
      this.queue.splice(i, 1);
      this.setStatus(runId, 'stopped', { endedAt: now(), owner: null });
      return;
    }
    const active = this.requireActive(runId, 'stop');
    if (!opts.immediate) return active.proc.send({ type: 'stop' });
    const resumeStep = this.opts.store.checkpoints.latest(runId)?.step ?? null;
    active.killedOnPurpose = reason(
      'STOPPED_WITHOUT_CHECKPOINT',
      resumeStep === null ? 'stopped at once: no final checkpoint; the run starts again from step 0' : `stopped at once: no final checkpoint; resumes from step ${resumeStep}`,
      { resumeStep },
    );
    active.proc.kill();
  }

  /** Stops everything before the process exits: queued runs, then the active ones (after a checkpoint unless `immediate`). */
  async stopAll(opts: { immediate?: boolean } = {}): Promise<void> {
    for (const runId of [...this.queue]) this.stop(runId);
    const settled = [...this.active.keys()].map((runId) => {
      const done = this.whenSettled(runId);
      this.stop(runId, opts);
      return done;
    });
    await Promise.all(settled);
  }

  /** Resolves when the run reaches a status that is not queued, running or paused. */
  whenSettled(runId: string): Promise<Run> {
    const run = this.opts.store.runs.get(runId);
    if (run && !ACTIVE_STATUSES.includes(run.status)) return Promise.resolve(run);
    return new Promise((resolve) => {
      const list = this.waiters.get(runId) ?? [];
      list.push(resolve);
      this.waiters.set(runId, list);
    });
  }

  /** Which compute backend a trainer gets here, and why not the others: asked of a short-lived trainer process. */
  probeBackend(): Promise<BackendReport> {
    return probeBackend(this.opts.launcher, this.opts.compute);
  }

  /** Tells the trainer of an active run that a checkpoint was evaluated (kid null: it failed), so that its keeper may prune it. */
  evaluated(runId: string, step: number, kid: number | null): void {
    // A trainer on its way out may refuse it: it prunes nothing more anyway.
    this.guard(() => this.active.get(runId)?.proc.send({ type: 'evaluated', step, kid }));
  }

  /** Kills the trainers (a crash of the app, in effect): their runs become `interrupted` and can be resumed later. */
  shutdown(): void {
    this.queue.length = 0;
    for (const active of this.active.values()) active.proc.kill();
  }

  private requireActive(runId: string, action: string): Active {
    const active = this.active.get(runId);
    if (!active) throw new WorkbenchError('CONFLICT', `cannot ${action} run ${runId}: it is not training now`);
    return active;
  }

  /** Starts queued runs when the setting now allows more at once (a lower setting waits for runs to end). */
  fillSlots(): void {
    this.pump();
  }

  /** A run still exiting holds its slot, and its id: a restart of it waits for the exit. */
  private freeSlot(): boolean {
    const slots = Math.max(1, Math.floor(this.opts.slots?.() ?? 1));
    return this.active.size < slots;
  }

  private pump(): void {
    if (!this.freeSlot()) return;
    const i = this.queue.findIndex((id) => !this.active.has(id));
    if (i < 0) return;
    const [runId] = this.queue.splice(i, 1) as [string];
    const run = this.opts.store.runs.get(runId);
    if (!run) return this.pump();
    let proc: TrainerProcess;
    try {
      proc = this.opts.launcher();
    } catch (e) {
      const why = reason('TRAINER_ERROR', `could not start the trainer: ${e instanceof Error ? e.message : String(e)}`);
      this.setStatus(runId, 'failed', { reason: why, endedAt: now(), owner: null });
      return this.pump();
    }
    let evaluations: KnownEvaluations = { evaluated: [], awaiting: [] };
    // Without what the store knows, the keeper still keeps every due checkpoint: it prunes less, never more.
    this.guard(() => (evaluations = this.opts.evaluations?.beforeStart(runId) ?? evaluations));
    const active: Active = { runId, proc, finished: false, timeOffset: 0, storeFailure: null, backlog: [], killedOnPurpose: null, trainerPaused: false };
    this.active.set(runId, active);
    proc.onMessage((m) => this.guard(() => this.onMessage(active, m)));
    proc.onExit((code, signal) => this.guard(() => this.onExit(active, code, signal)));
    const perceptualId = perceptualDatasetId(run.config, run.datasetId);
    proc.send({
      type: 'start',
      runId,
      runDir: this.opts.dataDir.run(runId),
      datasetDir: this.opts.dataDir.dataset(run.datasetId),
      ...(run.config.task.datasetB === null ? {} : { datasetBDir: this.opts.dataDir.dataset(run.config.task.datasetB) }),
      ...(perceptualId === null ? {} : { classifierDir: join(this.opts.dataDir.dataset(perceptualId), CLASSIFIER_DIR) }),
      config: run.config,
      evaluations,
      ...computeFields(this.opts.compute ?? {}),
    });
    this.pump();
  }

  /** Nothing a trainer sends may take the host down: what still throws here is logged, never rethrown. */
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.opts.log?.(`trainer host: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }

  private onMessage(active: Active, m: TrainerToHost): void {
    if (m.type === 'log') {
      this.opts.log?.(`[trainer ${active.runId}] ${m.level}: ${m.message}`);
      if (m.level === 'info') return;
    } else if (m.type === 'ready' || m.type === 'probed' || !('runId' in m)) {
      return;
    }
    const message = (m.type === 'log' ? { ...m, runId: active.runId } : m) as RunMessage;
    if (active.storeFailure) {
      active.backlog.push(message);
      return;
    }
    try {
      this.apply(active, message);
    } catch (error) {
      const why = storeFailureReason(error);
      if (!why) throw error;
      this.onStoreFailure(active, message, why);
    }
  }

  /** Writes one trainer message to the store and tells the UI. Throws what the store throws. */
  private apply(active: Active, m: RunMessage): void {
    const { store, emit, dataDir } = this.opts;
    const runId = active.runId;
    switch (m.type) {
      case 'started':
        store.db.transaction(() => {
          // Points after the checkpoint we resume from belong to an attempt that no longer counts.
          store.metrics.deleteAfter(runId, m.fromStep);
          active.timeOffset = m.fromStep > 0 ? (store.metrics.timeAt(runId, m.fromStep) ?? 0) : 0;
          store.events.insert(runId, 'started', `training on ${m.backend.name} from step ${m.fromStep}`, m.backend);
        })();
        return this.setStatus(runId, 'running', { backend: m.backend.name, startedAt: now(), step: m.fromStep });
      case 'metrics': {
        const offset = active.timeOffset;
        const points = offset === 0 ? m.points : m.points.map((p) => ({ ...p, time: p.time + offset }));
        const last = points[points.length - 1];
        store.db.transaction(() => {
          store.metrics.insertBatch(runId, points);
          if (last) store.runs.update(runId, { step: last.step });
        })();
        return emit('run.metrics', { runId, points });
      }
      case 'sample': {
        const sample = { runId, step: m.step, path: dataDir.relative(m.file), rawPath: m.rawFile === null ? null : dataDir.relative(m.rawFile) };
        store.samples.insert(sample);
        return emit('run.sample', sample);
      }
      case 'checkpoint':
        store.checkpoints.record({ runId, step: m.step, path: dataDir.relative(m.dir), createdAt: now() }, m.pruned);
        // After the record: a failure to queue its evaluation must not make the store write again.
        return this.guard(() => this.opts.evaluations?.checkpointed(runId, m.step));
      case 'paused':
        active.trainerPaused = true;
        if (m.reason) store.events.insertReason(runId, 'diagnostic', m.reason);
        return this.setStatus(runId, 'paused', { reason: m.reason ?? null });
      case 'resumed':
        active.trainerPaused = false;
        return this.setStatus(runId, 'running', { reason: null });
      case 'finished':
        active.finished = true;
        if (m.reason) store.events.insertReason(runId, m.status, m.reason);
        else store.events.insert(runId, m.status, `${m.status} at step ${m.step}`);
        return this.setStatus(runId, m.status, { reason: m.reason ?? null, endedAt: now(), owner: null });
      case 'log':
        store.events.insert(runId, m.level, m.message);
        return;
      case 'sync':
        // Messages are applied in order: everything before this one is stored.
        return active.proc.send({ type: 'synced', id: m.id });
      default:
        return;
    }
  }

  /** Pauses the trainer and keeps the message the store refused; later ones queue behind it. */
  private onStoreFailure(active: Active, m: RunMessage, cause: RunReason): void {
    const step = m.type === 'metrics' ? m.points.at(-1)?.step : 'step' in m ? m.step : undefined;
    const why: RunReason = step === undefined ? cause : { ...cause, step };
    active.storeFailure = why;
    active.backlog.push(m);
    this.opts.log?.(`run ${active.runId}: ${why.message}; pausing it`);
    if (m.type === 'finished') active.finished = true;
    else active.proc.send({ type: 'pause' });
    this.announce(active.runId, 'paused', why);
    // Record the pause too, if the store takes that much; the next start-up recovers the run either way.
    this.guard(() => this.opts.store.runs.update(active.runId, { status: 'paused', reason: why }));
  }

  private drainBacklog(active: Active): void {
    while (active.backlog.length > 0) {
      const next = active.backlog[0]!;
      // The trainer's own pause answers ours: it must not clear the reason we paused for.
      const m = next.type === 'paused' && !next.reason ? { ...next, reason: active.storeFailure ?? undefined } : next;
      try {
        this.apply(active, m);
      } catch (error) {
        const why = storeFailureReason(error);
        if (!why) throw error;
        active.storeFailure = why;
        return;
      }
      active.backlog.shift();
    }
    active.storeFailure = null;
  }

  private onExit(active: Active, code: number | null, signal: string | null): void {
    if (active.storeFailure) this.guard(() => this.drainBacklog(active));
    if (active.storeFailure) return this.settleUnrecorded(active);
    if (active.killedOnPurpose) {
      const why = active.killedOnPurpose;
      this.opts.store.events.insertReason(active.runId, 'stopped', why);
      this.setStatus(active.runId, 'stopped', { reason: why, endedAt: now(), owner: null });
    } else if (!active.finished) {
      const how = signal ? `signal ${signal}` : `code ${code}`;
      const why = reason('TRAINER_EXITED', `the trainer process exited unexpectedly (${how})`, {
        ...(signal ? { signal } : {}),
        ...(code !== null ? { exitCode: code } : {}),
      });
      this.opts.store.events.insertReason(active.runId, 'interrupted', why);
      this.setStatus(active.runId, 'interrupted', { reason: why, endedAt: now(), owner: null });
    }
    this.release(active);
  }

  /** Frees the run's slot and fills the free slots from the queue. */
  private release(active: Active): void {
    if (this.active.get(active.runId) === active) this.active.delete(active.runId);
    this.pump();
  }

  /**
   * The trainer is gone and the store still refuses writes: tell the UI and anyone waiting from memory.
   * The database keeps the run active with a dead owner, so the next start-up recovers it as interrupted.
   */
  private settleUnrecorded(active: Active): void {
    const why = active.storeFailure!;
    const stored = this.opts.store.runs.get(active.runId);
    if (stored) this.announce(active.runId, 'interrupted', why, { ...stored, status: 'interrupted', reason: why });
    this.release(active);
  }

  /** The run waits on the store (see onStoreFailure): resumable even if the store never recorded the pause. */
  isHeldByStore(runId: string): boolean {
    return (this.active.get(runId)?.storeFailure ?? null) !== null;
  }

  private setStatus(
    runId: string,
    status: RunStatus,
    patch: Partial<Pick<Run, 'reason' | 'backend' | 'startedAt' | 'endedAt' | 'step'>> & { owner?: ReturnType<typeof currentProcess> | null },
  ) {
    this.opts.store.runs.update(runId, { status, ...patch });
    const run = this.opts.store.runs.get(runId);
    if (!run) return;
    this.announce(runId, status, run.reason, run);
  }

  /** Tells the UI and anyone waiting; works from memory when the store could not record the status. */
  private announce(runId: string, status: RunStatus, why: RunReason | null, run?: Run): void {
    this.opts.emit('run.status', { runId, status, reason: why, backend: run?.backend ?? null });
    if (run && !ACTIVE_STATUSES.includes(status)) {
      this.guard(() => this.opts.evaluations?.ended(runId));
      const list = this.waiters.get(runId) ?? [];
      this.waiters.delete(runId);
      list.forEach((w) => w(run));
    }
  }
}

function now(): string {
  return new Date().toISOString();
}
