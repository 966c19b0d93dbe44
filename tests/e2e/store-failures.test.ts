/**
 * A database another program keeps locked pauses the run with a named cause instead of crashing the
 * server; once the lock is gone, resuming writes everything the trainer reported while it waited.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../src-main/common/contract';
import { writeMnistFolder } from '../fixtures/mnist-folder';
import { tempDir, tinyConfig } from '../fixtures/workbench';
import { connectTo, until } from './cli-process';
import { assertBuilt, serve, type Served } from './serve';

describe('store failures pause, never crash', () => {
  let served: Served;

  beforeAll(async () => {
    assertBuilt();
    served = await serve();
  });
  afterAll(async () => served?.stop());

  it('SQLITE_BUSY for longer than the busy timeout pauses the run as STORE_BUSY; resume loses no metric', async () => {
    const folder = tempDir('busy-mnist');
    await writeMnistFolder(folder, 2);
    const { client, close } = await connectTo(served.url);
    const statuses: EventPayload<'run.status'>[] = [];
    client.on('run.status', (p) => statuses.push(p));
    try {
      const { dataset } = await client.call('datasets.import', { path: folder, size: 28, channels: 1 });
      const run = await client.call('runs.create', {
        datasetId: dataset.id,
        config: tinyConfig(100_000, { intervals: { metricsEvery: 1, sampleEvery: 100_000, checkpointEvery: 100_000 } }),
      });
      await until('training', async () => (await client.call('runs.get', { id: run.id })).step >= 3);

      // Another program takes the write lock and holds it past the server's 5 s busy timeout.
      const other = new Database(join(served.dataDir, 'workbench.sqlite'));
      other.pragma('busy_timeout = 10000');
      other.exec('BEGIN IMMEDIATE');
      const paused = await until('the run to pause', () => statuses.find((s) => s.runId === run.id && s.status === 'paused'), 60_000);
      expect(paused.reason).toMatchObject({ code: 'STORE_BUSY' });
      // While it waits, resuming is refused with the same cause, and the server still answers.
      await expect(client.call('runs.resume', { id: run.id })).rejects.toMatchObject({ code: 'STORE_FAILED' });
      expect((await client.call('app.info')).mode).toBe('headless');
      other.exec('ROLLBACK');
      other.close();

      await client.call('runs.resume', { id: run.id });
      await until('training again', async () => {
        const r = await client.call('runs.get', { id: run.id });
        return r.status === 'running' && r.step > paused.reason!.step! + 3 ? r : false;
      });
      await client.call('runs.stop', { id: run.id });
      const stopped = await until('the stop', async () => {
        const r = await client.call('runs.get', { id: run.id });
        return r.status === 'stopped' ? r : false;
      });
      // Every step from 1 to the last has its loss: nothing reported during the pause was lost.
      const db = new Database(join(served.dataDir, 'workbench.sqlite'), { readonly: true });
      const steps = (db.prepare("SELECT step FROM metrics WHERE run_id = ? AND key = 'd_loss' ORDER BY step").all(run.id) as { step: number }[]).map(
        (r) => r.step,
      );
      const events = (db.prepare('SELECT kind, reason_json FROM events WHERE run_id = ?').all(run.id) as { kind: string; reason_json: string | null }[]);
      db.close();
      expect(steps).toEqual(Array.from({ length: stopped.step }, (_, i) => i + 1));
      expect(events.some((e) => e.kind === 'diagnostic' && JSON.parse(e.reason_json ?? '{}').code === 'STORE_BUSY')).toBe(true);
    } finally {
      close();
    }
  });
});
