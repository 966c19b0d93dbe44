/**
 * The engine's training loop through its storage port: it writes nothing itself, hands every
 * checkpoint and sample grid to the port, resumes from what the port holds, and pauses with the
 * port's reason when it has no room, trying again on resume.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { mnistData, tinyConfig } from '../session/helpers';
import { harness, MemoryStorage } from './memory-storage';

beforeAll(async () => {
  await resolveBackend('wasm');
});

const config = tinyConfig({ steps: 6, intervals: { metricsEvery: 1, sampleEvery: 3, checkpointEvery: 3 } });
const job = { runId: 'run_memory', config, threads: 1, backend: 'wasm' as const };

describe('TrainingLoop (engine) with a storage port', () => {
  it('hands checkpoints and sample grids to the port, and a second run resumes from what it holds', async () => {
    const storage = new MemoryStorage();
    const first = harness();
    await first.loop.run({ ...job, config: { ...config, steps: 3 } }, mnistData(), storage);
    expect([...storage.checkpoints.keys()]).toEqual([3]);
    expect([...storage.samples.keys()]).toEqual([0, 3]);
    expect(first.sent.filter((m) => m.type === 'checkpoint')).toEqual([{ type: 'checkpoint', runId: 'run_memory', step: 3, dir: 'memory:3', metric: null, best: false, pruned: [] }]);

    const second = harness();
    await second.loop.run(job, mnistData(), storage);
    expect(second.sent.find((m) => m.type === 'started')).toMatchObject({ fromStep: 3 });
    expect([...storage.checkpoints.keys()]).toEqual([3, 6]);
    expect(second.sent.at(-1)).toEqual({ type: 'finished', runId: 'run_memory', status: 'completed', step: 6 });
  });

  it('pauses with the port’s reason when it has no room, and writes the checkpoint on resume', async () => {
    const storage = new MemoryStorage();
    storage.fullWrites = 1;
    const h = harness();
    const paused = h.next('paused');
    const done = h.loop.run(job, mnistData(), storage);
    expect(await paused).toMatchObject({ type: 'paused', step: 3, reason: { code: 'NO_SPACE', step: 3 } });
    expect(storage.checkpoints.size).toBe(0);
    h.loop.resume();
    await done;
    expect([...storage.checkpoints.keys()]).toEqual([3, 6]);
    expect(h.sent.at(-1)).toMatchObject({ status: 'completed', step: 6 });
  });
});
