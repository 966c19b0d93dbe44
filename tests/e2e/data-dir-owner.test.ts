/**
 * One owner per data directory, as users hit it: a CLI command or a second `serve` on a directory that a
 * server owns is refused by name, read-only commands change nothing, `--server` works through the owner,
 * and a lock left by a dead process is taken over.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeMnistFolder } from '../fixtures/mnist-folder';
import { tempDir, tinyConfig } from '../fixtures/workbench';
import { cliJson, connectTo, until } from './cli-process';
import { assertBuilt, serve, type Served } from './serve';

describe('one owner per data directory', () => {
  let served: Served;
  let openUrl: string;
  let folder: string;

  beforeAll(async () => {
    assertBuilt();
    folder = tempDir('owner-mnist');
    await writeMnistFolder(folder, 2);
    served = await serve();
    openUrl = served.url;
  });
  afterAll(async () => served?.stop());

  it('refuses a writing CLI command and a second serve, naming the server and what to do', async () => {
    const imported = await cliJson(served.dataDir, 'import', folder, '--size', '28', '--channels', '1');
    expect(imported.code).toBe(2);
    const error = imported.json.error as { code: string; message: string; details: { owner: { kind: string; pid: number; url: string } } };
    expect(error.code).toBe('DATA_DIR_LOCKED');
    expect(error.details.owner).toMatchObject({ kind: 'serve', pid: served.proc.pid });
    expect(error.message).toContain(new URL(openUrl).origin);
    expect(error.message).toContain('--server');
    expect(error.message).toContain('--data-dir');

    const second = await cliJson(served.dataDir, 'serve', '--port', '0');
    expect(second.code).toBe(2);
    expect(second.json.error).toMatchObject({ code: 'DATA_DIR_LOCKED' });
  });

  it('runs commands through the server with --server, and read-only commands leave a training run alone', async () => {
    const imported = await cliJson(served.dataDir, '--server', openUrl, 'import', folder, '--size', '28', '--channels', '1');
    expect(imported.code).toBe(0);
    const datasetId = (imported.json.dataset as { id: string }).id;

    const { client, close } = await connectTo(openUrl);
    try {
      const run = await client.call('runs.create', { datasetId, config: tinyConfig(100_000, { intervals: { metricsEvery: 1, sampleEvery: 1000, checkpointEvery: 1000 } }) });
      await until('the run to train', async () => (await client.call('runs.get', { id: run.id })).step >= 3);

      // What used to mark the server's run interrupted: a plain `runs` and `datasets` on the same directory.
      const listed = await cliJson(served.dataDir, 'runs');
      expect(listed.code).toBe(0);
      expect((listed.json as unknown as { id: string; status: string }[]).find((r) => r.id === run.id)?.status).toBe('running');
      expect((await cliJson(served.dataDir, 'datasets')).code).toBe(0);
      expect((await cliJson(served.dataDir, 'metrics', run.id)).code).toBe(0);

      const stepBefore = (await client.call('runs.get', { id: run.id })).step;
      await until('the run to keep training', async () => (await client.call('runs.get', { id: run.id })).step > stepBefore + 2);
      expect((await client.call('runs.get', { id: run.id })).status).toBe('running');

      const viaServer = await cliJson(served.dataDir, '--server', openUrl, 'runs');
      expect((viaServer.json as unknown as { id: string }[]).map((r) => r.id)).toContain(run.id);
      await client.call('runs.stop', { id: run.id });
      await until('the run to stop', async () => (await client.call('runs.get', { id: run.id })).status === 'stopped');
    } finally {
      close();
    }
  });

  it('a read-only command writes nothing to the database', async () => {
    const db = join(served.dataDir, 'workbench.sqlite');
    const before = new Database(db, { readonly: true });
    const count = () => (before.prepare('SELECT (SELECT COUNT(*) FROM events) + (SELECT COUNT(*) FROM runs) AS n').get() as { n: number }).n;
    const n = count();
    expect((await cliJson(served.dataDir, 'runs')).code).toBe(0);
    expect(count()).toBe(n);
    before.close();
  });

  it('takes over a lock whose process is gone, and leaves no lock behind', async () => {
    const dataDir = tempDir('stale-lock');
    // A real PID that no longer runs: a process that has exited.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const pid = Number(String(dead.stdout));
    const lock = join(dataDir, 'workbench.lock');
    writeFileSync(lock, JSON.stringify({ pid, startTicks: null, startedAt: '2026-01-01T00:00:00.000Z', host: hostname(), kind: 'serve', command: 'serve' }));
    const imported = await cliJson(dataDir, 'import', folder, '--size', '28', '--channels', '1');
    expect(imported.code).toBe(0);
    expect(existsSync(lock)).toBe(false);

    // A lock of a live process on this host is not stale, whatever its age.
    writeFileSync(lock, JSON.stringify({ pid: process.pid, startTicks: null, startedAt: '2020-01-01T00:00:00.000Z', host: hostname(), kind: 'cli', command: 'train' }));
    const refused = await cliJson(dataDir, 'import', folder, '--size', '28', '--channels', '1');
    expect(refused.json.error).toMatchObject({ code: 'DATA_DIR_LOCKED' });
    expect(readFileSync(lock, 'utf8')).toContain(String(process.pid));
  });
});
