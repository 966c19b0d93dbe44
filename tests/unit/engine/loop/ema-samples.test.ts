/** Sample steps with EMA on: the raw G's grid goes to the port beside the EMA's while the EMA warms up, and sample diversity always reads the raw G. */
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { DiversityMeter } from '../../../../src-main/engine/evaluators/diversity-meter';
import { mnistData, tinyConfig } from '../session/helpers';
import { harness, MemoryStorage } from './memory-storage';

beforeAll(async () => {
  await resolveBackend('wasm');
});

// Batch 8, half-life 16 images, ramp-up 0.5: the ramp-up caps the half-life until step 4
// (8 · 4 · 0.5 = 16), and 4 half-lives (64 images) are seen at step 8; so it warms up over steps 1–7.
const config = tinyConfig({
  steps: 12,
  intervals: { metricsEvery: 1, sampleEvery: 3, checkpointEvery: 12 },
  stabilizers: { ema: { enabled: true, halfLifeImages: 16, rampup: 0.5 } },
});
const job = { runId: 'run_ema', config, threads: 1, backend: 'wasm' as const };

describe('TrainingLoop sample steps with EMA', () => {
  it('writes the raw grid while the EMA warms up and stops after, and measures diversity on the raw G', async () => {
    const storage = new MemoryStorage();
    const { loop, sent } = harness();
    await loop.run(job, mnistData(), storage);

    expect([...storage.samples.keys()]).toEqual([0, 3, 6, 9, 12]);
    // Step 0: the EMA has not started (it would show G itself); steps 9 and 12: warmed up.
    expect([...storage.rawSamples.keys()]).toEqual([3, 6]);
    const samples = sent.flatMap((m) => (m.type === 'sample' ? [[m.step, m.rawFile] as const] : []));
    expect(samples).toEqual([
      [0, null],
      [3, 'memory:3-raw.png'],
      [6, 'memory:6-raw.png'],
      [9, null],
      [12, null],
    ]);

    const diversity = new Map(
      sent.flatMap((m) => (m.type === 'metrics' ? m.points : [])).flatMap((p) => (p.values['sample_diversity'] === undefined ? [] : [[p.step, p.values['sample_diversity']] as const])),
    );
    const data = mnistData();
    const meter = new DiversityMeter(data.images, data.count, data.size, data.channels, config.sampleGridSize, config.seed);
    for (const step of [3, 6]) {
      const raw = storage.rawSamples.get(step)!;
      const ema = storage.samples.get(step)!;
      expect(ema.pixels).not.toEqual(raw.pixels);
      expect(diversity.get(step)).toBe(meter.measure(raw));
      expect(diversity.get(step)).not.toBe(meter.measure(ema));
    }
  });
});
