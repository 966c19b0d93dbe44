/**
 * The engine's training loop through its storage port: it writes nothing itself, hands every
 * checkpoint and sample grid to the port, resumes from what the port holds, and pauses with the
 * port's reason when it has no room, trying again on resume; a NaN rewinds to the last good checkpoint.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainerToHost } from '../../../../src-main/common/trainer-protocol';
import type { CheckpointState } from '../../../../src-main/engine/checkpoint-state';
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
    expect(first.sent.filter((m) => m.type === 'checkpoint')).toEqual([{ type: 'checkpoint', runId: 'run_memory', step: 3, dir: 'memory:3', pruned: [] }]);

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

  it('rewinds to the last good checkpoint when a loss turns NaN, pauses with the metric, step and checkpoint, and trains on after resume', async () => {
    const storage = new MemoryStorage();
    await harness().loop.run({ ...job, config: { ...config, steps: 3 } }, mnistData(), storage);
    const good = storage.checkpoints.get(3)!;
    // The run resumes from weights with a NaN in them (as if they went bad after step 3); the
    // checkpoint the port holds for step 3 is the good one the rewind must load.
    const poisoned: CheckpointState = {
      meta: good.meta,
      tensors: good.tensors.map((t) => (t.name === 'discriminator/output/kernel' ? { ...t, data: Float32Array.from(t.data, () => Number.NaN) } : t)),
    };
    expect(poisoned.tensors.some((t) => Number.isNaN(t.data[0]!))).toBe(true);
    storage.open = () => Promise.resolve({ resume: { step: 3, state: poisoned }, warnings: [] });

    const h = harness();
    const paused = h.next('paused');
    const done = h.loop.run(job, mnistData(), storage);
    const pause = (await paused) as Extract<TrainerToHost, { type: 'paused' }>;
    expect(pause.reason).toMatchObject({ code: 'NON_FINITE', step: 4, resumeStep: 3 });
    expect(['NaN', 'Infinity', '-Infinity']).toContain(pause.reason!.value);
    expect(pause.reason!.message).toContain('Rewound to the last good checkpoint (step 3) and paused');
    // The bad step's values reach the store, so the chart shows what went wrong.
    const reported = h.sent.filter((m): m is Extract<TrainerToHost, { type: 'metrics' }> => m.type === 'metrics').flatMap((m) => m.points);
    expect(reported.some((p) => p.step === 4 && Object.values(p.values).some((v) => typeof v === 'string' || !Number.isFinite(v)))).toBe(true);

    h.loop.resume();
    await done;
    expect(h.sent.at(-1)).toMatchObject({ type: 'finished', status: 'completed', step: 6 });
    const after = h.sent.filter((m): m is Extract<TrainerToHost, { type: 'metrics' }> => m.type === 'metrics').flatMap((m) => m.points).filter((p) => p.step > 4);
    expect(after.length).toBeGreaterThan(0);
    for (const p of after) for (const v of Object.values(p.values)) expect(Number.isFinite(v)).toBe(true);
  });
});
