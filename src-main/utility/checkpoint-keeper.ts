/**
 * Which checkpoints a run keeps: the newest few plus the best one by the run's chosen metric. It
 * verifies what is on disk when it opens, never counts a damaged checkpoint as one to resume from,
 * and never prunes a checkpoint that could be the best.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainingConfig } from '../common/training-config';
import {
  BEST_FILE,
  DamagedCheckpoint,
  bestFileText,
  checkpointSteps,
  readBestSync,
  recordedMetric,
  verifyCheckpointSync,
  type Best,
} from '../core/checkpoints/checkpoint-format';
import { TEMP_PREFIX, writeFileAtomic } from '../core/durable-files';
import type { WrittenCheckpoint } from '../engine/loop/run-storage';
import type { CheckpointState } from '../engine/training-session';
import { writeCheckpoint } from './checkpoint-files';

/** Newest checkpoints kept besides the best one: enough to step back from a bad stretch. */
const KEEP_NEWEST = 3;

/** Something found when opening the folder that the run's log should show. */
export interface KeeperFinding {
  step: number | null;
  message: string;
}

export class CheckpointKeeper {
  /**
   * Verified checkpoints by step, with the value of this run's metric they record: null when none
   * was reported or they record another key (a fork that changed the metric), undefined when their
   * format did not record it (1).
   */
  private readonly good = new Map<number, number | null | undefined>();
  /** Checkpoints that failed verification, with what is wrong: never loaded, removed at the next prune. */
  private readonly damaged = new Map<number, string>();
  /** The best among the metrics known here (best.json and what checkpoints record). */
  private best: Best | null = null;
  /**
   * Checkpoints that may be the best although nothing here says so: best.json was unreadable and their
   * format did not record their metric. They are never pruned.
   */
  private readonly possibleBests = new Set<number>();
  readonly findings: KeeperFinding[] = [];
  private sum = 0;
  private count = 0;

  private constructor(
    private readonly dir: string,
    private readonly metric: TrainingConfig['bestMetric'],
  ) {}

  /** Reads and verifies (checksums included) every checkpoint in `dir`, then settles which one is the best. */
  static open(dir: string, metric: TrainingConfig['bestMetric']): CheckpointKeeper {
    const keeper = new CheckpointKeeper(dir, metric);
    keeper.removeLeftovers();
    for (const step of checkpointSteps(dir)) {
      try {
        const recorded = recordedMetric(verifyCheckpointSync(join(dir, String(step)), 'checksum', step));
        keeper.good.set(step, recorded && (recorded.key === metric.key ? recorded.value : null));
      } catch (e) {
        if (!(e instanceof DamagedCheckpoint)) throw e;
        keeper.damaged.set(step, e.problem);
        keeper.findings.push({ step, message: `checkpoint at step ${step} is damaged and will not be loaded: ${e.problem}` });
      }
    }
    keeper.settleBest();
    return keeper;
  }

  /** The newest checkpoint that verified, to resume from. */
  newest(): { step: number; dir: string } | null {
    const step = Math.max(...this.good.keys());
    return Number.isFinite(step) ? { step, dir: join(this.dir, String(step)) } : null;
  }

  /** The metric of a checkpoint is the mean of its key over the steps since the previous one: one step is too noisy. */
  observe(values: Record<string, number>): void {
    const v = values[this.metric.key];
    if (v !== undefined && Number.isFinite(v)) {
      this.sum += v;
      this.count += 1;
    }
  }

  write(step: number, state: CheckpointState): WrittenCheckpoint {
    const metric = this.count > 0 ? this.sum / this.count : null;
    this.sum = 0;
    this.count = 0;
    const dir = writeCheckpoint(this.dir, step, state, { key: this.metric.key, value: metric });
    this.damaged.delete(step);
    this.good.set(step, metric);
    const better = metric !== null && (this.best === null || this.beats(metric, this.best.value));
    if (better) this.saveBest({ step, value: metric });
    // The pruned folders stay on disk until removePruned: the host drops their rows first.
    return { step, dir, metric, best: better, pruned: this.prune() };
  }

  private beats(a: number, b: number): boolean {
    return this.metric.mode === 'min' ? a < b : a > b;
  }

  private saveBest(best: Best | null): void {
    this.best = best;
    if (best) writeFileAtomic(join(this.dir, BEST_FILE), bestFileText(best, [...this.possibleBests].sort((a, b) => a - b)));
    // With nothing to name as best, an unreadable best.json stays: it is what marks possibleBests for the next start.
    else if (this.possibleBests.size === 0) rmSync(join(this.dir, BEST_FILE), { force: true });
  }

  /**
   * best.json is the record, and each checkpoint's state.json carries its own metric: together they
   * recover the best after a torn best.json or a kill between writing a checkpoint and best.json.
   */
  private settleBest(): void {
    const read = readBestSync(this.dir);
    let best: Best | null = null;
    const consider = (candidate: Best) => {
      if (best === null || this.beats(candidate.value, best.value)) best = candidate;
    };
    for (const [step, value] of this.good) if (typeof value === 'number') consider({ step, value });
    if (!read.ok) {
      const unrecorded = [...this.good].filter(([, m]) => m === undefined).map(([s]) => s);
      unrecorded.forEach((s) => this.possibleBests.add(s));
      this.findings.push({
        step: null,
        message:
          unrecorded.length > 0
            ? `${read.problem}, and checkpoints ${unrecorded.join(', ')} do not record their metric: any of them could be the best, so they are never pruned`
            : `${read.problem}; the best checkpoint was recovered from the metrics the checkpoints record`,
      });
    } else {
      read.keep.filter((s) => this.good.has(s)).forEach((s) => this.possibleBests.add(s));
      if (read.best && this.good.has(read.best.step)) consider(read.best);
      else if (read.best) this.findings.push({ step: read.best.step, message: `the best checkpoint (step ${read.best.step}) is missing or damaged` });
    }
    const unchanged = read.ok && JSON.stringify(read.best) === JSON.stringify(best) && read.keep.length === this.possibleBests.size;
    if (unchanged) this.best = best;
    else this.saveBest(best);
  }

  private prune(): number[] {
    const keep = new Set([...this.good.keys()].sort((a, b) => a - b).slice(-KEEP_NEWEST));
    if (this.best) keep.add(this.best.step);
    this.possibleBests.forEach((s) => keep.add(s));
    const drop = [...this.good.keys(), ...this.damaged.keys()].filter((s) => !keep.has(s)).sort((a, b) => a - b);
    for (const s of drop) {
      this.good.delete(s);
      this.damaged.delete(s);
    }
    return drop;
  }

  /**
   * Deletes the folders `write` pruned. Only once the host has dropped their rows: deleting first, a
   * kill in between would leave rows that name folders no longer there. A kill after the rows went
   * and before this leaves whole folders without rows, which start-up gives rows again and the next
   * prune removes.
   */
  removePruned(steps: readonly number[]): void {
    for (const s of steps) {
      if (this.good.has(s) || this.damaged.has(s)) continue;
      rmSync(join(this.dir, String(s)), { recursive: true, force: true });
    }
  }

  /** Temp folders and files of a write that a kill interrupted: this trainer is the only writer of the folder. */
  private removeLeftovers(): void {
    let names: string[] = [];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    for (const n of names.filter((n) => n.startsWith(TEMP_PREFIX))) rmSync(join(this.dir, n), { recursive: true, force: true });
  }
}
