/** Settings and the memory budget over both transports: round-trip and validation, runs.create and runs.fork refused over the budget with the estimate, and stored runs older than the caps. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeMnistFolder } from '../fixtures/mnist-folder';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_VERSION } from '../../src-main/common/config-version';
import { defaultTrainingConfig, TrainingConfig } from '../../src-main/common/training-config';
import { makeWorkbench, repoRoot, tempDir, tinyConfig } from '../fixtures/workbench';
import { rejection, transports, type Connected } from './transports';

let mnistFolder: string;
beforeAll(async () => {
  mnistFolder = tempDir('mnist');
  await writeMnistFolder(mnistFolder, 2);
});

describe.each(Object.keys(transports) as (keyof typeof transports)[])('settings and memory budget over %s', (name) => {
  let wb: ReturnType<typeof makeWorkbench>;
  let conn: Connected;
  let datasetId: string;

  beforeAll(async () => {
    wb = makeWorkbench();
    conn = await transports[name](wb);
    const { dataset } = await conn.client.call('datasets.import', { path: mnistFolder, size: 28, channels: 1 });
    datasetId = dataset.id;
  });
  afterAll(async () => {
    await conn.close();
    wb.workbench.close();
  });

  it('starts automatic (half the free RAM), keeps an override, and goes back to automatic with null', async () => {
    const first = await conn.client.call('settings.get');
    expect(first.settings).toEqual({ memoryBudgetMB: null, trainingSlots: 1 });
    expect(first.memoryBudget).toMatchObject({ source: 'free-memory', automaticSource: 'free-memory' });
    expect(first.memoryBudget.automaticMB).toBeGreaterThan(0);
    expect(first.memoryBudget.effectiveMB).toBe(first.memoryBudget.automaticMB);

    const set = await conn.client.call('settings.update', { memoryBudgetMB: 2048 });
    expect(set.settings).toEqual({ memoryBudgetMB: 2048, trainingSlots: 1 });
    expect(set.memoryBudget).toMatchObject({ effectiveMB: 2048, source: 'settings' });
    expect((await conn.client.call('settings.get')).settings).toEqual({ memoryBudgetMB: 2048, trainingSlots: 1 });
    // A patch leaves the settings it does not name alone.
    expect((await conn.client.call('settings.update', {})).settings).toEqual({ memoryBudgetMB: 2048, trainingSlots: 1 });

    const back = await conn.client.call('settings.update', { memoryBudgetMB: null });
    expect(back.settings).toEqual({ memoryBudgetMB: null, trainingSlots: 1 });
    expect(back.memoryBudget.source).toBe('free-memory');
  });

  it('refuses an invalid setting or an unknown key, naming the field, and keeps what was stored', async () => {
    await conn.client.call('settings.update', { memoryBudgetMB: 900 });
    const small = await rejection(conn.client.call('settings.update', { memoryBudgetMB: 1 }));
    expect(small.code).toBe('INVALID_REQUEST');
    expect(small.details).toMatchObject({ issues: [{ path: 'memoryBudgetMB', message: 'memoryBudgetMB must be at least 64' }] });
    const typo = await rejection(conn.client.call('settings.update', { memoryBudgetMb: 512 } as never));
    expect(typo.code).toBe('INVALID_REQUEST');
    expect(typo.message).toContain('memoryBudgetMb');
    expect((await conn.client.call('settings.get')).settings).toEqual({ memoryBudgetMB: 900, trainingSlots: 1 });
    await conn.client.call('settings.update', { memoryBudgetMB: null });
  });

  it('refuses runs.create over a small budget with the estimate and the budget, and accepts it under a bigger one', async () => {
    await conn.client.call('settings.update', { memoryBudgetMB: 64 });
    const before = (await conn.client.call('runs.list')).length;
    const err = await rejection(conn.client.call('runs.create', { datasetId, preset: 'dcgan', start: false }));
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.message).toMatch(/needs ≈ 672 k parameters · ≈ \d+ MB while training, over the memory budget of 64 MB \(set in Settings\)/);
    expect(err.details).toMatchObject({ issues: [{ path: 'config.batchSize' }], estimate: { parameters: 672_450 }, budget: { source: 'settings' } });
    expect((await conn.client.call('runs.list')).length).toBe(before);

    await conn.client.call('settings.update', { memoryBudgetMB: 1024 });
    const run = await conn.client.call('runs.create', { datasetId, preset: 'dcgan', start: false });
    expect(run.status).toBe('stopped');
    await conn.client.call('runs.delete', { id: run.id });
    await conn.client.call('settings.update', { memoryBudgetMB: null });
  });

  it('refuses a runs.fork that outgrows the budget, and accepts the same fork under a bigger one', async () => {
    const finished = new Promise<void>((resolve) => {
      const off = conn.client.on('run.status', (s) => ['completed', 'failed'].includes(s.status) && (off(), resolve()));
    });
    const parent = await conn.client.call('runs.create', { datasetId, config: tinyConfig(5) });
    await finished;
    expect((await conn.client.call('runs.get', { id: parent.id })).lastCheckpointStep).toBe(5);

    await conn.client.call('settings.update', { memoryBudgetMB: 64 });
    const grown = { batchSize: 64, model: { gWidth: 64, dWidth: 64 } };
    const err = await rejection(conn.client.call('runs.fork', { id: parent.id, config: grown, start: false }));
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.message).toContain('over the memory budget of 64 MB');
    expect(err.details).toMatchObject({ issues: [{ path: 'config.batchSize' }] });
    // The tiny parent itself fits: a fork that only trains longer is not refused.
    const longer = await conn.client.call('runs.fork', { id: parent.id, config: { steps: 10 }, start: false });
    expect(longer.parentRunId).toBe(parent.id);

    await conn.client.call('settings.update', { memoryBudgetMB: 4096 });
    const fork = await conn.client.call('runs.fork', { id: parent.id, config: grown, start: false });
    expect(fork.config.model.gWidth).toBe(64);
    await conn.client.call('settings.update', { memoryBudgetMB: null });
  });

  it('still lists and opens a run stored before the config caps, whose values are now out of bounds', async () => {
    const { id, config } = await conn.client.call('runs.create', { datasetId, config: tinyConfig(3), start: false });
    // What an older version could have written: values past today's caps.
    const old = { ...config, loss: { ...config.loss, gpWeight: 5000 }, intervals: { ...config.intervals, sampleEvery: 20_000_000 } };
    wb.workbench.store.db.prepare('UPDATE runs SET config_json = ? WHERE id = ?').run(JSON.stringify(old), id);
    expect((await conn.client.call('runs.list')).map((r) => r.id)).toContain(id);
    expect((await conn.client.call('runs.get', { id })).config).toEqual(old);
    // Its config cannot be taken as it is into a new run.
    const err = await rejection(conn.client.call('runs.create', { datasetId, config: old, start: false }));
    expect(err.details).toMatchObject({ issues: expect.arrayContaining([{ path: 'config.loss.gpWeight', message: 'loss.gpWeight must be at most 1000' }]) });
  });

  it('lists and opens a run stored by the first version (config version 1), which today’s rules refuse', async () => {
    // Written by the workbench's first training config (commit 24b779d): WGAN-GP with minibatch stddev
    // in the critic and a gradient-penalty weight past today's cap; no gProjectionNorm, no compute section.
    const v1 = JSON.parse(readFileSync(join(repoRoot, 'tests', 'fixtures', 'configs', 'v1-wgan-gp-minibatch-stddev.json'), 'utf8')) as Record<string, unknown>;
    const today = TrainingConfig.safeParse(v1);
    // And EMA's decay, which config version 3 replaced with a half-life, and the loss-based bestMetric,
    // which version 4 dropped for the best checkpoint by KID (both migrated when read).
    expect(today.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['', 'loss.gpWeight', 'model.minibatchStddev', 'stabilizers.ema']);
    expect(today.error?.issues.find((i) => i.path.length === 0)?.message).toContain('bestMetric');

    const { id } = await conn.client.call('runs.create', { datasetId, config: tinyConfig(3), start: false });
    wb.workbench.store.db.prepare('UPDATE runs SET config_json = ?, config_version = 1 WHERE id = ?').run(JSON.stringify(v1), id);
    expect((await conn.client.call('runs.list')).map((r) => r.id)).toContain(id);
    const run = await conn.client.call('runs.get', { id });
    expect(run.config).toMatchObject({ loss: { type: 'wgan-gp', gpWeight: 5000 }, model: { minibatchStddev: true, gProjectionNorm: true } });
    expect(run.config.compute).toEqual(defaultTrainingConfig().compute);
    expect(run.config.stabilizers.ema).toEqual({ enabled: false, halfLifeImages: (64 * Math.log(0.5)) / Math.log(0.999), rampup: 0, startStep: 0 });
    const other = await conn.client.call('runs.create', { datasetId, config: tinyConfig(3), start: false });
    expect(await conn.client.call('runs.compare', { ids: [id, other.id] })).toHaveLength(2);
  });

  it('refuses, by name, a run stored by a newer version instead of misreading it', async () => {
    const { id } = await conn.client.call('runs.create', { datasetId, config: tinyConfig(3), start: false });
    wb.workbench.store.db.prepare('UPDATE runs SET config_version = ? WHERE id = ?').run(CONFIG_VERSION + 1, id);
    const err = await rejection(conn.client.call('runs.get', { id }));
    expect(err.message).toContain(`config is version ${CONFIG_VERSION + 1}, from a newer GAN Workbench`);
    wb.workbench.store.db.prepare('UPDATE runs SET config_version = ? WHERE id = ?').run(CONFIG_VERSION, id);
    expect((await conn.client.call('runs.get', { id })).id).toBe(id);
  });
});
