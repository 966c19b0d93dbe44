/** SQL of the samples and checkpoints tables: files a run wrote, by step. */
import type { Checkpoint, Sample } from '../../common/domain';
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

const SELECT_CHECKPOINT = 'SELECT run_id AS runId, step, path, created_at AS createdAt, metric, best FROM checkpoints';

interface CheckpointRow extends Omit<Checkpoint, 'best'> {
  best: number;
}

const toCheckpoint = (r: CheckpointRow): Checkpoint => ({ ...r, best: r.best === 1 });

export class CheckpointsRepo {
  constructor(private readonly db: Db) {}

  /** One row, committed durably; a new best moves the flag in the same transaction, so exactly one checkpoint of a run is best. */
  insert(c: Checkpoint): void {
    durableTransaction(this.db, () => {
      if (c.best) this.db.prepare('UPDATE checkpoints SET best = 0 WHERE run_id = ?').run(c.runId);
      this.db
        .prepare('INSERT OR REPLACE INTO checkpoints (run_id, step, path, created_at, metric, best) VALUES (?, ?, ?, ?, ?, ?)')
        .run(c.runId, c.step, c.path, c.createdAt, c.metric, c.best ? 1 : 0);
    });
  }

  /** A checkpoint the trainer wrote and the steps it pruned from disk for it: one durable transaction, all or nothing. */
  record(c: Checkpoint, pruned: readonly number[]): void {
    durableTransaction(this.db, () => {
      this.insert(c);
      this.deleteSteps(c.runId, pruned);
    });
  }

  /**
   * Brings a run's rows in line with its folder: rows of missing or damaged checkpoints go, verified
   * folders without a row get one, and the best flag follows best.json when it is readable (`bestStep`
   * undefined leaves the flags as they are).
   */
  reconcile(runId: string, change: { remove: readonly number[]; add: readonly Checkpoint[]; bestStep?: number | null }): void {
    durableTransaction(this.db, () => {
      this.deleteSteps(runId, change.remove);
      for (const c of change.add) this.insert(c);
      if (change.bestStep !== undefined) {
        this.db.prepare('UPDATE checkpoints SET best = (step IS ?) WHERE run_id = ?').run(change.bestStep, runId);
      }
    });
  }

  private deleteSteps(runId: string, steps: readonly number[]): void {
    const del = this.db.prepare('DELETE FROM checkpoints WHERE run_id = ? AND step = ?');
    for (const s of steps) del.run(runId, s);
  }

  list(runId: string): Checkpoint[] {
    return (this.db.prepare(`${SELECT_CHECKPOINT} WHERE run_id = ? ORDER BY step`).all(runId) as CheckpointRow[]).map(toCheckpoint);
  }

  latest(runId: string): Checkpoint | undefined {
    const row = this.db.prepare(`${SELECT_CHECKPOINT} WHERE run_id = ? ORDER BY step DESC LIMIT 1`).get(runId) as CheckpointRow | undefined;
    return row && toCheckpoint(row);
  }

  get(runId: string, step: number): Checkpoint | undefined {
    const row = this.db.prepare(`${SELECT_CHECKPOINT} WHERE run_id = ? AND step = ?`).get(runId, step) as CheckpointRow | undefined;
    return row && toCheckpoint(row);
  }
}
