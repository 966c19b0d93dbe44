/** The command line, built as users run it: import, datasets, train, runs and metrics with --json; each test on a data directory of its own. */
import { describe, expect, it, beforeAll } from 'vitest';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeMnistFolder } from '../fixtures/mnist-folder';
import { hardwareAdapterHere } from '../fixtures/webgpu-env';
import { tempDir, tinyConfig } from '../fixtures/workbench';
import { cliJson } from './cli-process';
import { assertBuilt } from './serve';

// Both directions explicit: with a hardware GPU the trainer must pick webgpu, without one wasm (SwiftShader is refused).
const hardware = await hardwareAdapterHere();
const expectedBackend = hardware === null ? 'wasm' : 'webgpu';

describe('the CLI', () => {
  /** A fresh data directory per test: no test sees what another left, whatever order they run in. */
  const cliIn = (dataDir: string) => (...args: string[]) => cliJson(dataDir, ...args);
  // The folder to import is only read, never changed: one for every test.
  let folder: string;

  beforeAll(async () => {
    assertBuilt();
    folder = tempDir('cli-mnist');
    await writeMnistFolder(folder, 2);
    writeFileSync(join(folder, 'notes.txt'), 'not an image');
  });

  it('imports, lists, trains in the foreground and reports metrics as JSON', async () => {
    const cli = cliIn(tempDir('cli'));
    const imported = await cli('import', folder, '--size', '28', '--channels', '1');
    expect(imported.code).toBe(0);
    const dataset = imported.json.dataset as { id: string; count: number };
    expect(dataset.count).toBe(20);
    expect(imported.json.rejected).toEqual([{ file: 'notes.txt', reason: expect.any(String) }]);

    const listed = await cli('datasets');
    expect((listed.json as unknown as { id: string }[]).map((d) => d.id)).toEqual([dataset.id]);

    const configFile = join(tempDir('cfg'), 'config.json');
    writeFileSync(configFile, JSON.stringify(tinyConfig(100)));
    const trained = await cli('train', '--dataset', dataset.id, '--steps', '4', '--config', configFile);
    expect(trained.code).toBe(0);
    const runJson = trained.json.run as { id: string; status: string; step: number; backend: string };
    expect(runJson).toMatchObject({ status: 'completed', step: 4, backend: expectedBackend });
    const last = trained.json.lastMetrics as Record<string, number>;
    expect(Number.isFinite(last.d_loss)).toBe(true);
    expect(Number.isFinite(last.g_loss)).toBe(true);

    const outDir = join(tempDir('cli-export'), 'generator');
    const exported = await cli('export', runJson.id, '--out', outDir);
    expect(exported.code).toBe(0);
    expect(exported.json).toMatchObject({ runId: runJson.id, step: 4, out: outDir });
    expect(readdirSync(outDir).sort()).toEqual(['README.md', 'config.json', 'example.png', 'generator.json', 'model.json', 'weights.bin']);
    const refused = await cli('export', runJson.id, '--out', outDir);
    expect(refused).toMatchObject({ code: 2, json: { error: { code: 'CONFLICT' } } });

    const runs = await cli('runs');
    expect((runs.json as unknown as { id: string; status: string }[])[0]).toMatchObject({ id: runJson.id, status: 'completed' });
    const metrics = await cli('metrics', runJson.id);
    expect(metrics.json.last).toEqual(last);
  });

  it('resolves configs from presets and --set, and reports the compute backend', async () => {
    const cli = cliIn(tempDir('cli'));
    const resolved = await cli('config', '--preset', 'wgan-gp', '--set', 'loss.gpWeight=5', '--set', 'batchSize=32');
    expect(resolved.code).toBe(0);
    expect(resolved.json).toMatchObject({ batchSize: 32, loss: { type: 'wgan-gp', gpWeight: 5, nCritic: 5 }, model: { dNorm: 'layer' } });
    const invalid = await cli('config', '--preset', 'wgan-gp', '--set', 'model.dNorm=batch', '--set', 'optimizerG.lr=-1');
    expect(invalid.code).toBe(2);
    const issues = (invalid.json as { error: { details: { issues: { path: string }[] } } }).error.details.issues.map((i) => i.path);
    expect(issues).toEqual(expect.arrayContaining(['optimizerG.lr']));
    const doctor = await cli('doctor');
    expect(doctor.json).toMatchObject({ backend: { name: expectedBackend, reasons: { 'tfjs-node-gpu': expect.any(String), 'tfjs-node': expect.any(String) } } });
    if (expectedBackend === 'wasm') {
      // The test environment pins trainers to one thread; --threads overrides it for every trainer the CLI starts.
      expect(doctor.json).toMatchObject({ backend: { threads: 1 } });
      expect((await cli('--threads', '2', 'doctor')).json).toMatchObject({ backend: { name: 'wasm', threads: 2 } });
    }
  });

  it('refuses a bad config with the field and reason, and exits non-zero', async () => {
    const cli = cliIn(tempDir('cli'));
    const imported = await cli('import', folder, '--size', '28', '--channels', '1');
    expect(imported.code).toBe(0);
    const id = (imported.json.dataset as { id: string }).id;
    const bad = await cli('train', '--dataset', id, '--config', writeTemp({ batchSize: -3 }));
    expect(bad.code).toBe(2);
    expect(bad.json).toMatchObject({ error: { code: 'INVALID_REQUEST', details: { issues: [{ path: 'config.batchSize' }] } } });
  });
});

function writeTemp(obj: unknown): string {
  const file = join(tempDir('cfg'), 'c.json');
  writeFileSync(file, JSON.stringify(obj));
  return file;
}
