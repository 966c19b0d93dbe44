/** SQL of the events table: what happened to a run, in order, for its log. */
import type { RunEvent } from '../../common/domain';
import type { RunReason } from '../../common/run-reasons';
import type { Db } from './database';

export class EventsRepo {
  constructor(private readonly db: Db) {}

  insert(runId: string | null, kind: string, message: string, data?: unknown, reason?: RunReason): void {
    this.db
      .prepare('INSERT INTO events (run_id, kind, message, data_json, reason_json, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(runId, kind, message, data === undefined ? null : JSON.stringify(data), reason ? JSON.stringify(reason) : null, new Date().toISOString());
  }

  /** An event that records why something happened: its message is the reason's prose. */
  insertReason(runId: string, kind: string, reason: RunReason): void {
    this.insert(runId, kind, reason.message, undefined, reason);
  }

  list(runId: string): RunEvent[] {
    const rows = this.db
      .prepare('SELECT id, run_id AS runId, kind, message, reason_json, created_at AS createdAt FROM events WHERE run_id = ? ORDER BY id')
      .all(runId) as (Omit<RunEvent, 'reason'> & { reason_json: string | null })[];
    return rows.map(({ reason_json, ...e }) => ({ ...e, reason: reason_json === null ? null : (JSON.parse(reason_json) as RunReason) }));
  }
}
