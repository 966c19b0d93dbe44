/** The loop's guards with the fault injected into a real session: a NaN before any checkpoint fails the run, a GPU fault pauses and rebuilds from the last checkpoint, a full disk pauses a sample write. */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TrainerToHost } from '../../../../src-main/common/trainer-protocol';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { GpuFault } from '../../../../src-main/engine/backends/webgpu-backend';
import { reason } from '../../../../src-main/common/run-reasons';
import { TrainingSession, type MetricValues } from '../../../../src-main/engine/training-session';
import { mnistData, tinyConfig } from '../session/helpers';
import { harness, MemoryStorage } from './memory-storage';

beforeAll(async () => {
  await resolveBackend('wasm');
});
afterEach(() => {
  vi.restoreAllMocks();
});

const config = tinyConfig({ steps: 6, intervals: { metricsEvery: 1, sampleEvery: 3, checkpointEvery: 3 } });
const job = { runId: 'run_faults', config, threads: 1, backend: 'wasm' as const };
type Paused = Extract<TrainerToHost, { type: 'paused' }>;
type Finished = Extract<TrainerToHost, { type: 'finished' }>;

/** Makes the session's step number `at` (1-based, counted over every session) do `fault` instead of, or after, its real step. */
function faultAt(at: number, fault: (values: MetricValues) => MetricValues): void {
  const real = TrainingSession.prototype.step;
  let calls = 0;
  vi.spyOn(TrainingSession.prototype, 'step').mockImplementation(async function (this: TrainingSession) {
    const values = await real.call(this);
    return ++calls === at ? fault(values) : values;
  });
}

const trainedSteps = (sent: TrainerToHost[]) => sent.flatMap((m) => (m.type === 'metrics' ? m.points : [])).filter((p) => 'd_loss' in p.values).map((p) => p.step);

describe('a non-finite metric', () => {
  it('before any checkpoint: fails the run, naming the metric, its value and the step, with the bad values sent', async () => {
    faultAt(2, (v) => ({ ...v, g_loss: Number.POSITIVE_INFINITY }));
    const h = harness();
    await h.loop.run(job, mnistData(), new MemoryStorage());
    const last = h.sent.at(-1) as Finished;
    expect(last).toMatchObject({ type: 'finished', status: 'failed', step: 2, reason: { code: 'NON_FINITE_NO_CHECKPOINT', metric: 'g_loss', value: 'Infinity', step: 2, resumeStep: null } });
    expect(last.reason?.message).toContain('g_loss became Infinity at step 2 before any checkpoint was written');
    expect(trainedSteps(h.sent)).toEqual([1, 2]);
  });
});

describe('a GPU fault', () => {
  it('in a step: pauses with its reason and the last checkpoint, and on resume rebuilds from that checkpoint and completes', async () => {
    faultAt(5, () => {
      throw new GpuFault('out-of-memory', 'the GPU ran out of memory');
    });
    const storage = new MemoryStorage();
    const h = harness();
    const paused = h.next('paused');
    const done = h.loop.run(job, mnistData(), storage);
    const pause = (await paused) as Paused;
    expect(pause).toMatchObject({ step: 4, reason: { code: 'OUT_OF_MEMORY', step: 5, resumeStep: 3 } });
    expect(pause.reason?.message).toContain('the GPU ran out of memory at step 5');
    expect(pause.reason?.message).toContain('resuming continues from the last checkpoint (step 3)');
    expect(pause.reason?.message).toContain('smaller batch size');
    h.loop.resume();
    await done;
    expect(h.sent.at(-1)).toEqual({ type: 'finished', runId: 'run_faults', status: 'completed', step: 6 });
    // Steps 4 trained twice: once before the fault, then again from checkpoint 3.
    expect(trainedSteps(h.sent)).toEqual([1, 2, 3, 4, 4, 5, 6]);
    expect([...storage.checkpoints.keys()]).toEqual([3, 6]);
  });

  it('stopped while paused on it: finishes stopped at the last checkpoint (0 when none)', async () => {
    faultAt(2, () => {
      throw new GpuFault('device-lost', 'the GPU device was lost');
    });
    const h = harness();
    const paused = h.next('paused');
    const done = h.loop.run(job, mnistData(), new MemoryStorage());
    expect(await paused).toMatchObject({ reason: { code: 'DEVICE_LOST', step: 2, resumeStep: null } });
    const message = ((await paused) as Paused).reason?.message;
    expect(message).toContain('from the last checkpoint (step 0)');
    expect(message).toContain('GPU driver was reset');
    h.loop.stop();
    await done;
    expect(h.sent.at(-1)).toEqual({ type: 'finished', runId: 'run_faults', status: 'stopped', step: 0 });
  });

  it('when the rebuild fails: pauses again saying the GPU could not be set up, and a later resume goes on', async () => {
    faultAt(4, () => {
      throw new GpuFault('gpu-error', 'the GPU reported an error: bad');
    });
    const storage = new MemoryStorage();
    const read = storage.readCheckpoint.bind(storage);
    let failReads = 1;
    storage.readCheckpoint = (step) => (failReads-- > 0 ? Promise.reject(new Error('adapter gone')) : read(step));
    const pauses: Paused[] = [];
    const h = harness((m, loop) => {
      if (m.type !== 'paused') return;
      pauses.push(m);
      queueMicrotask(() => loop.resume());
    });
    await h.loop.run(job, mnistData(), storage);
    expect(pauses.map((p) => p.reason?.code)).toEqual(['GPU_ERROR', 'GPU_UNAVAILABLE']);
    expect(pauses[0]!.reason?.message).toContain('Resume to retry');
    expect(pauses[1]!.reason).toMatchObject({ resumeStep: 3 });
    expect(pauses[1]!.reason?.message).toContain('The GPU could not be set up again: adapter gone');
    expect(h.sent.at(-1)).toEqual({ type: 'finished', runId: 'run_faults', status: 'completed', step: 6 });
    expect(trainedSteps(h.sent)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('while writing a sample: recovers the same way', async () => {
    const storage = new MemoryStorage();
    const write = storage.writeSample.bind(storage);
    let faults = 1;
    storage.writeSample = (step, grid, raw) => (step === 3 && faults-- > 0 ? Promise.reject(new GpuFault('gpu-error', 'lost buffer')) : write(step, grid, raw));
    const pauses: Paused[] = [];
    const h = harness((m, loop) => m.type === 'paused' && (pauses.push(m), queueMicrotask(() => loop.resume())));
    await h.loop.run(job, mnistData(), storage);
    expect(pauses).toHaveLength(1);
    expect(pauses[0]).toMatchObject({ step: 3, reason: { code: 'GPU_ERROR', resumeStep: null } });
    expect(pauses[0]!.reason?.message).toContain('lost buffer');
    // No checkpoint yet: the rebuilt session starts over from step 0.
    expect(trainedSteps(h.sent)).toEqual([1, 2, 3, 1, 2, 3, 4, 5, 6]);
    expect(h.sent.at(-1)).toMatchObject({ status: 'completed', step: 6 });
  });
});

describe('a full disk', () => {
  it('while writing a sample: pauses with the port’s reason, and writes it on resume', async () => {
    const storage = new MemoryStorage();
    const write = storage.writeSample.bind(storage);
    let full = 1;
    storage.writeSample = (step, grid, raw) => (step === 3 && full-- > 0 ? Promise.resolve({ ok: false, reason: reason('NO_SPACE', 'no room', { step }) }) : write(step, grid, raw));
    const h = harness();
    const paused = h.next('paused');
    const done = h.loop.run(job, mnistData(), storage);
    expect(await paused).toMatchObject({ step: 3, reason: { code: 'NO_SPACE', step: 3 } });
    expect(storage.samples.has(3)).toBe(false);
    h.loop.resume();
    await done;
    expect([...storage.samples.keys()]).toEqual([0, 3, 6]);
    expect(h.sent.filter((m) => m.type === 'sample').map((m) => (m as { step: number }).step)).toEqual([0, 3, 6]);
  });

  it('stopped while a sample write waits for room: no sample is reported, and the run stops with a checkpoint', async () => {
    const storage = new MemoryStorage();
    storage.writeSample = (step) => Promise.resolve({ ok: false, reason: reason('NO_SPACE', 'no room', { step }) });
    // The host's stop arrives after the pause it answers.
    const h = harness((m, loop) => m.type === 'paused' && queueMicrotask(() => loop.stop()));
    await h.loop.run(job, mnistData(), storage);
    expect(h.sent.filter((m) => m.type === 'sample')).toEqual([]);
    expect([...storage.checkpoints.keys()]).toEqual([0]);
    expect(h.sent.at(-1)).toEqual({ type: 'finished', runId: 'run_faults', status: 'stopped', step: 0 });
  });
});
