/** Stale and damaged checkpoints over both transports: a fork from one is refused with NOT_FOUND and the reason, and leaves no run behind. */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flipByte } from '../fixtures/checkpoints';
import { writeMnistFolder } from '../fixtures/mnist-folder';
import { makeWorkbench, tempDir, tinyConfig } from '../fixtures/workbench';
import { connectIpc, connectWs, type Connected } from './transports';

const transports = {
  ipc: (wb: ReturnType<typeof makeWorkbench>) =>
    Promise.resolve(connectIpc(wb.workbench.handlers, wb.hub, (rel) => wb.workbench.dataDir.resolveInside(rel), tempDir('renderer'))),
  websocket: (wb: ReturnType<typeof makeWorkbench>) =>
    connectWs(wb.workbench.handlers, wb.hub, (rel) => wb.workbench.dataDir.resolveInside(rel), tempDir('static')),
};

/** The error a call failed with, as the client received it. */
async function failure(p: Promise<unknown>): Promise<{ code: string; message: string; details?: unknown }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string; details?: unknown };
  }
  throw new Error('expected the call to fail');
}

describe.each(Object.keys(transports) as (keyof typeof transports)[])('checkpoint recovery over %s', (name) => {
  let wb: ReturnType<typeof makeWorkbench>;
  let conn: Connected;
  let runId: string;

  beforeAll(async () => {
    wb = makeWorkbench();
    conn = await transports[name](wb);
    const folder = tempDir('mnist');
    await writeMnistFolder(folder, 1);
    const { dataset } = await conn.client.call('datasets.import', { path: folder, size: 28, channels: 1 });
    const completed = new Promise<void>((resolve) => {
      const off = conn.client.on('run.status', (s) => {
        if (s.status === 'completed') {
          off();
          resolve();
        }
      });
    });
    runId = (await conn.client.call('runs.create', { datasetId: dataset.id, config: tinyConfig(10) })).id;
    await completed;
  });
  afterAll(async () => {
    await conn.close();
    wb.workbench.close();
  });

  it('refuses a fork from a damaged or missing checkpoint with NOT_FOUND and the reason, creating no run and dropping the row', async () => {
    const checkpoints = async () => (await conn.client.call('runs.checkpoints', { id: runId })).map((c) => c.step);
    expect(await checkpoints()).toEqual([5, 10]);
    const runsBefore = (await conn.client.call('runs.list')).map((r) => r.id);
    const runsDir = join(wb.workbench.dataDir.root, 'runs');
    const foldersBefore = readdirSync(runsDir).sort();
    const checkpointDir = (step: number) => join(wb.workbench.dataDir.run(runId), 'checkpoints', String(step));

    flipByte(join(checkpointDir(10), 'tensors.bin'));
    const damaged = await failure(conn.client.call('runs.fork', { id: runId, config: { steps: 20 } }));
    expect(damaged.code).toBe('NOT_FOUND');
    expect(damaged.message).toMatch(new RegExp(`^the checkpoint at step 10 of run ${runId} cannot be used: tensors\\.bin checksum mismatch`));
    expect(damaged.details).toMatchObject({ runId, step: 10, problem: expect.stringMatching(/^tensors\.bin checksum mismatch/) });
    expect(await checkpoints()).toEqual([5]);

    rmSync(checkpointDir(5), { recursive: true });
    const missing = await failure(conn.client.call('runs.fork', { id: runId, step: 5, config: { steps: 20 } }));
    expect(missing).toMatchObject({ code: 'NOT_FOUND', details: { runId, step: 5, problem: 'its folder is missing' } });
    expect(await checkpoints()).toEqual([]);

    expect((await conn.client.call('runs.list')).map((r) => r.id)).toEqual(runsBefore);
    expect(readdirSync(runsDir).sort()).toEqual(foldersBefore);
    const log = (await conn.client.call('runs.events', { id: runId })).filter((e) => e.kind === 'warn').map((e) => e.message);
    expect(log).toEqual([
      expect.stringMatching(/^checkpoint at step 10 removed from the run's list: tensors\.bin checksum mismatch/),
      "checkpoint at step 5 removed from the run's list: its folder is missing",
    ]);
  });
});
