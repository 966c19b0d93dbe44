/** Run use cases: create from a dataset and a config, fork from a checkpoint, control training, read results. */
import { rmSync } from 'node:fs';
import { deepMerge, presetPatchOrThrow, resolveConfigOrThrow } from '../../common/config-resolve';
import type { ParsedRequestOf, ResponseOf } from '../../common/contract';
import { ACTIVE_STATUSES, type Checkpoint, type Run, type RunEvent, type RunSummary, type RunStatus, type Sample, type Series } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import { datasetShape } from '../../common/model-size';
import type { GrowReport } from '../../common/grow';
import { featureLayerProblem } from '../../common/net-plan';
import { progressiveProblem } from '../../common/progressive';
import { translationDataProblem } from '../../common/translation';
import { evaluationSplit } from '../../common/quality';
import type { TrainingConfig } from '../../common/training-config';
import type { DataDir } from '../data-dir';
import { reconcileRunCheckpoints, soundCheckpointDir } from '../checkpoints/reconcile-checkpoints';
import { newId } from '../ids';
import type { MemoryBudget } from '../settings/memory-budget';
import type { Store } from '../store/store';
import type { TrainerHost } from '../trainer/trainer-host';
import { createRunFolder } from './run-folder';

/** Statuses from which a run can be (re)started; it continues from its last checkpoint. */
const STARTABLE = new Set(['queued', 'stopped', 'interrupted', 'failed']);

/** Weights carry over to a fork only when the networks have the same shape. */
function sameNetworks(a: TrainingConfig, b: TrainingConfig): boolean {
  return JSON.stringify([a.model, a.latentSize]) === JSON.stringify([b.model, b.latentSize]);
}

export class RunService {
  constructor(
    private readonly store: Store,
    private readonly dataDir: DataDir,
    private readonly host: TrainerHost,
    private readonly budget: MemoryBudget,
  ) {}

  list(): Run[] {
    return this.store.runs.list();
  }

  get(id: string): Run {
    const run = this.store.runs.get(id);
    if (!run) throw new WorkbenchError('NOT_FOUND', `no run with id ${id}`);
    return run;
  }

  create(req: ParsedRequestOf<'runs.create'>): Run {
    const dataset = this.store.datasets.get(req.datasetId);
    if (!dataset) throw new WorkbenchError('NOT_FOUND', `no dataset with id ${req.datasetId}`);
    const config = resolveConfigOrThrow({ preset: req.preset, config: req.config });
    this.checkFits(config, dataset.id);
    const name = req.name ?? `${dataset.name} · ${req.preset ?? config.model.arch}`;
    return this.insert({ name, datasetId: dataset.id, config, start: req.start, parentRunId: null, parentStep: null, preset: req.preset ?? null });
  }

  /**
   * A new run that starts where the parent's checkpoint left off, with changed hyperparameters.
   * When the networks change shape ("simplify, then grow") the weights cannot carry over: the fork
   * starts from step 0 and records its parent.
   */
  fork(req: ParsedRequestOf<'runs.fork'>): Run {
    const parent = this.get(req.id);
    const checkpoint = req.step === undefined ? this.store.checkpoints.latest(parent.id) : this.store.checkpoints.get(parent.id, req.step);
    if (!checkpoint) {
      throw new WorkbenchError('NOT_FOUND', req.step === undefined ? `run ${parent.id} has no checkpoint yet` : `run ${parent.id} has no checkpoint at step ${req.step}`);
    }
    const changes = (req.config ?? {}) as Record<string, unknown>;
    const inherited = parent.config as unknown as Record<string, unknown>;
    const base = req.preset === undefined ? inherited : deepMerge(inherited, presetPatchOrThrow(req.preset));
    const config = resolveConfigOrThrow({ config: deepMerge(base, changes) });
    if (config.steps <= checkpoint.step && sameNetworks(parent.config, config)) {
      throw new WorkbenchError('INVALID_REQUEST', `the fork starts at step ${checkpoint.step}; give it more steps than that`, {
        issues: [{ path: 'config.steps', message: `must be more than ${checkpoint.step}` }],
      });
    }
    this.checkFits(config, parent.datasetId);
    const carry = sameNetworks(parent.config, config);
    // Verified (checksums too) before anything is made: a stale or damaged row loses its row, and no run appears.
    const from = carry ? { dir: soundCheckpointDir(this.store, this.dataDir, checkpoint, 'checksum'), step: checkpoint.step } : undefined;
    const run = this.insert(
      {
        name: req.name ?? `${parent.name} ↳ ${checkpoint.step}`,
        datasetId: parent.datasetId,
        config,
        start: false,
        parentRunId: parent.id,
        parentStep: checkpoint.step,
        preset: req.preset ?? parent.preset,
      },
      from,
      (id) => {
        if (carry) {
          // Its evaluation stays the parent's: a fork's best is chosen among the fork's own evaluations.
          this.store.checkpoints.insert({ runId: id, step: checkpoint.step, path: `runs/${id}/checkpoints/${checkpoint.step}`, createdAt: checkpoint.createdAt });
          this.store.runs.update(id, { step: checkpoint.step });
        }
        this.store.events.insert(
          id,
          'forked',
          carry
            ? `forked from ${parent.id} at step ${checkpoint.step}`
            : `forked from ${parent.id} at step ${checkpoint.step} with different networks: training starts from scratch`,
        );
      },
    );
    if (req.start) this.host.enqueue(run.id);
    return this.get(run.id);
  }

  /**
   * A grown run (core/runs/run-grow.ts made its config and, in `checkpointDir`, its checkpoint 0):
   * the folder with that checkpoint and grow.json, the rows, and a `grown` event, as one fork is made.
   */
  createGrown(g: { id: string; name: string; datasetId: string; config: TrainingConfig; parent: Run; checkpointDir: string; report: GrowReport; start: boolean }): Run {
    this.checkFits(g.config, g.datasetId);
    const run = this.insert(
      { name: g.name, datasetId: g.datasetId, config: g.config, start: false, parentRunId: g.parent.id, parentStep: g.report.parentStep, preset: g.parent.preset },
      { dir: g.checkpointDir, step: 0 },
      (id) => {
        this.store.checkpoints.insert({ runId: id, step: 0, path: `runs/${id}/checkpoints/0`, createdAt: new Date().toISOString() });
        const kept = g.report.weights.filter((w) => w.fate !== 'new').length;
        this.store.events.insert(id, 'grown', `grown from ${g.parent.id} at step ${g.report.parentStep}: ${g.report.summary}; ${kept} of ${g.report.weights.length} weights carried over`);
      },
      { id: g.id, files: { 'grow.json': JSON.stringify(g.report, null, 2) } },
    );
    if (g.start) this.host.enqueue(run.id);
    return this.get(run.id);
  }

  start(id: string): Run {
    const run = this.get(id);
    if (!STARTABLE.has(run.status)) {
      throw new WorkbenchError('CONFLICT', `run ${id} is ${run.status}; only a ${[...STARTABLE].join(', ')} run can start`);
    }
    if (run.status !== 'queued' && run.step >= run.config.steps) {
      throw new WorkbenchError('CONFLICT', `run ${id} already trained all ${run.config.steps} steps; fork it to train further`);
    }
    // The trainer verifies checksums before it loads; the rows it would resume from are checked here first.
    reconcileRunCheckpoints(this.store, this.dataDir, id);
    this.host.enqueue(id);
    return this.get(id);
  }

  pause(id: string): Run {
    this.requireStatus(id, ['running'], 'pause');
    this.host.pause(id);
    return this.get(id);
  }

  resume(id: string): Run {
    if (!this.host.isHeldByStore(id)) this.requireStatus(id, ['paused'], 'resume');
    this.host.resume(id);
    return this.get(id);
  }

  stop(id: string, immediate = false): Run {
    this.requireStatus(id, ACTIVE_STATUSES, 'stop');
    this.host.stop(id, { immediate });
    return this.get(id);
  }

  metrics(id: string, keys: string[] | undefined, maxPoints: number): Series[] {
    this.get(id);
    return this.store.metrics.series(id, { keys, maxPoints });
  }

  /** Name, notes and tags: the labels a person keeps on a run. Tags are trimmed and kept once each. */
  update(req: ParsedRequestOf<'runs.update'>): Run {
    this.get(req.id);
    const tags = req.tags && [...new Set(req.tags.map((t) => t.trim()))];
    this.store.runs.update(req.id, { name: req.name, notes: req.notes, tags });
    return this.get(req.id);
  }

  /** Last values and the best checkpoint of each run (all runs when `ids` is left out). */
  summaries(ids?: string[]): RunSummary[] {
    const runs = ids ? ids.map((id) => this.get(id)) : this.list();
    return runs.map((run) => {
      const best = this.store.checkpoints.best(run.id);
      return {
        runId: run.id,
        last: this.store.metrics.last(run.id),
        lastTime: this.store.metrics.timeAt(run.id),
        best: best ? { step: best.step, by: best.bestBy, kid: best.kid } : null,
      };
    });
  }

  /** Bucketed series of 2–6 runs on one grid, along steps or seconds of training. */
  compare(req: ParsedRequestOf<'runs.compare'>): ResponseOf<'runs.compare'> {
    for (const id of req.ids) this.get(id);
    return this.store.metrics.compare(req.ids, { keys: req.keys, maxPoints: req.maxPoints, axis: req.x });
  }

  samples(id: string): Sample[] {
    this.get(id);
    return this.store.samples.list(id);
  }

  checkpoints(id: string): Checkpoint[] {
    this.get(id);
    return this.store.checkpoints.list(id);
  }

  events(id: string): RunEvent[] {
    this.get(id);
    return this.store.events.list(id);
  }

  delete(id: string): void {
    const run = this.get(id);
    if (['running', 'paused'].includes(run.status)) throw new WorkbenchError('CONFLICT', `stop run ${id} before deleting it`);
    if (run.status === 'queued') this.host.stop(id);
    this.store.runs.delete(id);
    rmSync(this.dataDir.run(id), { recursive: true, force: true });
  }

  /**
   * The run's folder first (complete, renamed into place), then its row and `withRow`'s rows in one
   * durable transaction; if that fails the folder goes, so there is never a row without its folder
   * nor (after the start-up sweep) a folder without its row.
   */
  private insert(
    r: {
      name: string;
      datasetId: string;
      config: TrainingConfig;
      start: boolean;
      parentRunId: string | null;
      parentStep: number | null;
      preset: string | null;
    },
    from?: { dir: string; step: number },
    withRow?: (id: string) => void,
    made: { id?: string; files?: Record<string, string> } = {},
  ): Run {
    const id = made.id ?? newId('run');
    const runDir = createRunFolder(this.dataDir, id, r.config, from, made.files);
    try {
      this.store.durably(() => {
        this.store.runs.insert({
          id,
          name: r.name,
          datasetId: r.datasetId,
          status: r.start ? 'queued' : 'stopped',
          config: r.config,
          step: 0,
          backend: null,
          reason: null,
          createdAt: new Date().toISOString(),
          startedAt: null,
          endedAt: null,
          parentRunId: r.parentRunId,
          parentStep: r.parentStep,
          preset: r.preset,
        });
        withRow?.(id);
      });
    } catch (error) {
      rmSync(runDir, { recursive: true, force: true });
      throw error;
    }
    if (r.start) this.host.enqueue(id);
    return this.get(id);
  }

  /**
   * A new run's config must fit its dataset's images: the memory budget, and feature matching's
   * layer within D's blocks at that size (the trainer would refuse it only once started).
   */
  private checkFits(config: TrainingConfig, datasetId: string): void {
    const dataset = this.store.datasets.get(datasetId);
    if (!dataset) throw new WorkbenchError('NOT_FOUND', `no dataset with id ${datasetId}`);
    const shape = datasetShape(config, dataset);
    this.budget.check(config, shape);
    const growing = progressiveProblem(config, shape.size);
    if (growing !== null) throw new WorkbenchError('INVALID_REQUEST', growing, { issues: [{ path: 'config.progressive.startSize', message: growing }] });
    const fm = config.stabilizers.featureMatching;
    const problem = fm.enabled ? featureLayerProblem(fm.layer, shape.size, config.model.depth) : null;
    if (problem !== null) {
      throw new WorkbenchError('INVALID_REQUEST', problem, { issues: [{ path: 'config.stabilizers.featureMatching.layer', message: problem }] });
    }
    const b = config.task.kind !== 'generate' && config.task.datasetB !== null ? (this.store.datasets.get(config.task.datasetB) ?? null) : null;
    const translating = translationDataProblem(config, dataset, b);
    if (translating !== null) throw new WorkbenchError('INVALID_REQUEST', translating.message, { issues: [translating] });
    if (config.evaluation.everyCheckpoints > 0 && evaluationSplit(dataset.count, Infinity) === null) {
      const message = `dataset ${dataset.id} holds ${dataset.count} images: too few to draw held-out and real images from for an evaluation; set it to 0`;
      throw new WorkbenchError('INVALID_REQUEST', message, { issues: [{ path: 'config.evaluation.everyCheckpoints', message }] });
    }
  }

  private requireStatus(id: string, allowed: readonly RunStatus[], action: string): Run {
    const run = this.get(id);
    if (!allowed.includes(run.status)) throw new WorkbenchError('CONFLICT', `cannot ${action} run ${id}: it is ${run.status}`);
    return run;
  }
}

