/**
 * The TrainerHost: a queue of runs, one trainer process per active run, the store updated from its
 * messages, and crash detection that marks a run `interrupted` instead of leaving it `running`.
 */
import type { Emit } from '../../common/contract';
import type { BackendReport, Run, RunStatus } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import { computeFields, type ComputeChoice, type TrainerToHost } from '../../common/trainer-protocol';
import type { DataDir } from '../data-dir';
import type { Store } from '../store/store';
import type { TrainerLauncher, TrainerProcess } from './launcher';
import { runOneShot } from './one-shot';

interface Active {
  runId: string;
  proc: TrainerProcess;
  finished: boolean;
  /** Seconds trained before this attempt: the trainer counts from 0 each start, the run's clock does not. */
  timeOffset: number;
}

export interface TrainerHostOptions {
  store: Store;
  dataDir: DataDir;
  launcher: TrainerLauncher;
  emit: Emit;
  /** Force a compute backend or pick a GPU for every run (see `resolveBackend`). */
  compute?: ComputeChoice;
  log?: (message: string) => void;
}

export class TrainerHost {
  private readonly queue: string[] = [];
  private active: Active | null = null;
  private readonly waiters = new Map<string, Array<(run: Run) => void>>();

  constructor(private readonly opts: TrainerHostOptions) {}

  get activeRunId(): string | null {
    return this.active?.runId ?? null;
  }

  /** Process id of the trainer now running, for diagnostics (and the crash test). */
  get activePid(): number | undefined {
    return this.active?.proc.pid;
  }

  enqueue(runId: string): void {
    if (this.active?.runId === runId || this.queue.includes(runId)) return;
    this.setStatus(runId, 'queued', { error: null, endedAt: null });
    this.queue.push(runId);
    this.pump();
  }

  pause(runId: string): void {
    this.requireActive(runId, 'pause').proc.send({ type: 'pause' });
  }

  resume(runId: string): void {
    this.requireActive(runId, 'resume').proc.send({ type: 'resume' });
  }

  /** Stops an active run (it checkpoints first) or takes a queued one off the queue. */
  stop(runId: string): void {
    const i = this.queue.indexOf(runId);
    if (i >= 0) {
      this.queue.splice(i, 1);
      this.setStatus(runId, 'stopped', { endedAt: now() });
      return;
    }
    this.requireActive(runId, 'stop').proc.send({ type: 'stop' });
  }

  /** Resolves when the run reaches a status that is not queued, running or paused. */
  whenSettled(runId: string): Promise<Run> {
    const run = this.opts.store.runs.get(runId);
    if (run && !['queued', 'running', 'paused'].includes(run.status)) return Promise.resolve(run);
    return new Promise((resolve) => {
      const list = this.waiters.get(runId) ?? [];
      list.push(resolve);
      this.waiters.set(runId, list);
    });
  }

  /** Which compute backend a trainer gets here, and why not the others: asked of a short-lived trainer process. */
  probeBackend(): Promise<BackendReport> {
    return runOneShot({
      launcher: this.opts.launcher,
      what: 'report its compute backend',
      message: { type: 'probe', ...computeFields(this.opts.compute ?? {}) },
      answer: (m) => (m.type !== 'probed' ? undefined : m.backend ?? new Error(m.error ?? 'no compute backend is available')),
    });
  }

  /** Kills the trainer (app quit): its run becomes `interrupted` and can be resumed later. */
  shutdown(): void {
    this.queue.length = 0;
    this.active?.proc.kill();
  }

  private requireActive(runId: string, action: string): Active {
    if (this.active?.runId !== runId) {
      throw new WorkbenchError('CONFLICT', `cannot ${action} run ${runId}: it is not training now`);
    }
    return this.active;
  }

  private pump(): void {
    if (this.active) return;
    const runId = this.queue.shift();
    if (!runId) return;
    const run = this.opts.store.runs.get(runId);
    if (!run) return this.pump();
    let proc: TrainerProcess;
    try {
      proc = this.opts.launcher();
    } catch (e) {
      this.setStatus(runId, 'failed', { error: `could not start the trainer: ${String(e)}`, endedAt: now() });
      return this.pump();
    }
    const active: Active = { runId, proc, finished: false, timeOffset: 0 };
    this.active = active;
    proc.onMessage((m) => this.onMessage(active, m));
    proc.onExit((code, signal) => this.onExit(active, code, signal));
    proc.send({
      type: 'start',
      runId,
      runDir: this.opts.dataDir.run(runId),
      datasetDir: this.opts.dataDir.dataset(run.datasetId),
      config: run.config,
      ...computeFields(this.opts.compute ?? {}),
    });
  }

  private onMessage(active: Active, m: TrainerToHost): void {
    const { store, emit, dataDir } = this.opts;
    switch (m.type) {
      case 'ready':
      case 'probed':
        return;
      case 'started':
        // Points after the checkpoint we resume from belong to an attempt that no longer counts.
        store.metrics.deleteAfter(m.runId, m.fromStep);
        active.timeOffset = m.fromStep > 0 ? (store.metrics.timeAt(m.runId, m.fromStep) ?? 0) : 0;
        store.events.insert(m.runId, 'started', `training on ${m.backend.name} from step ${m.fromStep}`, m.backend);
        return this.setStatus(m.runId, 'running', { backend: m.backend.name, startedAt: now(), step: m.fromStep });
      case 'metrics': {
        const offset = active.timeOffset;
        const points = offset === 0 ? m.points : m.points.map((p) => ({ ...p, time: p.time + offset }));
        store.metrics.insertBatch(m.runId, points);
        const last = points[points.length - 1];
        if (last) store.runs.update(m.runId, { step: last.step });
        return emit('run.metrics', { runId: m.runId, points });
      }
      case 'sample': {
        const sample = { runId: m.runId, step: m.step, path: dataDir.relative(m.file) };
        store.samples.insert(sample);
        return emit('run.sample', sample);
      }
      case 'checkpoint':
        store.checkpoints.insert({ runId: m.runId, step: m.step, path: dataDir.relative(m.dir), createdAt: now(), metric: m.metric, best: m.best });
        store.checkpoints.deleteSteps(m.runId, m.pruned);
        return;
      case 'paused':
        if (m.reason) store.events.insert(m.runId, 'diagnostic', m.reason);
        return this.setStatus(m.runId, 'paused', { error: m.reason ?? null });
      case 'resumed':
        return this.setStatus(m.runId, 'running', { error: null });
      case 'finished':
        active.finished = true;
        store.events.insert(m.runId, m.status, m.error ?? `${m.status} at step ${m.step}`);
        return this.setStatus(m.runId, m.status, { error: m.error ?? null, endedAt: now() });
      case 'log':
        this.opts.log?.(`[trainer ${active.runId}] ${m.level}: ${m.message}`);
        if (m.level !== 'info') store.events.insert(active.runId, m.level, m.message);
        return;
    }
  }

  private onExit(active: Active, code: number | null, signal: string | null): void {
    if (!active.finished) {
      const why = `the trainer process exited unexpectedly (${signal ? `signal ${signal}` : `code ${code}`})`;
      this.opts.store.events.insert(active.runId, 'interrupted', why);
      this.setStatus(active.runId, 'interrupted', { error: why, endedAt: now() });
    }
    if (this.active === active) this.active = null;
    this.pump();
  }

  private setStatus(runId: string, status: RunStatus, patch: Partial<Pick<Run, 'error' | 'backend' | 'startedAt' | 'endedAt' | 'step'>>) {
    this.opts.store.runs.update(runId, { status, ...patch });
    const run = this.opts.store.runs.get(runId);
    if (!run) return;
    this.opts.emit('run.status', { runId, status, error: run.error, backend: run.backend });
    if (!['queued', 'running', 'paused'].includes(status)) {
      const list = this.waiters.get(runId) ?? [];
      this.waiters.delete(runId);
      list.forEach((w) => w(run));
    }
  }
}

function now(): string {
  return new Date().toISOString();
}
