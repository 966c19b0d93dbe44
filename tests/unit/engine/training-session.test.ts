/** TrainingSession on wasm: real steps, determinism from the seed, no leaks, exact resume, SampleGrid. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { TrainingConfig, type TrainingConfigInput } from '../../../src-main/common/training-config';
import { resolveBackend } from '../../../src-main/engine/backend';
import { GRID_BORDER } from '../../../src-main/engine/sample-grid';
import { TrainingSession, type MetricValues, type TrainingData } from '../../../src-main/engine/training-session';
import { Rng } from '../../../src-main/engine/rng';

const SIZE = 16;

function tinyData(channels: 1 | 3 = 1, count = 24): TrainingData {
  const rng = new Rng(123);
  const images = new Uint8Array(count * SIZE * SIZE * channels);
  for (let i = 0; i < images.length; i++) images[i] = rng.nextInt(256);
  return { images, count, size: SIZE, channels };
}

function config(overrides: TrainingConfigInput = {}): TrainingConfig {
  return TrainingConfig.parse({
    seed: 9,
    batchSize: 8,
    latentSize: 16,
    model: { gWidth: 8, dWidth: 8 },
    sampleGridSize: 3,
    ...overrides,
  });
}

function run(session: TrainingSession, steps: number): MetricValues[] {
  return Array.from({ length: steps }, () => session.step());
}

function weightsOf(session: TrainingSession): Float32Array[] {
  return [...session.generator.getWeights(), ...session.discriminator.getWeights()].map((w) => Float32Array.from(w.dataSync()));
}

function expectClose(a: MetricValues[], b: MetricValues[], tolerance: number): void {
  expect(a.length).toBe(b.length);
  a.forEach((m, i) => {
    for (const [key, value] of Object.entries(m)) {
      expect(Math.abs(value - (b[i]?.[key as keyof MetricValues] ?? Number.NaN)), `${key} at step ${i}`).toBeLessThanOrEqual(tolerance);
    }
  });
}

beforeAll(async () => {
  await resolveBackend('wasm');
});

describe('TrainingSession', () => {
  it('runs 5 steps with finite losses, sane D outputs and changing weights', () => {
    const session = new TrainingSession({ config: config(), data: tinyData() });
    const before = weightsOf(session);
    const metrics = run(session, 5);
    expect(session.stepCount).toBe(5);
    for (const m of metrics) {
      expect(Object.keys(m).sort()).toEqual(['d_fake', 'd_grad_norm', 'd_loss', 'd_real', 'g_grad_norm', 'g_loss']);
      for (const v of Object.values(m)) expect(Number.isFinite(v)).toBe(true);
      expect(m.d_real).toBeGreaterThan(0);
      expect(m.d_real).toBeLessThan(1);
      expect(m.d_fake).toBeGreaterThan(0);
      expect(m.d_fake).toBeLessThan(1);
      expect(m.g_grad_norm).toBeGreaterThan(0);
      expect(m.d_grad_norm).toBeGreaterThan(0);
    }
    // At initialization D outputs ~0.5 on everything: d_loss ~ 2 ln 2, g_loss ~ ln 2.
    expect(metrics[0]?.d_loss).toBeCloseTo(2 * Math.LN2, 1);
    expect(metrics[0]?.g_loss).toBeCloseTo(Math.LN2, 1);
    const after = weightsOf(session);
    expect(after.length).toBe(before.length);
    const changed = after.filter((w, i) => w.some((v, j) => v !== before[i]?.[j])).length;
    // Every trainable weight and the batch-norm moving statistics move.
    expect(changed).toBe(after.length);
    session.dispose();
  });

  it('gives identical metrics and weights for two sessions with the same seed, different ones for another seed', () => {
    const data = tinyData(3);
    const a = new TrainingSession({ config: config(), data });
    const b = new TrainingSession({ config: config(), data });
    const c = new TrainingSession({ config: config({ seed: 10 }), data });
    const ma = run(a, 4);
    expect(run(b, 4)).toEqual(ma);
    expect(weightsOf(b)).toEqual(weightsOf(a));
    expect(run(c, 4)).not.toEqual(ma);
    [a, b, c].forEach((s) => s.dispose());
  });

  it('leaks no tensors across steps, sample grids and state exports', async () => {
    const session = new TrainingSession({ config: config(), data: tinyData() });
    run(session, 3);
    const afterThree = tf.memory().numTensors;
    for (let i = 0; i < 9; i++) {
      session.step();
      session.sampleGrid();
    }
    await session.exportState();
    expect(session.stepCount).toBe(12);
    expect(tf.memory().numTensors).toBe(afterThree);
    const start = tf.memory().numTensors;
    session.dispose();
    expect(tf.memory().numTensors).toBeLessThan(start);
  });

  it('resumes from exportState exactly as the uninterrupted session continues', async () => {
    const data = tinyData();
    const uninterrupted = new TrainingSession({ config: config(), data });
    run(uninterrupted, 3);
    const state = await uninterrupted.exportState();
    // A checkpoint goes through disk as JSON + raw arrays: make sure meta survives JSON.
    const meta = JSON.parse(JSON.stringify(state.meta)) as Record<string, unknown>;
    expect(meta['step']).toBe(3);
    const resumed = await TrainingSession.fromState({ config: config(), data }, { meta, tensors: state.tensors });
    expect(resumed.stepCount).toBe(3);
    const expected = run(uninterrupted, 3);
    const actual = run(resumed, 3);
    expectClose(actual, expected, 1e-5);
    expect(resumed.stepCount).toBe(6);

    // importState into a session that has already trained replaces everything too.
    const other = new TrainingSession({ config: config({ seed: 77 }), data });
    run(other, 2);
    await other.importState(await uninterrupted.exportState());
    expectClose(run(other, 2), run(uninterrupted, 2), 1e-5);
    [uninterrupted, resumed, other].forEach((s) => s.dispose());
  });

  it('resumes from a checkpoint taken before the first step', async () => {
    const data = tinyData();
    const fresh = new TrainingSession({ config: config(), data });
    const resumed = await TrainingSession.fromState({ config: config(), data }, await fresh.exportState());
    expectClose(run(resumed, 2), run(fresh, 2), 1e-5);
    [fresh, resumed].forEach((s) => s.dispose());
  });

  it('refuses a checkpoint of a different model shape', async () => {
    const data = tinyData();
    const narrow = new TrainingSession({ config: config(), data });
    const state = await narrow.exportState();
    const wide = new TrainingSession({ config: config({ model: { gWidth: 16, dWidth: 8 } }), data });
    await expect(wide.importState(state)).rejects.toThrow(/gWidth/);
    const renamed = { meta: { ...state.meta, gWidth: 16 }, tensors: state.tensors };
    await expect(wide.importState(renamed)).rejects.toThrow(/shape/);
    [narrow, wide].forEach((s) => s.dispose());
  });

  it('renders a deterministic N x N SampleGrid from fixed noise', () => {
    const data = tinyData(3);
    const a = new TrainingSession({ config: config(), data });
    const b = new TrainingSession({ config: config(), data });
    const grid = a.sampleGrid();
    const side = 3 * SIZE + 4 * GRID_BORDER;
    expect(grid).toMatchObject({ width: side, height: side, channels: 3 });
    expect(grid.pixels.length).toBe(side * side * 3);
    expect(b.sampleGrid().pixels).toEqual(grid.pixels);
    // Inference mode: sampling neither trains nor changes the next grid.
    expect(a.sampleGrid().pixels).toEqual(grid.pixels);
    expect(a.stepCount).toBe(0);
    // The border is uniform and the images inside are not.
    expect(grid.pixels[0]).toBe(grid.pixels[side * 3 - 1]);
    const inside = grid.pixels.subarray((GRID_BORDER * side + GRID_BORDER) * 3, (GRID_BORDER * side + GRID_BORDER + SIZE) * 3);
    expect(new Set(inside).size).toBeGreaterThan(1);
    a.step();
    expect(a.sampleGrid().pixels).not.toEqual(grid.pixels);
    [a, b].forEach((s) => s.dispose());
  });

  it('trains the same on wasm (with its supplied kernels) as on the cpu backend', async () => {
    const data = tinyData(3);
    const onBackend = async (name: string): Promise<MetricValues[]> => {
      await resolveBackend(name);
      const session = new TrainingSession({ config: config({ batchSize: 4 }), data });
      const metrics = run(session, 3);
      session.dispose();
      return metrics;
    };
    const cpu = await onBackend('cpu');
    const wasm = await onBackend('wasm');
    expectClose(wasm, cpu, 1e-4);
  });

  it('rejects a dataset that does not hold count images', () => {
    const data = { ...tinyData(), count: 1000 };
    expect(() => new TrainingSession({ config: config(), data })).toThrow(/need/);
  });
});
