/**
 * Ctrl+C means stop: in a terminal the signal reaches the CLI and its trainer alike. Once: the run stops
 * after a checkpoint; twice: at once, resumable from its last checkpoint. SIGTERM on `serve` stops its run the first way.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeMnistFolder } from '../fixtures/mnist-folder';
import { tempDir } from '../fixtures/workbench';
import { cliJson, cliLive, connectTo, until } from './cli-process';
import { assertBuilt, serve } from './serve';

interface RunRow {
  status: string;
  step: number;
  reason_json: string | null;
}

function readRun(dataDir: string, id?: string): (RunRow & { id: string; checkpoints: number[]; events: { kind: string; message: string }[] }) | undefined {
  const file = join(dataDir, 'workbench.sqlite');
  if (!existsSync(file)) return undefined;
  const db = new Database(file, { readonly: true });
  try {
    // Without an id: the run training now (a run of an earlier test may be newer in name only).
    const row = (id ? db.prepare('SELECT * FROM runs WHERE id = ?').get(id) : db.prepare("SELECT * FROM runs WHERE status = 'running'").get()) as
      | (RunRow & { id: string })
      | undefined;
    if (!row) return undefined;
    const checkpoints = (db.prepare('SELECT step FROM checkpoints WHERE run_id = ? ORDER BY step').all(row.id) as { step: number }[]).map((c) => c.step);
    const events = db.prepare('SELECT kind, message FROM events WHERE run_id = ? ORDER BY id').all(row.id) as { kind: string; message: string }[];
    return { ...row, checkpoints, events };
  } finally {
    db.close();
  }
}

describe('Ctrl+C and SIGTERM stop training cleanly', () => {
  let dataDir: string;
  let datasetId: string;

  beforeAll(async () => {
    assertBuilt();
    dataDir = tempDir('signals');
    const folder = tempDir('signals-mnist');
    await writeMnistFolder(folder, 2);
    const imported = await cliJson(dataDir, 'import', folder, '--size', '28', '--channels', '1');
    datasetId = (imported.json.dataset as { id: string }).id;
  });

  const trainArgs = () => [
    'train',
    '--dataset',
    datasetId,
    '--set',
    `steps=100000`,
    '--set',
    'batchSize=8',
    '--set',
    'latentSize=16',
    '--set',
    'model.gWidth=8',
    '--set',
    'model.dWidth=8',
    '--set',
    'intervals={"metricsEvery":1,"sampleEvery":1000,"checkpointEvery":1000}',
  ];

  it('first Ctrl+C: the run stops after a checkpoint at its last step, status stopped', async () => {
    const live = cliLive(dataDir, ...trainArgs());
    await until('training to start', () => (readRun(dataDir)?.step ?? 0) >= 3);
    live.interrupt();
    const result = await live.done;
    expect(result.code).toBe(1);
    const run = result.json.run as { id: string; status: string; step: number; lastCheckpointStep: number; reason: unknown };
    expect(run.status).toBe('stopped');
    expect(run.reason).toBeNull();
    expect(run.lastCheckpointStep).toBe(run.step);
    const stored = readRun(dataDir, run.id)!;
    expect(stored.status).toBe('stopped');
    expect(stored.checkpoints.at(-1)).toBe(run.step);
    expect(existsSync(join(dataDir, 'runs', run.id, 'checkpoints', String(run.step), 'state.json'))).toBe(true);
    expect(existsSync(join(dataDir, 'workbench.lock'))).toBe(false);
  });

  it('second Ctrl+C: stops at once, says there is no final checkpoint, and the run resumes from its last one', async () => {
    // Steps of a second or so, so that the second Ctrl+C lands while the first is still finishing its step.
    const heavy = trainArgs()
      .map((a) => a.replace('"checkpointEvery":1000', '"checkpointEvery":5'))
      .map((a) => a.replace(/^batchSize=8$/, 'batchSize=64').replace(/^model\.(g|d)Width=8$/, 'model.$1Width=96'));
    const live = cliLive(dataDir, ...heavy);
    await until('a first checkpoint', () => {
      const r = readRun(dataDir);
      return r !== undefined && r.checkpoints.length >= 1 && r.step >= 6;
    }, 300_000);
    live.interrupt();
    // Signals of one kind do not queue: the second Ctrl+C is a second press only once the first was seen.
    await until('the first Ctrl+C to be seen', () => live.stderr().includes('press Ctrl+C again'));
    live.interrupt();
    const result = await live.done;
    const run = result.json.run as { id: string; status: string; reason: { code: string; resumeStep: number } };
    expect(run.status).toBe('stopped');
    expect(run.reason.code).toBe('STOPPED_WITHOUT_CHECKPOINT');
    const stored = readRun(dataDir, run.id)!;
    expect(run.reason.resumeStep).toBe(stored.checkpoints.at(-1));
    expect(stored.events.at(-1)?.message).toMatch(new RegExp(`no final checkpoint; resumes from step ${run.reason.resumeStep}`));

    // Resumable: serve the directory and start it again; it trains on from the checkpoint.
    const served = await serve(dataDir);
    const { client, close } = await connectTo(served.url);
    try {
      await client.call('runs.start', { id: run.id });
      await until('training from the checkpoint', async () => {
        const r = await client.call('runs.get', { id: run.id });
        return r.status === 'running' && r.step > run.reason.resumeStep;
      });
      const events = await client.call('runs.events', { id: run.id });
      expect(events.map((e) => e.message)).toContain(`training on wasm from step ${run.reason.resumeStep}`);

      // SIGTERM to serve: the active run stops after a checkpoint, then the server exits.
      await served.stop();
      expect(served.proc.exitCode).toBe(0);
    } finally {
      close();
    }
    const after = readRun(dataDir, run.id)!;
    expect(after.status).toBe('stopped');
    expect(after.checkpoints.at(-1)).toBe(after.step);
  });
});
