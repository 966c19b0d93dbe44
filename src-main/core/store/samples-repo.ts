/** SQL of the samples and checkpoints tables: files a run wrote, by step. */
import type { Sample } from '../../common/domain';
import type { Db } from './database';

export class SamplesRepo {
  constructor(private readonly db: Db) {}

  insert(s: Sample): void {
    this.db.prepare('INSERT OR REPLACE INTO samples (run_id, step, path) VALUES (?, ?, ?)').run(s.runId, s.step, s.path);
  }

  list(runId: string): Sample[] {
    return this.db
      .prepare('SELECT run_id AS runId, step, path FROM samples WHERE run_id = ? ORDER BY step')
      .all(runId) as Sample[];
  }
}

export interface CheckpointRow {
  runId: string;
  step: number;
  path: string;
  createdAt: string;
}

export class CheckpointsRepo {
  constructor(private readonly db: Db) {}

  insert(c: CheckpointRow): void {
    this.db
      .prepare('INSERT OR REPLACE INTO checkpoints (run_id, step, path, created_at) VALUES (?, ?, ?, ?)')
      .run(c.runId, c.step, c.path, c.createdAt);
  }

  latest(runId: string): CheckpointRow | undefined {
    return this.db
      .prepare(
        'SELECT run_id AS runId, step, path, created_at AS createdAt FROM checkpoints WHERE run_id = ? ORDER BY step DESC LIMIT 1',
      )
      .get(runId) as CheckpointRow | undefined;
  }
}
