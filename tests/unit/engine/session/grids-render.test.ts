/** Sample grids with and without EMA (the raw G's grid beside the EMA's while it warms up) and render() in chunks and with its input checks. */
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { TrainingSession } from '../../../../src-main/engine/training-session';
import { mnistData, run, SIZE, tinyConfig } from './helpers';

beforeAll(async () => {
  await resolveBackend('wasm');
});

// Batch 8, half-life 16 images, ramp-up 0.5: the EMA warms up over steps 1–7 (see the loop's ema-samples test).
const EMA = { stabilizers: { ema: { enabled: true, halfLifeImages: 16, rampup: 0.5 } } };

describe('sampleGrids()', () => {
  it('without EMA: one grid, given as both, never warming', async () => {
    const session = new TrainingSession({ config: tinyConfig(), data: mnistData() });
    await run(session, 1);
    const grids = await session.sampleGrids();
    expect(grids.raw).toBe(grids.grid);
    expect(grids.warming).toBe(false);
    expect(grids.grid.pixels).toEqual((await session.sampleGrid()).pixels);
    session.dispose();
  });

  it("with EMA: the EMA's grid and the live G's (the plain run's G) beside it, warming only while the EMA lags", async () => {
    const ema = new TrainingSession({ config: tinyConfig(EMA), data: mnistData() });
    const plain = new TrainingSession({ config: tinyConfig(), data: mnistData() });
    const before = await ema.sampleGrids();
    expect(before.raw).toBe(before.grid);
    expect(before.warming).toBe(false);
    for (const [steps, warming] of [[2, true], [9, false]] as const) {
      await run(ema, steps - ema.stepCount);
      await run(plain, steps - plain.stepCount);
      const grids = await ema.sampleGrids();
      expect(grids.warming, `after ${steps} steps`).toBe(warming);
      expect(grids.raw.pixels).toEqual((await plain.sampleGrid()).pixels);
      expect(grids.grid.pixels).toEqual((await ema.sampleGrid()).pixels);
      expect(grids.grid.pixels).not.toEqual(grids.raw.pixels);
    }
    [ema, plain].forEach((s) => s.dispose());
  });
});

describe('render()', () => {
  it('renders more images than one G call takes in chunks, each image as it renders alone, with the EMA weights', async () => {
    const config = tinyConfig(EMA);
    const session = new TrainingSession({ config, data: mnistData() });
    await run(session, 3);
    const n = 70;
    const noise = new Float32Array(n * config.latentSize).map((_, i) => Math.sin(i * 0.7));
    const all = await session.render(noise, null, 1);
    expect(all).toMatchObject({ width: SIZE, height: n * SIZE });
    const cell = SIZE * SIZE;
    for (const i of [0, 63, 64, 69]) {
      const alone = await session.render(noise.subarray(i * config.latentSize, (i + 1) * config.latentSize), null);
      expect(all.pixels.subarray(i * cell, (i + 1) * cell), `image ${i}`).toEqual(alone.pixels);
    }
    // The EMA's images, not the live G's: the same vectors on the plain run differ.
    const plain = new TrainingSession({ config: tinyConfig(), data: mnistData() });
    await run(plain, 3);
    expect((await plain.render(noise, null, 1)).pixels).not.toEqual(all.pixels);
    [session, plain].forEach((s) => s.dispose());
  });

  it('refuses empty noise, labels for an unconditional G, and too few labels for a conditional one', async () => {
    const config = tinyConfig();
    const session = new TrainingSession({ config, data: mnistData() });
    const two = new Float32Array(2 * config.latentSize);
    await expect(session.render(new Float32Array(0), null)).rejects.toThrow('noise must hold a whole number of vectors of length 8, got 0 values');
    await expect(session.render(two, Int32Array.from([0, 1]))).rejects.toThrow('this generator is not class-conditional: pass labels = null');
    session.dispose();
    const conditional = new TrainingSession({ config: tinyConfig({ model: { gConditioning: 'embedding' } }), data: mnistData() });
    await expect(conditional.render(two, Int32Array.from([1]))).rejects.toThrow('this generator is class-conditional: pass 2 labels');
    expect((await conditional.render(two, Int32Array.from([1, 2]))).width).toBe(2 * SIZE);
    conditional.dispose();
  });
});

describe('render() of colour images', () => {
  it('gives every image its three channels: the last cell is drawn, not left mid grey', async () => {
    const size = 16;
    const images = Uint8Array.from({ length: 8 * size * size * 3 }, (_, i) => (i * 37) % 256);
    const session = new TrainingSession({ config: tinyConfig(), data: { images, count: 8, size, channels: 3 } });
    const noise = new Float32Array(4 * session.config.latentSize).map((_, i) => Math.sin(i + 1));
    const out = await session.render(noise, null, 4);
    expect(out).toMatchObject({ width: 4 * size, height: size, channels: 3 });
    expect(out.pixels).toHaveLength(4 * size * size * 3);
    // Cell 4 (the last): its pixels are the generator's, which no grey fill reproduces over a whole cell.
    const last = Array.from({ length: size * size * 3 }, (_, k) => {
      const pixel = Math.floor(k / 3);
      return out.pixels[((Math.floor(pixel / size) * 4 * size) + 3 * size + (pixel % size)) * 3 + (k % 3)]!;
    });
    expect(last.some((v) => v !== 128)).toBe(true);
    session.dispose();
  });
});
