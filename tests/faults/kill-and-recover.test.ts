/**
 * Fault injection: SIGKILL the server or a trainer at moments drawn from a seed, during imports,
 * training, checkpoint writes, forks and exports, then restart and check that nothing committed was
 * lost: the database is sound, every checkpoint row has a verified folder, the best checkpoint's folder exists,
 * no leftovers remain, metric rows up to each run's resume point are unchanged, and every run finishes.
 * FAULTS=<kills> sets the count (20 in npm test, 500 with `npm run test:faults`); FAULTS_SEED=<n> replays a run.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkbenchClient } from '../../src-main/common/client/client';
import { chooseBest } from '../../src-main/common/quality';
import { verifyCheckpointSync } from '../../src-main/core/checkpoints/checkpoint-format';
import { connectTo, until } from '../e2e/cli-process';
import { assertBuilt, serve, type Served } from '../e2e/serve';
import { writeMnistFolder } from '../fixtures/mnist-folder';
import { alive, childrenOf } from '../fixtures/processes';
import { tempDir } from '../fixtures/workbench';

const KILLS = Number(process.env.FAULTS ?? 20);
const SEED = Number(process.env.FAULTS_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** mulberry32: the kill schedule is a function of the seed alone. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RUN_STEPS = 40;
const runConfig = (checkpointEvery: number) => ({
  steps: RUN_STEPS,
  batchSize: 8,
  latentSize: 16,
  model: { gWidth: 8, dWidth: 8 },
  intervals: { metricsEvery: 1, sampleEvery: 10, checkpointEvery },
  sampleGridSize: 4,
});

type MetricRow = { run_id: string; key: string; step: number; value: number | null };

describe(`fault injection (FAULTS=${KILLS} FAULTS_SEED=${SEED})`, () => {
  const random = rng(SEED);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const dataDir = tempDir('faults');
  let served: Served | null = null;
  let conn: { client: WorkbenchClient; close(): void } | null = null;
  let importFolder: string;
  let datasetId: string;
  /** Metric rows seen committed before a kill, by run, key and step. */
  const committed = new Map<string, MetricRow>();
  const stats = { kills: 0, serverKills: 0, trainerKills: 0, recoveries: 0, rowsLost: 0, checks: 0 };

  const client = () => conn!.client;
  const db = () => new Database(join(dataDir, 'workbench.sqlite'), { readonly: true });

  async function up(): Promise<void> {
    if (served) return;
    served = await serve(dataDir);
    conn = await connectTo(served.url);
  }

  async function killServer(): Promise<void> {
    const s = served!;
    const children = childrenOf(s.proc.pid!);
    conn?.close();
    conn = null;
    served = null;
    const exited = new Promise((r) => s.proc.once('exit', r));
    s.proc.kill('SIGKILL');
    await exited;
    stats.serverKills++;
    // A trainer whose host died ends at once: it must not go on writing into a run a new server may start.
    await until('the orphaned trainers to exit', () => children.every((pid) => !alive(pid)), 30_000);
  }

  function snapshotMetrics(): void {
    const d = db();
    try {
      for (const row of d.prepare('SELECT run_id, key, step, value FROM metrics').all() as MetricRow[]) {
        committed.set(`${row.run_id}|${row.key}|${row.step}`, row);
      }
    } finally {
      d.close();
    }
  }

  /** What must hold whenever the server is up; `afterRestart` adds what the start-up recovery promises. */
  function check(afterRestart: boolean): void {
    stats.checks++;
    const d = db();
    try {
      expect(d.pragma('integrity_check', { simple: true })).toBe('ok');
      const rows = d.prepare('SELECT run_id, step, path FROM checkpoints').all() as { run_id: string; step: number; path: string }[];
      for (const r of rows) verifyCheckpointSync(join(dataDir, r.path), 'checksum', r.step);
      const runs = d.prepare('SELECT id, status FROM runs').all() as { id: string; status: string }[];
      for (const run of runs) {
        // The best checkpoint (lowest KID among the evaluated, else the newest) is one whose folder exists.
        const kids = new Map(
          (d.prepare('SELECT step, kid_mean FROM evaluations WHERE run_id = ?').all(run.id) as { step: number; kid_mean: number }[]).map((e) => [e.step, e.kid_mean]),
        );
        const best = chooseBest(rows.filter((r) => r.run_id === run.id).map((r) => ({ step: r.step, kid: kids.get(r.step) ?? null })));
        if (best) expect(existsSync(join(dataDir, 'runs', run.id, 'checkpoints', String(best.step), 'state.json')), `best checkpoint of ${run.id}`).toBe(true);
        // Rows up to the checkpoint the run resumes from are exactly as they were committed.
        const resume = rows.filter((r) => r.run_id === run.id).reduce((m, r) => Math.max(m, r.step), 0);
        const now = new Map(
          (d.prepare('SELECT run_id, key, step, value FROM metrics WHERE run_id = ? AND step <= ?').all(run.id, resume) as MetricRow[]).map((r) => [
            `${r.run_id}|${r.key}|${r.step}`,
            r,
          ]),
        );
        for (const [k, row] of committed) {
          if (row.run_id !== run.id) continue;
          // Rows after the resume point belong to an attempt that no longer counts: a resumed run rewrites them.
          if (row.step > resume) {
            committed.delete(k);
            continue;
          }
          const n = now.get(k);
          if (!n || n.value !== row.value) stats.rowsLost++;
        }
      }
      for (const ds of d.prepare('SELECT id, count, size, channels FROM datasets').all() as { id: string; count: number; size: number; channels: number }[]) {
        expect(statSync(join(dataDir, 'datasets', ds.id, 'images.u8')).size).toBe(ds.count * ds.size * ds.size * ds.channels);
      }
      if (afterRestart) {
        const leftovers: string[] = [];
        const walk = (dir: string) => {
          for (const e of readdirSync(dir, { withFileTypes: true })) {
            if (e.name.includes('.partial-') || e.name.startsWith('.tmp-')) leftovers.push(join(dir, e.name));
            else if (e.isDirectory()) walk(join(dir, e.name));
          }
        };
        walk(dataDir);
        expect(leftovers).toEqual([]);
        const ids = new Set(runs.map((r) => r.id));
        expect(readdirSync(join(dataDir, 'runs')).filter((n) => !ids.has(n))).toEqual([]);
      }
    } finally {
      d.close();
    }
  }

  async function restart(): Promise<void> {
    await up();
    stats.recoveries++;
    check(true);
  }

  /** A run to train: an unfinished one, or a new one. */
  async function trainingRun(checkpointEvery: number): Promise<string | null> {
    const runs = await client().call('runs.list');
    const active = runs.find((r) => ['queued', 'running', 'paused'].includes(r.status));
    if (active) return active.id;
    const unfinished = runs.find((r) => r.status !== 'completed' && r.step < RUN_STEPS && r.datasetId === datasetId);
    if (unfinished) {
      await client().call('runs.start', { id: unfinished.id });
      return unfinished.id;
    }
    return (await client().call('runs.create', { datasetId, config: runConfig(checkpointEvery) })).id;
  }

  async function withCheckpoint(): Promise<string | null> {
    const runs = await client().call('runs.list');
    return runs.find((r) => r.lastCheckpointStep !== null && !['queued', 'running', 'paused'].includes(r.status))?.id ?? null;
  }

  beforeAll(async () => {
    assertBuilt();
    importFolder = tempDir('faults-mnist');
    await writeMnistFolder(importFolder, 10);
    await up();
    datasetId = (await client().call('datasets.import', { path: importFolder, size: 28, channels: 1 })).dataset.id;
    console.log(`fault injection: FAULTS=${KILLS} FAULTS_SEED=${SEED} (replay with FAULTS_SEED=${SEED})`);
  });
  afterAll(async () => {
    conn?.close();
    await served?.stop();
  });

  it(`survives ${KILLS} kills with no committed row lost, and every run finishes`, async () => {
    for (let attempts = 0; stats.kills < KILLS && attempts < KILLS * 3; attempts++) {
      await up();
      const op = pick(['import', 'train', 'train', 'checkpoint', 'fork', 'export'] as const);
      let target: 'server' | 'trainer' = random() < 0.5 ? 'server' : 'trainer';
      const delay = random();
      if (op === 'import') {
        target = 'server';
        void client().call('datasets.import', { path: importFolder, size: 28, channels: 1 }).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 50 + delay * 1500));
      } else if (op === 'train' || op === 'checkpoint') {
        const id = await trainingRun(op === 'checkpoint' ? 2 : 5);
        if (id === null) continue;
        const from = (await client().call('runs.get', { id })).step;
        await until('the run to train', async () => {
          const r = await client().call('runs.get', { id });
          return r.status === 'running' && r.step > from;
        }, 120_000).catch(() => undefined);
        await new Promise((r) => setTimeout(r, delay * 1200));
      } else if (op === 'fork') {
        target = 'server';
        const id = await withCheckpoint();
        if (id === null) continue;
        const step = (await client().call('runs.checkpoints', { id })).map((c) => c.step).find((s) => s < RUN_STEPS);
        if (step === undefined) continue;
        void client().call('runs.fork', { id, step, start: false }).catch(() => undefined);
        await new Promise((r) => setTimeout(r, delay * 40));
      } else {
        const id = await withCheckpoint();
        if (id === null) continue;
        void client().call('runs.export', { id }).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 100 + delay * 3000));
      }
      snapshotMetrics();
      const trainers = childrenOf(served!.proc.pid!);
      stats.kills++;
      if (target === 'trainer' && trainers.length > 0) {
        for (const pid of trainers) process.kill(pid, 'SIGKILL');
        stats.trainerKills++;
        await until('the trainers to die', () => trainers.every((pid) => !alive(pid)), 30_000);
        // The server lives on: wait until it has recorded what happened to its run.
        await until('no run left running', async () => !(await client().call('runs.list')).some((r) => r.status === 'running'), 30_000);
        check(false);
      } else {
        await killServer();
        await restart();
      }
    }

    // Every run finishes when resumed, with one loss value for each of its steps.
    await up();
    const { client: c } = conn!;
    for (const run of await c.call('runs.list')) {
      if (run.status === 'completed' || run.step >= RUN_STEPS) continue;
      if (!['queued', 'running', 'paused'].includes(run.status)) await c.call('runs.start', { id: run.id });
      await until(`run ${run.id} to finish`, async () => (await c.call('runs.get', { id: run.id })).status === 'completed', 300_000);
    }
    check(false);
    const d = db();
    for (const run of await c.call('runs.list')) {
      const steps = (d.prepare("SELECT step FROM metrics WHERE run_id = ? AND key = 'd_loss' ORDER BY step").all(run.id) as { step: number }[]).map((r) => r.step);
      // A fork carries its parent's checkpoint and trains on from the step after it.
      const from = run.parentStep !== null ? run.parentStep + 1 : 1;
      expect(steps, `metric steps of ${run.id} (${run.status}, parent step ${run.parentStep}): ${steps.join(",")}`).toEqual(Array.from({ length: RUN_STEPS - from + 1 }, (_, i) => from + i));
    }
    d.close();
    console.log(
      `fault injection: ${stats.kills} kills (${stats.serverKills} of the server, ${stats.trainerKills} of trainers), ` +
        `${stats.recoveries} recoveries, ${stats.checks} checks, rows lost ${stats.rowsLost}; FAULTS_SEED=${SEED}`,
    );
    expect(stats.kills).toBe(KILLS);
    expect(stats.rowsLost).toBe(0);
  });
});
