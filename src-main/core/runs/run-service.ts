/** Run use cases: create from a dataset and a config, control training, read metrics and samples. */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Run, Sample, Series } from '../../common/domain';
import { WorkbenchError, issuesOf } from '../../common/errors';
import { TrainingConfig } from '../../common/training-config';
import type { DataDir } from '../data-dir';
import { newId } from '../ids';
import type { Store } from '../store/store';
import type { TrainerHost } from '../trainer/trainer-host';

export interface CreateRunRequest {
  datasetId: string;
  name?: string;
  config?: unknown;
  start: boolean;
}

/** Statuses from which a run can be (re)started; it continues from its last checkpoint. */
const STARTABLE = new Set(['queued', 'stopped', 'interrupted', 'failed']);

export class RunService {
  constructor(
    private readonly store: Store,
    private readonly dataDir: DataDir,
    private readonly host: TrainerHost,
  ) {}

  list(): Run[] {
    return this.store.runs.list();
  }

  get(id: string): Run {
    const run = this.store.runs.get(id);
    if (!run) throw new WorkbenchError('NOT_FOUND', `no run with id ${id}`);
    return run;
  }

  create(req: CreateRunRequest): Run {
    const dataset = this.store.datasets.get(req.datasetId);
    if (!dataset) throw new WorkbenchError('NOT_FOUND', `no dataset with id ${req.datasetId}`);
    const parsed = TrainingConfig.safeParse(req.config ?? {});
    if (!parsed.success) {
      const issues = issuesOf(parsed.error).map((i) => ({ ...i, path: `config.${i.path}` }));
      throw new WorkbenchError('INVALID_REQUEST', `invalid training config: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, {
        issues,
      });
    }
    const id = newId('run');
    const config = parsed.data;
    const runDir = this.dataDir.run(id);
    mkdirSync(join(runDir, 'samples'), { recursive: true });
    mkdirSync(join(runDir, 'checkpoints'), { recursive: true });
    writeFileSync(join(runDir, 'config.json'), JSON.stringify(config, null, 2));
    this.store.runs.insert({
      id,
      name: req.name ?? `${dataset.name} · ${config.model.arch}`,
      datasetId: dataset.id,
      status: req.start ? 'queued' : 'stopped',
      config,
      step: 0,
      backend: null,
      error: null,
      createdAt: new Date().toISOString(),
      startedAt: null,
      endedAt: null,
    });
    if (req.start) this.host.enqueue(id);
    return this.get(id);
  }

  start(id: string): Run {
    const run = this.get(id);
    if (!STARTABLE.has(run.status)) {
      throw new WorkbenchError('CONFLICT', `run ${id} is ${run.status}; only a ${[...STARTABLE].join(', ')} run can start`);
    }
    if (run.status === 'failed' || run.status === 'stopped' || run.status === 'interrupted') {
      if (run.step >= run.config.steps) throw new WorkbenchError('CONFLICT', `run ${id} already trained all ${run.config.steps} steps`);
    }
    this.host.enqueue(id);
    return this.get(id);
  }

  pause(id: string): Run {
    this.requireStatus(id, ['running'], 'pause');
    this.host.pause(id);
    return this.get(id);
  }

  resume(id: string): Run {
    this.requireStatus(id, ['paused'], 'resume');
    this.host.resume(id);
    return this.get(id);
  }

  stop(id: string): Run {
    this.requireStatus(id, ['queued', 'running', 'paused'], 'stop');
    this.host.stop(id);
    return this.get(id);
  }

  metrics(id: string, keys: string[] | undefined, maxPoints: number): Series[] {
    this.get(id);
    return this.store.metrics.series(id, { keys, maxPoints });
  }

  samples(id: string): Sample[] {
    this.get(id);
    return this.store.samples.list(id);
  }

  delete(id: string): void {
    const run = this.get(id);
    if (['running', 'paused'].includes(run.status)) throw new WorkbenchError('CONFLICT', `stop run ${id} before deleting it`);
    if (run.status === 'queued') this.host.stop(id);
    this.store.runs.delete(id);
    rmSync(this.dataDir.run(id), { recursive: true, force: true });
  }

  private requireStatus(id: string, allowed: string[], action: string): Run {
    const run = this.get(id);
    if (!allowed.includes(run.status)) throw new WorkbenchError('CONFLICT', `cannot ${action} run ${id}: it is ${run.status}`);
    return run;
  }
}
