/** The loop between steps: stop keeps a checkpoint at the step reached (or says why not), pause and resume, metric points at their interval, storage warnings and pruning in order. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainerToHost } from '../../../../src-main/common/trainer-protocol';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { mnistData, tinyConfig } from '../session/helpers';
import { harness, MemoryStorage } from './memory-storage';

beforeAll(async () => {
  await resolveBackend('wasm');
});

const config = tinyConfig({ steps: 6, intervals: { metricsEvery: 1, sampleEvery: 2, checkpointEvery: 3 } });
const job = { runId: 'run_control', config, threads: 1, backend: 'wasm' as const };

const isSample = (m: TrainerToHost, step: number) => m.type === 'sample' && m.step === step;
const points = (sent: TrainerToHost[]) => sent.flatMap((m) => (m.type === 'metrics' ? m.points : []));

describe('stop', () => {
  it('between steps: writes a checkpoint at the step reached, with every metric up to it sent first, and finishes stopped there', async () => {
    const storage = new MemoryStorage();
    const h = harness((m, loop) => isSample(m, 2) && loop.stop());
    await h.loop.run(job, mnistData(), storage);
    expect([...storage.checkpoints.keys()]).toEqual([2]);
    expect(h.sent.at(-1)).toEqual({ type: 'finished', runId: 'run_control', status: 'stopped', step: 2 });
    const checkpointAt = h.sent.findIndex((m) => m.type === 'checkpoint');
    const steps = points(h.sent.slice(0, checkpointAt)).filter((p) => 'd_loss' in p.values).map((p) => p.step);
    expect(steps).toEqual([1, 2]);
  });

  it('right after a checkpoint: writes no second one', async () => {
    const storage = new MemoryStorage();
    let writes = 0;
    const write = storage.writeCheckpoint.bind(storage);
    storage.writeCheckpoint = (step, state) => (writes++, write(step, state));
    const h = harness((m, loop) => m.type === 'checkpoint' && loop.stop());
    await h.loop.run(job, mnistData(), storage);
    expect(writes).toBe(1);
    expect([...storage.checkpoints.keys()]).toEqual([3]);
    expect(h.sent.at(-1)).toEqual({ type: 'finished', runId: 'run_control', status: 'stopped', step: 3 });
  });

  it('when the final checkpoint finds no room: finishes stopped with the step it resumes from, without waiting', async () => {
    const storage = new MemoryStorage();
    storage.fullWrites = 1;
    const h = harness((m, loop) => isSample(m, 2) && loop.stop());
    await h.loop.run(job, mnistData(), storage);
    expect(storage.checkpoints.size).toBe(0);
    expect(h.sent.some((m) => m.type === 'paused')).toBe(false);
    const last = h.sent.at(-1) as Extract<TrainerToHost, { type: 'finished' }>;
    expect(last).toMatchObject({ status: 'stopped', step: 2, reason: { code: 'STOPPED_WITHOUT_CHECKPOINT', resumeStep: null } });
    expect(last.reason?.message).toContain('resumes from step 0');
  });
});

describe('pause and resume', () => {
  it('pauses between steps with the step reached and its metrics sent, and trains on to the end after resume', async () => {
    const h = harness((m, loop) => isSample(m, 2) && loop.pause());
    const paused = h.next('paused');
    const done = h.loop.run(job, mnistData(), new MemoryStorage());
    expect(await paused).toEqual({ type: 'paused', runId: 'run_control', step: 2 });
    expect(points(h.sent).filter((p) => 'd_loss' in p.values).map((p) => p.step)).toEqual([1, 2]);
    const resumed = h.next('resumed');
    h.loop.resume();
    expect(await resumed).toEqual({ type: 'resumed', runId: 'run_control', step: 2 });
    await done;
    expect(h.sent.at(-1)).toEqual({ type: 'finished', runId: 'run_control', status: 'completed', step: 6 });
    expect(points(h.sent).filter((p) => 'd_loss' in p.values).map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('metric points', () => {
  it('go out every metricsEvery steps and at the last step, with the images per second of the steps since the last point', async () => {
    const h = harness();
    const every3 = { ...config, steps: 5, intervals: { metricsEvery: 3, sampleEvery: 5, checkpointEvery: 5 } };
    await h.loop.run({ ...job, config: every3 }, mnistData(), new MemoryStorage());
    const trained = points(h.sent).filter((p) => 'd_loss' in p.values);
    expect(trained.map((p) => p.step)).toEqual([3, 5]);
    let previous = 0;
    for (const p of trained) {
      expect(p.values['images_per_sec']).toBeGreaterThan(0);
      expect(Number.isFinite(p.values['images_per_sec'])).toBe(true);
      expect(p.time).toBeGreaterThan(previous);
      previous = p.time;
    }
    expect(h.sent.at(-1)).toEqual({ type: 'finished', runId: 'run_control', status: 'completed', step: 5 });
  });
});

describe('storage', () => {
  it("logs the port's warnings before the run starts", async () => {
    const storage = new MemoryStorage();
    storage.open = () => Promise.resolve({ resume: null, warnings: ['checkpoint 9 is damaged', 'checkpoint 12 is damaged'] });
    const h = harness();
    await h.loop.run({ ...job, config: { ...config, steps: 1 } }, mnistData(), storage);
    const started = h.sent.findIndex((m) => m.type === 'started');
    expect(h.sent.slice(0, started)).toEqual([
      { type: 'log', level: 'warn', message: 'checkpoint 9 is damaged' },
      { type: 'log', level: 'warn', message: 'checkpoint 12 is damaged' },
    ]);
    expect(h.sent[started]).toMatchObject({ fromStep: 0 });
  });

  it('names a resume computed on another backend in the log', async () => {
    const storage = new MemoryStorage();
    await harness().loop.run({ ...job, config: { ...config, steps: 3 } }, mnistData(), storage);
    const state = storage.checkpoints.get(3)!;
    storage.checkpoints.set(3, { ...state, meta: { ...state.meta, compute: { backend: 'webgpu', threads: null } } });
    const h = harness();
    await h.loop.run(job, mnistData(), storage);
    const logs = h.sent.filter((m): m is Extract<TrainerToHost, { type: 'log' }> => m.type === 'log');
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ level: 'warn' });
    expect(logs[0]!.message).toContain('checkpoint 3 was computed on webgpu');

    const same = harness();
    await same.loop.run({ ...job, config: { ...config, steps: 9 } }, mnistData(), storage);
    expect(same.sent.filter((m) => m.type === 'log')).toEqual([]);
  });

  it('deletes pruned checkpoints only after the checkpoint message naming them is stored', async () => {
    const storage = new MemoryStorage();
    const events: string[] = [];
    const write = storage.writeCheckpoint.bind(storage);
    storage.writeCheckpoint = async (step, state) => {
      const written = await write(step, state);
      return written.ok && step === 6 ? { ok: true, value: { ...written.value, pruned: [3] } } : written;
    };
    storage.removePruned = (steps) => (events.push(`remove ${steps.join(',')}`), Promise.resolve());
    const h = harness((m, loop) => {
      if (m.type === 'checkpoint') events.push(`checkpoint ${m.step} pruned ${m.pruned.join(',')}`);
      if (m.type === 'sync') events.push('sync');
      void loop;
    });
    await h.loop.run(job, mnistData(), storage);
    expect(events).toEqual(['sync', 'checkpoint 3 pruned ', 'sync', 'checkpoint 6 pruned 3', 'sync', 'remove 3']);
  });
});
