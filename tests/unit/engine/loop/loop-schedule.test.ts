/** When the loop writes what: samples, checkpoints and metric points at their intervals and at the last step, none again on resume, and metric times and images/s in their units. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainerToHost } from '../../../../src-main/common/trainer-protocol';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { mnistData, tinyConfig } from '../session/helpers';
import { harness, MemoryStorage } from './memory-storage';

beforeAll(async () => {
  await resolveBackend('wasm');
});

// Five steps with intervals of 2: the last step is no multiple of any of them.
const config = tinyConfig({ steps: 5, intervals: { metricsEvery: 2, sampleEvery: 2, checkpointEvery: 2 } });
const job = { runId: 'run_schedule', config, threads: 1, backend: 'wasm' as const };
const stepsOf = (sent: TrainerToHost[], type: 'sample' | 'checkpoint') => sent.flatMap((m) => (m.type === type ? [m.step] : []));
const points = (sent: TrainerToHost[]) => sent.flatMap((m) => (m.type === 'metrics' ? m.points : []));

describe('the training schedule', () => {
  it('writes samples at step 0 and every interval, checkpoints every interval, and both at the last step', async () => {
    const storage = new MemoryStorage();
    const h = harness();
    await h.loop.run(job, mnistData(), storage);
    expect(stepsOf(h.sent, 'sample')).toEqual([0, 2, 4, 5]);
    expect(stepsOf(h.sent, 'checkpoint')).toEqual([2, 4, 5]);
    expect([...storage.checkpoints.keys()]).toEqual([2, 4, 5]);
    expect([...new Set(points(h.sent).filter((p) => 'd_loss' in p.values).map((p) => p.step))]).toEqual([2, 4, 5]);
  });

  it('on resume from a checkpoint, writes no sample for the step it starts from', async () => {
    const storage = new MemoryStorage();
    await harness().loop.run({ ...job, config: { ...config, steps: 2 } }, mnistData(), storage);
    expect([...storage.checkpoints.keys()]).toEqual([2]);
    const h = harness();
    await h.loop.run(job, mnistData(), storage);
    expect(stepsOf(h.sent, 'sample')).toEqual([4, 5]);
  });

  it('stamps metric points with seconds since the run started, and images/s over the points’ window', async () => {
    const h = harness();
    const t0 = performance.now();
    await h.loop.run(job, mnistData(), new MemoryStorage());
    const elapsed = (performance.now() - t0) / 1000;
    const timed = points(h.sent).filter((p) => 'd_loss' in p.values);
    const times = timed.map((p) => p.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    for (const t of times) {
      expect(t).toBeGreaterThanOrEqual(0);
      expect(t).toBeLessThanOrEqual(elapsed);
    }
    // A point's window (its steps since the last point, 8 images each) lasts at most the whole run.
    timed.forEach((p, i) => {
      const rate = p.values['images_per_sec']!;
      const windowSteps = p.step - (i === 0 ? 0 : timed[i - 1]!.step);
      expect(Number.isFinite(rate)).toBe(true);
      expect(rate).toBeGreaterThanOrEqual((config.batchSize * windowSteps) / elapsed);
    });
  });
});
