/** SQL of the samples and checkpoints tables: files a run wrote, by step. */
import type { Checkpoint, Sample } from '../../common/domain';
import { chooseBest } from '../../common/quality';
import { durableTransaction, type Db } from './database';

export class SamplesRepo {
  constructor(private readonly db: Db) {}

  insert(s: Sample): void {
    this.db.prepare('INSERT OR REPLACE INTO samples (run_id, step, path, raw_path) VALUES (?, ?, ?, ?)').run(s.runId, s.step, s.path, s.rawPath);
  }

  list(runId: string): Sample[] {
    return this.db
      .prepare('SELECT run_id AS runId, step, path, raw_path AS rawPath FROM samples WHERE run_id = ? ORDER BY step')
      .all(runId) as Sample[];
  }
}

const SELECT_CHECKPOINT = `SELECT c.run_id AS runId, c.step, c.path, c.created_at AS createdAt, e.kid_mean AS kid
  FROM checkpoints c LEFT JOIN evaluations e ON e.run_id = c.run_id AND e.step = c.step`;

/** A checkpoint row as written: which one is best follows from the run's evaluations when it is read. */
export type NewCheckpoint = Pick<Checkpoint, 'runId' | 'step' | 'path' | 'createdAt'>;
type CheckpointRow = NewCheckpoint & { kid: number | null };

/** A run's checkpoints with the best one marked: the lowest KID among the evaluated ones, else the newest (common/quality.ts). */
function withBest(rows: CheckpointRow[]): Checkpoint[] {
  const best = chooseBest(rows);
  return rows.map((r) => ({ ...r, best: r.step === best?.step, bestBy: best?.by ?? 'newest' }));
}

export class CheckpointsRepo {
  constructor(private readonly db: Db) {}

  /** One row, committed durably. */
  insert(c: NewCheckpoint): void {
    durableTransaction(this.db, () => {
      this.db.prepare('INSERT OR REPLACE INTO checkpoints (run_id, step, path, created_at) VALUES (?, ?, ?, ?)').run(c.runId, c.step, c.path, c.createdAt);
    });
  }

  /** A checkpoint the trainer wrote and the steps it pruned from disk for it: one durable transaction, all or nothing. */
  record(c: NewCheckpoint, pruned: readonly number[]): void {
    durableTransaction(this.db, () => {
      this.insert(c);
      this.deleteSteps(c.runId, pruned);
    });
  }

  /** Brings a run's rows in line with its folder: rows of missing or damaged checkpoints go, verified folders without a row get one. */
  reconcile(runId: string, change: { remove: readonly number[]; add: readonly NewCheckpoint[] }): void {
    durableTransaction(this.db, () => {
      this.deleteSteps(runId, change.remove);
      for (const c of change.add) this.insert(c);
    });
  }

  private deleteSteps(runId: string, steps: readonly number[]): void {
    const del = this.db.prepare('DELETE FROM checkpoints WHERE run_id = ? AND step = ?');
    for (const s of steps) del.run(runId, s);
  }

  list(runId: string): Checkpoint[] {
    return withBest(this.db.prepare(`${SELECT_CHECKPOINT} WHERE c.run_id = ? ORDER BY c.step`).all(runId) as CheckpointRow[]);
  }

  latest(runId: string): Checkpoint | undefined {
    return this.list(runId).at(-1);
  }

  get(runId: string, step: number): Checkpoint | undefined {
    return this.list(runId).find((c) => c.step === step);
  }

  /** The run's best checkpoint (see withBest); undefined without checkpoints. */
  best(runId: string): Checkpoint | undefined {
    return this.list(runId).find((c) => c.best);
  }
}
