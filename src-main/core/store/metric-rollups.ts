/**
 * Pre-aggregated metrics: min, max, sum and count of every key per fixed bucket of steps, at a few
 * widths. A chart of a 100,000-step run then reads a few thousand rollup rows, not every point, and
 * since a chart bucket is a union of whole rollup buckets its min and max stay exact.
 */
import type { Db } from './database';

/** Bucket widths in steps, doubling; migration 5 creates and backfills the same ones. */
export const ROLLUP_WIDTHS = [4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096] as const;
/**
 * A chart bucket spans at least this many rollup buckets: rounding its width up to whole rollups then
 * costs at most a quarter of the buckets, and a query reads fewer than 6 rows per bucket it returns.
 */
const MIN_ROLLUPS_PER_BUCKET = 3;
/** Above this many points a batch is re-aggregated in SQL rather than added point by point. */
const BULK_POINTS = 256;

export interface RawPoint {
  key: string;
  step: number;
  value: number | null;
  time: number;
}

export class MetricRollups {
  private readonly upsert;
  private readonly clearRange;
  private readonly rebuildRange;
  private readonly keysOf;

  constructor(private readonly db: Db) {
    this.upsert = db.prepare(
      `INSERT INTO metric_rollups (run_id, key, width, bucket, step, min, max, sum, n, time)
       VALUES (@runId, @key, @width, @bucket, @step, @value, @value, @value, 1, @time)
       ON CONFLICT (run_id, key, width, bucket) DO UPDATE SET
         step = MAX(step, excluded.step), min = MIN(min, excluded.min), max = MAX(max, excluded.max),
         sum = sum + excluded.sum, n = n + 1, time = MAX(time, excluded.time)`,
    );
    this.clearRange = db.prepare('DELETE FROM metric_rollups WHERE run_id = ? AND key = ? AND width = ? AND bucket >= ? AND bucket <= ?');
    // JS numbers bind as REAL: the casts keep `step / width` an integer division. One key at a time
    // so that the primary key (run_id, key, step) finds the range instead of scanning the run.
    this.rebuildRange = db.prepare(
      `INSERT INTO metric_rollups (run_id, key, width, bucket, step, min, max, sum, n, time)
       SELECT run_id, key, CAST(@width AS INTEGER), step / CAST(@width AS INTEGER), MAX(step), MIN(value), MAX(value), SUM(value), COUNT(value), MAX(time)
       FROM metrics WHERE run_id = @runId AND key = @key AND step >= @from AND step <= @to AND value IS NOT NULL
       GROUP BY step / CAST(@width AS INTEGER)`,
    );
    // A skip-scan (one seek per key); DISTINCT would read every point of the run.
    this.keysOf = db
      .prepare(
        `WITH RECURSIVE k(key) AS (
           SELECT MIN(key) FROM metrics WHERE run_id = @run
           UNION ALL SELECT (SELECT MIN(key) FROM metrics WHERE run_id = @run AND key > k.key) FROM k WHERE k.key IS NOT NULL
         ) SELECT key FROM k WHERE key IS NOT NULL`,
      )
      .pluck();
  }

  /**
   * Called inside the transaction that wrote `points`. New points are added to their buckets; points
   * that replaced stored ones (a rewound run trains some steps again) or large batches make the
   * touched buckets be recomputed from the raw rows instead, so no value is ever counted twice.
   */
  record(runId: string, points: readonly RawPoint[], replaced: boolean): void {
    if (points.length === 0) return;
    if (replaced || points.length > BULK_POINTS) {
      let lo = Infinity;
      let hi = -Infinity;
      for (const p of points) {
        lo = Math.min(lo, p.step);
        hi = Math.max(hi, p.step);
      }
      this.rebuild(runId, lo, hi, [...new Set(points.map((p) => p.key))]);
      return;
    }
    for (const p of points) {
      if (p.value === null) continue;
      for (const width of ROLLUP_WIDTHS) {
        this.upsert.run({ runId, key: p.key, width, bucket: Math.floor(p.step / width), step: p.step, value: p.value, time: p.time });
      }
    }
  }

  /** Recomputes every bucket that overlaps steps [from, to] from the raw rows (after a delete or a replace). */
  rebuild(runId: string, from: number, to: number, keys: readonly string[] = this.keysOf.all({ run: runId }) as string[]): void {
    for (const width of ROLLUP_WIDTHS) {
      const first = Math.floor(from / width);
      const last = Math.floor(to / width);
      for (const key of keys) {
        this.clearRange.run(runId, key, width, first, last);
        this.rebuildRange.run({ runId, key, width, from: first * width, to: last * width + width - 1 });
      }
    }
  }

  /** After the raw rows past `step` were deleted: drop later buckets, recompute the one `step` falls in. */
  truncate(runId: string, step: number): void {
    for (const width of ROLLUP_WIDTHS) {
      this.db.prepare('DELETE FROM metric_rollups WHERE run_id = ? AND width = ? AND bucket > ?').run(runId, width, Math.floor(step / width));
    }
    this.rebuild(runId, step, step);
  }

  /** The widest rollup that still gives a bucket of `stepsPerBucket` steps several rollup rows; null: read raw rows. */
  static widthFor(stepsPerBucket: number): number | null {
    let best: number | null = null;
    for (const w of ROLLUP_WIDTHS) if (w * MIN_ROLLUPS_PER_BUCKET <= stepsPerBucket) best = w;
    return best;
  }
}
