/** SQL of the metrics table: batched inserts and series bucketed in SQL to the chart's width. */
import type { MetricPoint, RunSeries, Series } from '../../common/domain';
import type { Db } from './database';
import { MetricRollups, type RawPoint } from './metric-rollups';

/** The axis buckets are laid along: training steps, or seconds of training. */
export type Axis = 'step' | 'time';

/** Bucket k covers [lo + k·width, lo + (k+1)·width) on the axis; `rollup` is the width of the rows read, or 0 for raw rows. */
interface Grid {
  axis: Axis;
  lo: number;
  width: number;
  buckets: number;
  rollup: number;
}

type Bucket = Series['points'][number];

export class MetricsRepo {
  private readonly rollups: MetricRollups;
  /** Prepared once per source (rollups or raw rows): the compare query runs them for every run and key. */
  private readonly bucketQueries = new Map<'rollup' | 'raw', ReturnType<Db['prepare']>>();

  constructor(private readonly db: Db) {
    this.rollups = new MetricRollups(db);
  }

  /** All points of one trainer message land in one transaction, rollups included. */
  insertBatch(runId: string, points: readonly MetricPoint[]): void {
    const insert = this.db.prepare(
      'INSERT OR REPLACE INTO metrics (run_id, key, step, value, time) VALUES (?, ?, ?, ?, ?)',
    );
    const stored = this.db.prepare('SELECT 1 FROM metrics WHERE run_id = ? AND key = ? AND step >= ? LIMIT 1');
    this.db.transaction(() => {
      const raw: RawPoint[] = [];
      const firstStep = new Map<string, number>();
      for (const p of points) {
        for (const [key, value] of Object.entries(p.values)) {
          // SQLite has no NaN: it is stored as NULL, which the aggregates then skip.
          raw.push({ key, step: p.step, value: Number.isNaN(value) ? null : value, time: p.time });
          firstStep.set(key, Math.min(firstStep.get(key) ?? Infinity, p.step));
        }
      }
      // A step stored before (a run rewound to its last good checkpoint trains it again) is replaced.
      const replaced = [...firstStep].some(([key, step]) => stored.get(runId, key, step) !== undefined);
      for (const r of raw) insert.run(runId, r.key, r.step, r.value, r.time);
      this.rollups.record(runId, raw, replaced);
    })();
  }

  deleteAfter(runId: string, step: number): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM metrics WHERE run_id = ? AND step > ?').run(runId, step);
      this.rollups.truncate(runId, step);
    })();
  }

  /**
   * The run's keys, by a skip-scan: one index seek per key instead of reading every point
   * (`SELECT DISTINCT key` walks all of a run's rows: 600,000 for 100,000 steps of 6 keys).
   */
  keys(runId: string): string[] {
    return this.db
      .prepare(
        `WITH RECURSIVE k(key) AS (
           SELECT MIN(key) FROM metrics WHERE run_id = @run
           UNION ALL SELECT (SELECT MIN(key) FROM metrics WHERE run_id = @run AND key > k.key) FROM k WHERE k.key IS NOT NULL
         ) SELECT key FROM k WHERE key IS NOT NULL`,
      )
      .pluck()
      .all({ run: runId }) as string[];
  }

  /** At most `maxPoints` buckets per key; each keeps the true min and max of its points. */
  series(runId: string, opts: { keys?: readonly string[]; maxPoints: number }): Series[] {
    const keys = opts.keys ?? this.keys(runId);
    const grid = this.grid([runId], keys, 'step', opts.maxPoints);
    return keys.map((key) => ({ key, points: grid ? this.bucketed(runId, key, grid) : [] }));
  }

  /**
   * Series of several runs on one shared grid, so that bucket k of every run covers the same steps
   * (or seconds): overlays line up, and no series has more than `maxPoints` buckets.
   */
  compare(runIds: readonly string[], opts: { keys?: readonly string[]; maxPoints: number; axis: Axis }): RunSeries[] {
    const keysOf = new Map(runIds.map((id) => [id, opts.keys ?? this.keys(id)]));
    const grid = this.grid(runIds, [...new Set([...keysOf.values()].flat())], opts.axis, opts.maxPoints);
    return runIds.map((runId) => ({
      runId,
      series: (keysOf.get(runId) ?? []).map((key) => ({ key, points: grid ? this.bucketed(runId, key, grid) : [] })),
    }));
  }

  /** The last value of every key (null where it was NaN), for summaries and the CLI: one index seek per key. */
  last(runId: string): Record<string, number> {
    const newest = this.db.prepare('SELECT value FROM metrics WHERE run_id = ? AND key = ? ORDER BY step DESC LIMIT 1').pluck();
    return Object.fromEntries(this.keys(runId).map((key) => [key, newest.get(runId, key) as number]));
  }

  /** Seconds of training at the newest point at or before `step` (of the whole run when left out). */
  timeAt(runId: string, step = Number.MAX_SAFE_INTEGER): number | null {
    const at = this.db.prepare('SELECT time FROM metrics WHERE run_id = ? AND key = ? AND step <= ? ORDER BY step DESC LIMIT 1').pluck();
    let t: number | null = null;
    for (const key of this.keys(runId)) {
      const v = at.get(runId, key, step) as number | undefined;
      if (v !== undefined && (t === null || v > t)) t = v;
    }
    return t;
  }

  /**
   * Where buckets start, how wide they are, and which rows to read. Ranges come from each key's first
   * and last point, which the primary key (run_id, key, step) finds without scanning the series.
   */
  private grid(runIds: readonly string[], keys: readonly string[], axis: Axis, maxPoints: number): Grid | null {
    const ends = this.db.prepare(
      `SELECT (SELECT step FROM metrics WHERE run_id = @r AND key = @k ORDER BY step LIMIT 1) AS s0,
              (SELECT step FROM metrics WHERE run_id = @r AND key = @k ORDER BY step DESC LIMIT 1) AS s1,
              (SELECT time FROM metrics WHERE run_id = @r AND key = @k ORDER BY step LIMIT 1) AS t0,
              (SELECT time FROM metrics WHERE run_id = @r AND key = @k ORDER BY step DESC LIMIT 1) AS t1`,
    );
    let [s0, s1, t0, t1] = [Infinity, -Infinity, Infinity, -Infinity];
    for (const r of runIds) {
      for (const k of keys) {
        const e = ends.get({ r, k }) as { s0: number | null; s1: number | null; t0: number | null; t1: number | null };
        if (e.s0 === null || e.s1 === null || e.t0 === null || e.t1 === null) continue;
        [s0, s1, t0, t1] = [Math.min(s0, e.s0), Math.max(s1, e.s1), Math.min(t0, e.t0), Math.max(t1, e.t1)];
      }
    }
    if (!Number.isFinite(s0)) return null;
    if (axis === 'step') {
      const width = Math.max(1, Math.ceil((s1 - s0 + 1) / maxPoints));
      const rollup = MetricRollups.widthFor(width) ?? 0;
      // On rollups the grid snaps to whole rollup buckets: each chart bucket is then exact.
      if (rollup === 0) return { axis, lo: s0, width, buckets: maxPoints, rollup };
      return { axis, lo: Math.floor(s0 / rollup) * rollup, width: Math.ceil(width / rollup) * rollup, buckets: maxPoints, rollup };
    }
    const width = Math.max((t1 - t0) / maxPoints, 1e-9);
    // Rollups are by step: use them when a time bucket holds many steps; a rollup falls in the bucket of its last second.
    const stepsPerBucket = t1 > t0 ? (width * (s1 - s0)) / (t1 - t0) : 0;
    return { axis, lo: t0, width, buckets: maxPoints, rollup: MetricRollups.widthFor(stepsPerBucket) ?? 0 };
  }

  /**
   * One key of one run on a grid. SQL reads the rows in primary-key order (no sort); one linear pass
   * folds them into buckets. Indexes are clamped, so a point outside the range cannot add a bucket.
   */
  private bucketed(runId: string, key: string, grid: Grid): Bucket[] {
    const rollup = grid.rollup > 0;
    let query = this.bucketQueries.get(rollup ? 'rollup' : 'raw');
    if (!query) {
      query = this.db
        .prepare(
          rollup
            ? 'SELECT bucket * @rollup, step, min, max, sum, n, time FROM metric_rollups WHERE run_id = @runId AND key = @key AND width = @rollup'
            : 'SELECT step, step, value, value, value, 1, time FROM metrics WHERE run_id = @runId AND key = @key AND value IS NOT NULL',
        )
        .raw();
      this.bucketQueries.set(rollup ? 'rollup' : 'raw', query);
    }
    const rows = query.all(rollup ? { runId, key, rollup: grid.rollup } : { runId, key }) as [number, number, number, number, number, number, number][];
    const n = grid.buckets;
    const acc = { step: new Float64Array(n).fill(-Infinity), min: new Float64Array(n).fill(Infinity), max: new Float64Array(n).fill(-Infinity), sum: new Float64Array(n), count: new Float64Array(n), time: new Float64Array(n).fill(-Infinity) };
    for (const [start, step, min, max, sum, count, time] of rows) {
      // Rollup rows are placed by their first step, so a bucket is a union of whole rollups.
      const position = grid.axis === 'step' ? start : time;
      const i = Math.min(n - 1, Math.max(0, Math.floor((position - grid.lo) / grid.width)));
      if (step > acc.step[i]!) acc.step[i] = step;
      if (min < acc.min[i]!) acc.min[i] = min;
      if (max > acc.max[i]!) acc.max[i] = max;
      acc.sum[i] = acc.sum[i]! + sum;
      acc.count[i] = acc.count[i]! + count;
      if (time > acc.time[i]!) acc.time[i] = time;
    }
    const out: Bucket[] = [];
    for (let i = 0; i < n; i++) {
      if (acc.count[i] === 0) continue;
      out.push({ step: acc.step[i]!, min: acc.min[i]!, max: acc.max[i]!, mean: acc.sum[i]! / acc.count[i]!, time: acc.time[i]! });
    }
    return out;
  }
}
