/** Compare query: 6 runs × 100,000 steps × 6 metric keys in a real SQLite store; time for `runs.compare` to answer, and the rollups' gain over bucketing raw rows. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricPoint } from '../src-main/common/domain';
import { defaultTrainingConfig } from '../src-main/common/training-config';
import { createWorkbench } from '../src-main/core/workbench';
import { createRouter } from '../src-main/transport/router';
import type { Benchmark } from './index';

const RUNS = 6;
const STEPS = 100_000;
const KEYS = ['d_loss', 'g_loss', 'd_real', 'd_fake', 'g_grad_norm', 'd_grad_norm'];
const REPEATS = 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

async function timed(fn: () => unknown | Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

const bench: Benchmark = {
  name: 'compare query (6 runs × 100k steps)',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'gwb-bench-compare-'));
    const workbench = createWorkbench({
      dataDir: dir,
      // The compare query never starts a trainer.
      launcher: () => {
        throw new Error('no trainer in this benchmark');
      },
      emit: () => undefined,
      mode: 'headless',
      version: 'bench',
    });
    try {
      const { store } = workbench;
      store.datasets.insert({ id: 'ds_bench0001', name: 'bench', sourcePath: '/bench', size: 28, channels: 1, count: 1, classes: [], rejectedCount: 0, createdAt: new Date().toISOString(), previewPath: null, heldOut: 0, synthetic: null, classifier: null, pair: null });
      const ids = Array.from({ length: RUNS }, (_, r) => `run_bench000${r}`);
      const fill0 = performance.now();
      ids.forEach((id, r) => {
        store.runs.insert({ id, name: id, datasetId: 'ds_bench0001', status: 'completed', config: defaultTrainingConfig(), step: STEPS, backend: null, reason: null, createdAt: new Date().toISOString(), startedAt: null, endedAt: null, parentRunId: null, parentStep: null });
        for (let start = 1; start <= STEPS; start += 10_000) {
          const batch: MetricPoint[] = [];
          for (let s = start; s < start + 10_000; s++) {
            batch.push({ step: s, time: s * (0.05 + r * 0.01), values: Object.fromEntries(KEYS.map((k, i) => [k, Math.sin(s / 700 + i + r) + Math.random() * 0.1])) });
          }
          store.metrics.insertBatch(id, batch);
        }
      });
      console.log(`store: ${RUNS} runs × ${STEPS} steps × ${KEYS.length} keys = ${(RUNS * STEPS * KEYS.length).toLocaleString('en')} points, written in ${((performance.now() - fill0) / 1000).toFixed(1)} s`);

      const router = createRouter(workbench.handlers);
      for (const maxPoints of [500, 1000, 2000]) {
        for (const x of ['step', 'time'] as const) {
          let buckets = 0;
          const api = await timed(async () => {
            const reply = await router.dispatch('runs.compare', { ids, maxPoints, x });
            if (!reply.ok) throw new Error(reply.error.message);
            buckets = (reply.result as { series: { points: unknown[] }[] }[]).reduce((n, r) => n + r.series.reduce((m, s) => m + s.points.length, 0), 0);
          });
          const sql = await timed(() => store.metrics.compare(ids, { maxPoints, axis: x }));
          console.log(`runs.compare x=${x} maxPoints=${maxPoints}: ${api.toFixed(0)} ms through the router (${sql.toFixed(0)} ms of it SQL), ${buckets} buckets in ${RUNS * KEYS.length} series`);
        }
      }

      // The same answer from raw rows (what the query would cost without rollups): one GROUP BY per series.
      const width = Math.ceil(STEPS / 1000);
      const raw = store.db.prepare(
        `SELECT MAX(step), MIN(value), MAX(value), AVG(value), MAX(time) FROM metrics
         WHERE run_id = ? AND key = ? AND value IS NOT NULL GROUP BY (step - 1) / ${width}`,
      );
      const rawMs = await timed(() => ids.forEach((id) => KEYS.forEach((k) => raw.all(id, k))));
      const rollupMs = await timed(() => store.metrics.compare(ids, { maxPoints: 1000, axis: 'step' }));
      console.log(`maxPoints=1000 along steps: raw rows ${rawMs.toFixed(0)} ms, rollups ${rollupMs.toFixed(0)} ms (${(rawMs / rollupMs).toFixed(1)}× faster)`);
    } finally {
      workbench.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
