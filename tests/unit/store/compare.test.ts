/** The compare query and the rollups behind it, on a real SQLite file: size limits, exact min/max, live inserts, rewinds. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Store } from '../../../src-main/core/store/store';
import { migrate } from '../../../src-main/core/store/database';
import { migrations } from '../../../src-main/core/store/migrations';
import { defaultTrainingConfig } from '../../../src-main/common/training-config';
import type { MetricPoint, Series } from '../../../src-main/common/domain';
import { datasetRow, insertRun } from '../../fixtures/store-rows';
import { tempDir } from '../../fixtures/workbench';

function openStore(): Store {
  const store = Store.open(join(tempDir('compare'), 'workbench.sqlite'));
  store.datasets.insert(datasetRow('ds_cmp00001'));
  return store;
}

function addRun(store: Store, id: string): void {
  insertRun(store, id, 'ds_cmp00001', 'completed');
}

/** A noisy curve with rare spikes both ways, different per run. */
const value = (run: number, step: number) =>
  Math.sin(step / 500 + run) + ((step * 7919 + run) % 1000) / 5000 + (step % 9973 === 0 ? 50 : 0) - (step % 7919 === 0 ? 50 : 0);

/** Min, max and mean of the raw points each bucket stands for, worked out in plain JS. */
function bruteForce(points: { step: number; v: number }[], buckets: Series['points']): { min: number; max: number; mean: number }[] {
  let from = -Infinity;
  return buckets.map((b) => {
    const inside = points.filter((p) => p.step > from && p.step <= b.step).map((p) => p.v);
    from = b.step;
    return { min: Math.min(...inside), max: Math.max(...inside), mean: inside.reduce((a, c) => a + c, 0) / inside.length };
  });
}

describe('compare query', () => {
  it('returns at most maxPoints per series for 6 runs × 100,000 steps, on one grid, keeping every spike', () => {
    const store = openStore();
    const ids = Array.from({ length: 6 }, (_, r) => `run_cmp0000${r}`);
    ids.forEach((id, r) => {
      addRun(store, id);
      for (let start = 1; start <= 100_000; start += 10_000) {
        const batch: MetricPoint[] = [];
        for (let s = start; s < start + 10_000; s++) batch.push({ step: s, time: s * 0.02 * (r + 1), values: { g_loss: value(r, s) } });
        store.metrics.insertBatch(id, batch);
      }
    });
    for (const maxPoints of [300, 1000]) {
      const result = store.metrics.compare(ids, { maxPoints, axis: 'step' });
      expect(result.map((r) => r.runId)).toEqual(ids);
      result.forEach(({ series }, r) => {
        const points = series[0]!.points;
        expect(points.length).toBeLessThanOrEqual(maxPoints);
        expect(points.length).toBeGreaterThan(maxPoints * 0.75);
        expect(Math.max(...points.map((p) => p.max))).toBe(Math.max(...Array.from({ length: 100_000 }, (_, i) => value(r, i + 1))));
        expect(points.filter((p) => p.max > 40)).toHaveLength(Math.floor(100_000 / 9973));
        expect(points.filter((p) => p.min < -40)).toHaveLength(Math.floor(100_000 / 7919));
      });
      // One grid: bucket k of every run ends at the same step.
      expect(new Set(result.map((r) => r.series[0]!.points.map((p) => p.step).join(','))).size).toBe(1);
    }
    const byTime = store.metrics.compare(ids, { maxPoints: 500, axis: 'time' });
    for (const { series } of byTime) {
      const points = series[0]!.points;
      expect(points.length).toBeLessThanOrEqual(500);
      for (let i = 1; i < points.length; i++) expect(points[i]!.time!).toBeGreaterThan(points[i - 1]!.time!);
    }
    // The fastest run covers a sixth of the time axis: about a sixth of the buckets.
    expect(byTime[0]!.series[0]!.points.length).toBeLessThan(100);
    store.close();
  });

  it('keeps each bucket exact when points arrive live in small batches, are replaced, and are rewound', () => {
    const store = openStore();
    addRun(store, 'run_live0001');
    const truth = new Map<number, number>();
    const put = (from: number, to: number, shift: number) => {
      for (let s = from; s <= to; s += 3) {
        const batch: MetricPoint[] = [];
        for (let k = s; k < Math.min(s + 3, to + 1); k++) {
          truth.set(k, value(0, k) + shift);
          batch.push({ step: k, time: k, values: { d_loss: value(0, k) + shift } });
        }
        store.metrics.insertBatch('run_live0001', batch);
      }
    };
    put(1, 3000, 0);
    // A NaN guard rewound to step 2000: steps 2001–2500 are trained again with other values.
    put(2001, 2500, 10);
    // A restart from the checkpoint at 2400 forgets everything after it.
    store.metrics.deleteAfter('run_live0001', 2400);
    for (const s of [...truth.keys()]) if (s > 2400) truth.delete(s);
    put(2401, 2800, -3);
    const raw = [...truth].sort((a, b) => a[0] - b[0]).map(([step, v]) => ({ step, v }));
    for (const maxPoints of [50, 97, 400, 5000]) {
      const [series] = store.metrics.series('run_live0001', { keys: ['d_loss'], maxPoints });
      const points = series!.points;
      expect(points.length).toBeLessThanOrEqual(maxPoints);
      const expected = bruteForce(raw, points);
      points.forEach((p, i) => {
        expect(p.min).toBe(expected[i]!.min);
        expect(p.max).toBe(expected[i]!.max);
        expect(p.mean).toBeCloseTo(expected[i]!.mean, 9);
      });
      expect(points.at(-1)!.step).toBe(2800);
    }
    store.close();
  });

  it('builds the rollups of metrics written before they existed (migration 5)', () => {
    const file = join(tempDir('rollup-migration'), 'workbench.sqlite');
    const old = new Database(file);
    migrate(old, migrations.filter((m) => m.version < 5));
    old.prepare(`INSERT INTO datasets (id, name, source_path, size, channels, count, classes_json, rejected_count, preview_path, created_at) VALUES ('ds_old00001', 'd', '/d', 28, 1, 1, '[]', 0, NULL, 'x')`).run();
    old.prepare(`INSERT INTO runs (id, name, dataset_id, status, config_json, created_at) VALUES ('run_old00001', 'r', 'ds_old00001', 'completed', ?, 'x')`).run(JSON.stringify(defaultTrainingConfig()));
    const insert = old.prepare(`INSERT INTO metrics (run_id, key, step, value, time) VALUES ('run_old00001', 'g_loss', ?, ?, ?)`);
    const raw = Array.from({ length: 5000 }, (_, i) => ({ step: i + 1, v: value(3, i + 1) }));
    old.transaction(() => raw.forEach((p) => insert.run(p.step, p.v, p.step)))();
    old.close();
    const store = Store.open(file);
    const [series] = store.metrics.series('run_old00001', { keys: ['g_loss'], maxPoints: 200 });
    const expected = bruteForce(raw, series!.points);
    expect(series!.points.length).toBeGreaterThan(150);
    series!.points.forEach((p, i) => expect([p.min, p.max]).toEqual([expected[i]!.min, expected[i]!.max]));
    store.close();
  });
});
