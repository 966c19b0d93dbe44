/** SQL of the events table: what happened to a run, in order, for its log. */
import type { RunEvent } from '../../common/domain';
import type { Db } from './database';

export class EventsRepo {
  constructor(private readonly db: Db) {}

  insert(runId: string | null, kind: string, message: string, data?: unknown): void {
    this.db
      .prepare('INSERT INTO events (run_id, kind, message, data_json, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(runId, kind, message, data === undefined ? null : JSON.stringify(data), new Date().toISOString());
  }

  list(runId: string): RunEvent[] {
    return this.db
      .prepare('SELECT id, run_id AS runId, kind, message, created_at AS createdAt FROM events WHERE run_id = ? ORDER BY id')
      .all(runId) as RunEvent[];
  }
}
