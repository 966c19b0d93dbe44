/** What the loop does not swallow, and what it tells a person: an error that is no GPU fault ends the run with that error (in a step or a sample write); a NaN after a checkpoint rewinds, pauses and says what to try. */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TrainerToHost } from '../../../../src-main/common/trainer-protocol';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { TrainingSession } from '../../../../src-main/engine/training-session';
import { mnistData, tinyConfig } from '../session/helpers';
import { harness, MemoryStorage } from './memory-storage';

beforeAll(async () => {
  await resolveBackend('wasm');
});
afterEach(() => {
  vi.restoreAllMocks();
});

const config = tinyConfig({ steps: 6, intervals: { metricsEvery: 1, sampleEvery: 3, checkpointEvery: 3 } });
const job = { runId: 'run_errors', config, threads: 1, backend: 'wasm' as const };
type Paused = Extract<TrainerToHost, { type: 'paused' }>;

describe('an error that is no GPU fault', () => {
  it('in a step: rejects the run with it, without pausing', async () => {
    const real = TrainingSession.prototype.step;
    let calls = 0;
    vi.spyOn(TrainingSession.prototype, 'step').mockImplementation(async function (this: TrainingSession) {
      if (++calls === 2) throw new Error('a bug in a kernel');
      return real.call(this);
    });
    const h = harness();
    await expect(h.loop.run(job, mnistData(), new MemoryStorage())).rejects.toThrow('a bug in a kernel');
    expect(h.sent.some((m) => m.type === 'paused')).toBe(false);
  });

  it('while writing a sample: rejects the run with it, without pausing', async () => {
    const storage = new MemoryStorage();
    const write = storage.writeSample.bind(storage);
    storage.writeSample = (step, grid, raw) => (step === 3 ? Promise.reject(new Error('the disk went away')) : write(step, grid, raw));
    const h = harness();
    await expect(h.loop.run(job, mnistData(), storage)).rejects.toThrow('the disk went away');
    expect(h.sent.some((m) => m.type === 'paused')).toBe(false);
  });
});

describe('a NaN after a checkpoint', () => {
  it('rewinds to the checkpoint, pauses, and says what to try', async () => {
    const real = TrainingSession.prototype.step;
    let calls = 0;
    vi.spyOn(TrainingSession.prototype, 'step').mockImplementation(async function (this: TrainingSession) {
      const values = await real.call(this);
      return ++calls === 5 ? { ...values, d_loss: Number.NaN } : values;
    });
    const h = harness();
    const paused = h.next('paused');
    const done = h.loop.run(job, mnistData(), new MemoryStorage());
    const pause = (await paused) as Paused;
    expect(pause).toMatchObject({ step: 3, reason: { code: 'NON_FINITE', metric: 'd_loss', step: 5, resumeStep: 3 } });
    expect(pause.reason?.message).toBe(
      'd_loss became NaN at step 5. Rewound to the last good checkpoint (step 3) and paused. ' +
        'Try lower learning rates, gradient clipping, a gradient penalty or spectral norm, then fork from that checkpoint.',
    );
    h.loop.stop();
    await done;
    expect(h.sent.at(-1)).toMatchObject({ type: 'finished', status: 'stopped', step: 3 });
  });
});
