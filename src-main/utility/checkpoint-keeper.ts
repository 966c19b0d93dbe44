/** Which checkpoints a run keeps: the newest few plus the best one by the run's chosen metric. */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrainingConfig } from '../common/training-config';
import type { CheckpointState } from '../engine/training-session';
import { listCheckpointSteps, writeCheckpoint } from './checkpoint-files';

/** Newest checkpoints kept besides the best one: enough to step back from a bad stretch. */
const KEEP_NEWEST = 3;

interface Best {
  step: number;
  value: number;
}

export interface WrittenCheckpoint {
  step: number;
  dir: string;
  metric: number | null;
  best: boolean;
  pruned: number[];
}

export class CheckpointKeeper {
  private best: Best | null = null;
  private sum = 0;
  private count = 0;

  private constructor(
    private readonly dir: string,
    private readonly metric: TrainingConfig['bestMetric'],
  ) {}

  static async open(dir: string, metric: TrainingConfig['bestMetric']): Promise<CheckpointKeeper> {
    const keeper = new CheckpointKeeper(dir, metric);
    try {
      keeper.best = JSON.parse(await readFile(join(dir, 'best.json'), 'utf8')) as Best;
    } catch {
      keeper.best = null;
    }
    return keeper;
  }

  /** The metric of a checkpoint is the mean of its key over the steps since the previous one: one step is too noisy. */
  observe(values: Record<string, number>): void {
    const v = values[this.metric.key];
    if (v !== undefined && Number.isFinite(v)) {
      this.sum += v;
      this.count += 1;
    }
  }

  async write(step: number, state: CheckpointState): Promise<WrittenCheckpoint> {
    const dir = await writeCheckpoint(this.dir, step, state);
    const metric = this.count > 0 ? this.sum / this.count : null;
    this.sum = 0;
    this.count = 0;
    const better = metric !== null && (this.best === null || (this.metric.mode === 'min' ? metric < this.best.value : metric > this.best.value));
    if (better) {
      this.best = { step, value: metric };
      await writeFile(join(this.dir, 'best.json'), JSON.stringify(this.best));
    }
    const pruned = await this.prune();
    return { step, dir, metric, best: better, pruned };
  }

  private async prune(): Promise<number[]> {
    const steps = await listCheckpointSteps(this.dir);
    const keep = new Set(steps.slice(-KEEP_NEWEST));
    if (this.best) keep.add(this.best.step);
    const drop = steps.filter((s) => !keep.has(s));
    for (const s of drop) await rm(join(this.dir, String(s)), { recursive: true, force: true });
    return drop;
  }
}
