/**
 * Which checkpoints a run keeps: the newest few, the best one (the lowest KID of the evaluated ones),
 * and every one still awaiting its evaluation. It verifies what is on disk when it opens and never
 * counts a damaged checkpoint as one to resume from.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DamagedCheckpoint, checkpointSteps, readBestSync, verifyCheckpointSync } from '../core/checkpoints/checkpoint-format';
import { TEMP_PREFIX } from '../core/durable-files';
import type { WrittenCheckpoint } from '../engine/loop/run-storage';
import type { CheckpointState } from '../engine/training-session';
import { writeCheckpoint } from './checkpoint-files';
import { EvaluationLedger } from './evaluation-ledger';

/** Newest checkpoints kept besides the best one: enough to step back from a bad stretch. */
const KEEP_NEWEST = 3;

/** Something found when opening the folder that the run's log should show. */
export interface KeeperFinding {
  step: number | null;
  message: string;
}

export class CheckpointKeeper {
  /** Verified checkpoints. */
  private readonly good = new Set<number>();
  /** Checkpoints that failed verification, with what is wrong: never loaded, removed at the next prune. */
  private readonly damaged = new Map<number, string>();
  /**
   * Checkpoints a best.json written before issue 12 names (its best by a loss, and those whose loss it
   * did not know): a person may have chosen one of them to fork from, so they are never pruned.
   */
  private readonly keptBefore = new Set<number>();
  readonly findings: KeeperFinding[] = [];

  private constructor(
    private readonly dir: string,
    private readonly ledger: EvaluationLedger,
  ) {}

  /** Reads and verifies (checksums included) every checkpoint in `dir`. */
  static open(dir: string, ledger: EvaluationLedger): CheckpointKeeper {
    const keeper = new CheckpointKeeper(dir, ledger);
    keeper.removeLeftovers();
    for (const step of checkpointSteps(dir)) {
      try {
        verifyCheckpointSync(join(dir, String(step)), 'checksum', step);
        keeper.good.add(step);
      } catch (e) {
        if (!(e instanceof DamagedCheckpoint)) throw e;
        keeper.damaged.set(step, e.problem);
        keeper.findings.push({ step, message: `checkpoint at step ${step} is damaged and will not be loaded: ${e.problem}` });
      }
    }
    const before = readBestSync(dir);
    if (before.ok) [...(before.best ? [before.best.step] : []), ...before.keep].forEach((s) => keeper.keptBefore.add(s));
    return keeper;
  }

  /** The newest checkpoint that verified, to resume from. */
  newest(): { step: number; dir: string } | null {
    const step = Math.max(...this.good);
    return Number.isFinite(step) ? { step, dir: join(this.dir, String(step)) } : null;
  }

  write(step: number, state: CheckpointState): WrittenCheckpoint {
    const dir = writeCheckpoint(this.dir, step, state);
    this.damaged.delete(step);
    this.good.add(step);
    // The pruned folders stay on disk until removePruned: the host drops their rows first.
    return { step, dir, pruned: this.prune() };
  }

  private prune(): number[] {
    const steps = [...this.good].sort((a, b) => a - b);
    const keep = new Set(steps.slice(-KEEP_NEWEST));
    const best = this.ledger.best(steps);
    if (best !== null) keep.add(best);
    steps.filter((s) => this.ledger.awaits(s) || this.keptBefore.has(s)).forEach((s) => keep.add(s));
    const drop = [...this.good, ...this.damaged.keys()].filter((s) => !keep.has(s)).sort((a, b) => a - b);
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
