/** SQL of the metrics table: batched inserts and series bucketed in SQL to the chart's width. */
import type { MetricPoint, Series } from '../../common/domain';
import type { Db } from './database';

export class MetricsRepo {
  constructor(private readonly db: Db) {}

  /** All points of one trainer message land in one transaction. */
  insertBatch(runId: string, points: readonly MetricPoint[]): void {
    const insert = this.db.prepare(
      'INSERT OR REPLACE INTO metrics (run_id, key, step, value, time) VALUES (?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const p of points) {
        for (const [key, value] of Object.entries(p.values)) {
          // SQLite has no NaN: it is stored as NULL, which the aggregates then skip.
          insert.run(runId, key, p.step, Number.isNaN(value) ? null : value, p.time);
        }
      }
    })();
  }

  deleteAfter(runId: string, step: number): void {
    this.db.prepare('DELETE FROM metrics WHERE run_id = ? AND step > ?').run(runId, step);
  }

  keys(runId: string): string[] {
    return (this.db.prepare('SELECT DISTINCT key FROM metrics WHERE run_id = ? ORDER BY key').all(runId) as { key: string }[]).map(
      (r) => r.key,
    );
  }

  /** At most `maxPoints` buckets per key; each keeps the true min and max of its points. */
  series(runId: string, opts: { keys?: readonly string[]; maxPoints: number }): Series[] {
    const keys = opts.keys ?? this.keys(runId);
    const range = this.db
      .prepare('SELECT MIN(step) AS lo, MAX(step) AS hi FROM metrics WHERE run_id = ?')
      .get(runId) as { lo: number | null; hi: number | null };
    if (range.lo === null || range.hi === null) return keys.map((key) => ({ key, points: [] }));
    const width = Math.max(1, Math.ceil((range.hi - range.lo + 1) / opts.maxPoints));
    const query = this.db.prepare(
      `SELECT MAX(step) AS step, MIN(value) AS min, MAX(value) AS max, AVG(value) AS mean
       FROM metrics WHERE run_id = ? AND key = ?
       GROUP BY (step - CAST(? AS INTEGER)) / CAST(? AS INTEGER) ORDER BY step`,
    );
    return keys.map((key) => ({
      key,
      points: query.all(runId, key, range.lo, width) as Series['points'],
    }));
  }

  /** The last value of every key, for summaries and the CLI. */
  last(runId: string): Record<string, number> {
    const rows = this.db
      .prepare(
        `SELECT m.key, m.value FROM metrics m
         JOIN (SELECT key, MAX(step) AS step FROM metrics WHERE run_id = ? GROUP BY key) l
           ON l.key = m.key AND l.step = m.step
         WHERE m.run_id = ?`,
      )
      .all(runId, runId) as { key: string; value: number }[];
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }
}
