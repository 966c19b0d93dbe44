/**
 * Resume across processes, for real: trainer processes started by the TrainerHost (forkLauncher,
 * from source) write metrics to SQLite and checkpoints to disk. A run of 20 steps is compared with
 * 10 steps, a checkpoint, and a NEW trainer process continuing to 20 (a fork of the 10-step run
 * that changes only `steps`, so the new process loads the checkpoint exactly as a resume does).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../../../../src-main/common/domain';
import { readCheckpoint } from '../../../../src-main/utility/checkpoint-files';
import { writeMnistFolder } from '../../../fixtures/mnist-folder';
import { makeWorkbench, tempDir, tinyConfig, parsed } from '../../../fixtures/workbench';

/** EMA, ADA, two-sided smoothing, both averages, conditioning, noise and augmentation: all of it must round-trip. */
function config(steps: number) {
  return tinyConfig(steps, {
    model: { gWidth: 8, dWidth: 8, gConditioning: 'cbn', dConditioning: 'projection', dNorm: 'spectral' },
    stabilizers: {
      ema: { enabled: true, halfLifeImages: 80 },
      labelSmoothing: { mode: 'two-sided' },
      historicalAveraging: { gWeight: 0.1, dWeight: 0.1 },
      instanceNoise: { std: 0.1, annealSteps: 30 },
    },
    augment: { flip: 0.5, diffAugment: ['color', 'translation', 'cutout'], ada: { enabled: true, interval: 2, speedImages: 200 } },
    optimizerD: { type: 'rmsprop', lr: 1e-4 },
    intervals: { metricsEvery: 1, sampleEvery: 10, checkpointEvery: 10 },
  });
}

describe('resume in a new trainer process', () => {
  const { workbench } = makeWorkbench();
  let dataset: Dataset;

  beforeAll(async () => {
    const folder = tempDir('mnist');
    await writeMnistFolder(folder, 4);
    dataset = (await workbench.datasets.import(parsed('datasets.import', { path: folder, size: 28, channels: 1 }))).dataset;
  });
  afterAll(() => workbench.close());

  function metricsOf(runId: string): Map<string, number | null> {
    const rows = workbench.store.db.prepare("SELECT key, step, value FROM metrics WHERE run_id = ? AND key != 'images_per_sec'").all(runId) as { key: string; step: number; value: number | null }[];
    return new Map(rows.map((r) => [`${r.step}:${r.key}`, r.value]));
  }

  function expectSameMetrics(actual: Map<string, number | null>, expected: Map<string, number | null>, steps: [number, number]): void {
    const inRange = (m: Map<string, number | null>) => [...m].filter(([k]) => Number(k.split(':')[0]) >= steps[0] && Number(k.split(':')[0]) <= steps[1]);
    const want = inRange(expected);
    expect(inRange(actual).map(([k]) => k).sort()).toEqual(want.map(([k]) => k).sort());
    // Every metric of every step: ADA's p and r_t, the losses, D outputs, norms, rates, σ.
    // (The trainer may store more, e.g. measures of the sample grids: they are compared too.)
    expect([...new Set(want.map(([k]) => k.split(':')[1]))]).toEqual(
      expect.arrayContaining(['d_loss', 'g_loss', 'd_loss_adv', 'g_loss_adv', 'ha_d', 'ha_g', 'd_real', 'd_fake', 'g_grad_norm', 'd_grad_norm', 'lr_g', 'lr_d', 'aug_p', 'ada_rt', 'instance_noise']),
    );
    for (const [key, value] of want) {
      expect(value, key).not.toBeNull();
      expect(Math.abs((actual.get(key) ?? Number.NaN) - value!), key).toBeLessThanOrEqual(1e-5);
    }
  }

  it('20 uninterrupted steps equal 10 steps + checkpoint + a new process + 10 steps: metrics in SQLite, final state, EMA samples', async () => {
    const whole = workbench.runs.create({ datasetId: dataset.id, config: config(20), start: true });
    const first = workbench.runs.create({ datasetId: dataset.id, config: config(10), start: true });
    expect((await workbench.host.whenSettled(whole.id)).status).toBe('completed');
    const half = await workbench.host.whenSettled(first.id);
    expect(half).toMatchObject({ status: 'completed', step: 10, lastCheckpointStep: 10 });
    const continued = workbench.runs.fork({ id: first.id, config: { steps: 20 }, start: true });
    const done = await workbench.host.whenSettled(continued.id);
    expect(done).toMatchObject({ status: 'completed', step: 20 });
    // The second process started from the checkpoint, not from scratch: it stored no steps 1–10.
    const resumed = metricsOf(continued.id);
    expect([...resumed.keys()].every((k) => Number(k.split(':')[0]) > 10)).toBe(true);

    const reference = metricsOf(whole.id);
    expectSameMetrics(metricsOf(first.id), reference, [1, 10]);
    expectSameMetrics(resumed, reference, [11, 20]);

    // The whole state at step 20 (nets, optimizers, EMA, averages) agrees tensor by tensor, and so do the RNG streams and ADA.
    const dirOf = (id: string) => join(workbench.dataDir.run(id), 'checkpoints', '20');
    const [a, b] = await Promise.all([readCheckpoint(dirOf(whole.id)), readCheckpoint(dirOf(continued.id))]);
    expect(b.meta['rng']).toEqual(a.meta['rng']);
    expect(b.meta['ada']).toEqual(a.meta['ada']);
    expect(b.meta['ema']).toEqual({ initialized: true });
    expect(b.tensors.map((t) => t.name)).toEqual(a.tensors.map((t) => t.name));
    expect(a.tensors.some((t) => t.name.startsWith('ema/')) && a.tensors.some((t) => t.name.startsWith('averageD/'))).toBe(true);
    a.tensors.forEach((t, i) => {
      const other = b.tensors[i]!.data;
      let worst = 0;
      t.data.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - other[j]!))));
      expect(worst, t.name).toBeLessThanOrEqual(1e-5);
    });
    // The step-20 sample grid comes from the EMA generator: the same picture.
    const png = (id: string) => readFileSync(join(workbench.dataDir.run(id), 'samples', '20.png'));
    expect(png(continued.id).equals(png(whole.id))).toBe(true);
  });

  it('a progressive run resumed by a new process in the middle of a fade continues exactly as the uninterrupted one', async () => {
    // 14 × 14 for 8 steps, then 28 × 28 fading in over steps 8–15: the checkpoint at 10 is at α = 0.25.
    const growing = (steps: number) =>
      tinyConfig(steps, {
        model: { gWidth: 8, dWidth: 8, minibatchStddev: true, equalizedLr: true },
        stabilizers: { ema: { enabled: true, halfLifeImages: 80 } },
        progressive: { enabled: true, startSize: 14, phaseImages: 64, fadeImages: 64 },
        intervals: { metricsEvery: 1, sampleEvery: 10, checkpointEvery: 10 },
      });
    const whole = workbench.runs.create({ datasetId: dataset.id, config: growing(20), start: true });
    const first = workbench.runs.create({ datasetId: dataset.id, config: growing(10), start: true });
    expect((await workbench.host.whenSettled(whole.id)).status).toBe('completed');
    expect(await workbench.host.whenSettled(first.id)).toMatchObject({ status: 'completed', step: 10 });
    const mid = await readCheckpoint(join(workbench.dataDir.run(first.id), 'checkpoints', '10'));
    expect(mid.meta['stage']).toEqual({ size: 28, alpha: 0.25 });
    const continued = workbench.runs.fork({ id: first.id, config: { steps: 20 }, start: true });
    expect(await workbench.host.whenSettled(continued.id)).toMatchObject({ status: 'completed', step: 20 });
    const reference = metricsOf(whole.id);
    const resumed = metricsOf(continued.id);
    for (const [key, value] of reference) {
      if (Number(key.split(':')[0]) <= 10) continue;
      expect(resumed.get(key), key).toBe(value);
    }
    // The metric of step s is that of the update made after s − 1 updates: step 13's at α = (12 − 8) / 8.
    expect(reference.get('13:fade_alpha')).toBe(0.5);
    const dirOf = (id: string) => join(workbench.dataDir.run(id), 'checkpoints', '20');
    const [a, b] = await Promise.all([readCheckpoint(dirOf(whole.id)), readCheckpoint(dirOf(continued.id))]);
    a.tensors.forEach((t, i) => expect(Array.from(b.tensors[i]!.data), t.name).toEqual(Array.from(t.data)));
  });
});
