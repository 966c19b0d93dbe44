/**
 * The checkpoint records the backend and thread count it was computed on; a resume on another
 * thread count says so in the run's events (threading test: the second trainer runs on 2 threads).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Dataset } from '../../../src-main/common/domain';
import { THREADS_ENV } from '../../../src-main/common/trainer-protocol';
import { forkLauncher } from '../../../src-main/core/trainer/fork-launcher';
import { createWorkbench } from '../../../src-main/core/workbench';
import { createEventHub } from '../../../src-main/transport/event-hub';
import { readCheckpoint } from '../../../src-main/utility/checkpoint-files';
import { writeMnistFolder } from '../../fixtures/mnist-folder';
import { sourceTrainer, tempDir, tinyConfig, parsed } from '../../fixtures/workbench';

describe('resume on another thread count', () => {
  /** Threads of the next trainer process started. */
  let threads = '1';
  const workbench = createWorkbench({
    dataDir: tempDir('data'),
    launcher: () => forkLauncher({ ...sourceTrainer, env: { ...process.env, [THREADS_ENV]: threads } })(),
    emit: createEventHub().emit,
    mode: 'headless',
    version: 'test',
  });
  let dataset: Dataset;

  beforeAll(async () => {
    const folder = tempDir('mnist');
    await writeMnistFolder(folder, 2);
    dataset = (await workbench.datasets.import(parsed('datasets.import', { path: folder, size: 28, channels: 1 }))).dataset;
  });
  afterAll(() => workbench.close());

  const warnings = (runId: string) => workbench.runs.events(runId).filter((e) => e.kind === 'warn').map((e) => e.message);

  it('records wasm and the thread count in the checkpoint, and names the change when a resume differs', async () => {
    const first = workbench.runs.create({ datasetId: dataset.id, config: tinyConfig(5), start: true });
    expect((await workbench.host.whenSettled(first.id)).status).toBe('completed');
    const state = await readCheckpoint(join(workbench.dataDir.run(first.id), 'checkpoints', '5'));
    expect(state.meta['compute']).toEqual({ backend: 'wasm', threads: 1 });

    // Same thread count: nothing to say.
    const same = workbench.runs.fork({ id: first.id, config: { steps: 7 }, start: true });
    expect((await workbench.host.whenSettled(same.id)).status).toBe('completed');
    expect(warnings(same.id)).toEqual([]);

    threads = '2';
    const other = workbench.runs.fork({ id: first.id, config: { steps: 7 }, start: true });
    expect((await workbench.host.whenSettled(other.id)).status).toBe('completed');
    expect(warnings(other.id)).toEqual([
      'checkpoint 5 was computed on wasm with 1 thread; this run continues on wasm with 2 threads, so it is not bit-exact with an uninterrupted run (resume on the same backend and thread count for that)',
    ]);
    const after = await readCheckpoint(join(workbench.dataDir.run(other.id), 'checkpoints', '7'));
    expect(after.meta['compute']).toEqual({ backend: 'wasm', threads: 2 });
  });
});
