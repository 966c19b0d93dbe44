/** The session's public surface: metric keys, first-step values, sample grids, renders, wasm against cpu, input checks. */
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { METRIC_ORDER, TrainingSession } from '../../../../src-main/engine/training-session';
import { GRID_BORDER, gridShape } from '../../../../src-main/common/grid-layout';
import type { TrainingConfig } from '../../../../src-main/common/training-config';
import { Rng } from '../../../../src-main/common/rng';
import { SAMPLE_GRID_STREAM } from '../../../../src-main/engine/session/streams';
import { expectClose, mnistData, run, SIZE, tinyConfig } from './helpers';
import { pairedConfig, session as translationSession, unpairedConfig } from '../translate/helpers';

/** The fixed grid noise as utility/generate-job.ts reproduces it for latent walks: stream 3 of the seed. */
function fixedGridNoise(config: TrainingConfig): Float32Array {
  return new Rng(config.seed, SAMPLE_GRID_STREAM).normals(config.sampleGridSize ** 2 * config.latentSize);
}

beforeAll(async () => {
  await resolveBackend('wasm');
});

describe('step()', () => {
  it('reports the base metrics in order; at initialization D is undecided (d_loss ≈ 2 ln 2, g_loss ≈ ln 2)', async () => {
    const session = new TrainingSession({ config: tinyConfig(), data: mnistData() });
    const [first] = await run(session, 1);
    expect(Object.keys(first!)).toEqual(['d_loss', 'g_loss', 'd_loss_adv', 'g_loss_adv', 'd_real', 'd_fake', 'g_grad_norm', 'd_grad_norm', 'lr_g', 'lr_d']);
    expect(first!['d_loss']).toBeCloseTo(2 * Math.LN2, 2);
    expect(first!['g_loss']).toBeCloseTo(Math.LN2, 2);
    expect(first!['lr_g']).toBe(2e-4);
    expect(session.stepCount).toBe(1);
    session.dispose();
  });

  it('METRIC_ORDER lists every key any technique reports', async () => {
    const config = tinyConfig({
      model: { gConditioning: 'cbn', dConditioning: 'acgan' },
      loss: { r1Gamma: 1 },
      stabilizers: { featureMatching: { enabled: true }, historicalAveraging: { gWeight: 1, dWeight: 1 }, instanceNoise: { std: 0.1 } },
      augment: { diffAugment: ['color'], ada: { enabled: true } },
    });
    const session = new TrainingSession({ config, data: mnistData() });
    const keys = Object.keys(await session.step());
    session.dispose();
    const gp = new TrainingSession({ config: tinyConfig({ loss: { type: 'wgan-gp' }, model: { dNorm: 'layer' } }), data: mnistData() });
    const gpKeys = Object.keys(await gp.step());
    gp.dispose();
    const growing = new TrainingSession({ config: tinyConfig({ progressive: { enabled: true, startSize: 14 } }), data: mnistData() });
    const growingKeys = Object.keys(await growing.step());
    growing.dispose();
    expect(growingKeys).toEqual(METRIC_ORDER.filter((k) => growingKeys.includes(k)));
    const translationKeys: string[][] = [];
    for (const config of [pairedConfig({ source: 'superres', perceptualWeight: 1 }), unpairedConfig()]) {
      const translating = translationSession(config);
      translationKeys.push(Object.keys(await translating.step()));
      translating.dispose();
    }
    for (const k of translationKeys) expect(k).toEqual(METRIC_ORDER.filter((key) => k.includes(key)));
    expect(translationKeys[0]).toEqual(expect.arrayContaining(['g_l1', 'perceptual']));
    expect(translationKeys[1]).toEqual(expect.arrayContaining(['cycle', 'identity']));
    expect(new Set([...keys, ...gpKeys, ...growingKeys, ...translationKeys.flat()])).toEqual(new Set(METRIC_ORDER));
    expect(keys).toEqual(METRIC_ORDER.filter((k) => keys.includes(k)));
  });

  it('trains the same on wasm (with its supplied kernels) as on the cpu backend', async () => {
    const config = tinyConfig({ batchSize: 4, model: { dNorm: 'spectral', gConditioning: 'embedding', dConditioning: 'projection' }, loss: { r1Gamma: 1 } });
    const on = async (name: string) => {
      await resolveBackend(name);
      const session = new TrainingSession({ config, data: mnistData() });
      const metrics = await run(session, 3);
      session.dispose();
      return metrics;
    };
    const cpu = await on('cpu');
    const wasm = await on('wasm');
    expectClose(wasm, cpu, 1e-4);
  });

  it('rejects a dataset that does not hold count images', () => {
    expect(() => new TrainingSession({ config: tinyConfig(), data: { ...mnistData(), count: 1000 } })).toThrow(/need/);
  });
});

describe('sampleGrid() and render()', () => {
  it('draws the N × N grid from the run’s fixed noise (the noise generate-job reproduces), in inference mode', async () => {
    const config = tinyConfig({ sampleGridSize: 3 });
    const a = new TrainingSession({ config, data: mnistData() });
    const b = new TrainingSession({ config, data: mnistData() });
    expect(fixedGridNoise(config)).toEqual(a['gridNoise' as keyof TrainingSession]);
    const grid = await a.sampleGrid();
    const side = 3 * SIZE + 4 * GRID_BORDER;
    expect(grid).toMatchObject({ width: side, height: side, channels: 1 });
    expect((await b.sampleGrid()).pixels).toEqual(grid.pixels);
    expect((await a.sampleGrid()).pixels).toEqual(grid.pixels);
    // The grid equals render() of the same noise, cell by cell.
    const rendered = await a.render(fixedGridNoise(config), null);
    expect(gridShape(9)).toEqual({ rows: 3, cols: 3 });
    for (let y = 0; y < 3 * SIZE; y++) {
      for (let x = 0; x < 3 * SIZE; x++) {
        const cell = [Math.floor(y / SIZE), Math.floor(x / SIZE)];
        const gy = GRID_BORDER + cell[0]! * (SIZE + GRID_BORDER) + (y % SIZE);
        const gx = GRID_BORDER + cell[1]! * (SIZE + GRID_BORDER) + (x % SIZE);
        if (grid.pixels[gy * side + gx] !== rendered.pixels[y * 3 * SIZE + x]) throw new Error(`grid and render differ at ${x},${y}`);
      }
    }
    await a.step();
    expect((await a.sampleGrid()).pixels).not.toEqual(grid.pixels);
    [a, b].forEach((s) => s.dispose());
  });

  it('conditional runs: row r of the grid shows class r mod K', async () => {
    const config = tinyConfig({ sampleGridSize: 3, model: { gConditioning: 'cbn' } });
    const session = new TrainingSession({ config, data: { ...mnistData(), numClasses: 2, labels: mnistData().labels!.map((l) => l % 2) } });
    (await run(session, 2));
    const noise = fixedGridNoise(config);
    const labels = Int32Array.from({ length: 9 }, (_, i) => Math.floor(i / 3) % 2);
    const rendered = await session.render(noise, labels);
    // Labels are checked as numbers where they enter, before any tensor is made.
    await expect(session.render(noise, labels.map((l, i) => (i === 4 ? 2 : l)))).rejects.toThrow('class label 2 is not an integer in [0, 2)');
    await expect(session.render(noise, null)).rejects.toThrow(/class-conditional: pass 9 labels/);
    const grid = await session.sampleGrid();
    const side = grid.width;
    // Row 1 is class 1 and row 2 class 0 again: both must match the render with those labels.
    for (const row of [1, 2]) {
      for (let y = 0; y < SIZE; y++) {
        for (let x = 0; x < 3 * SIZE; x++) {
          const gx = GRID_BORDER + Math.floor(x / SIZE) * (SIZE + GRID_BORDER) + (x % SIZE);
          const gy = GRID_BORDER + row * (SIZE + GRID_BORDER) + y;
          expect(grid.pixels[gy * side + gx]).toBe(rendered.pixels[(row * SIZE + y) * 3 * SIZE + x]);
        }
      }
    }
    session.dispose();
  });

  it('render tiles row-major ⌈√n⌉ wide by default, or `columns` wide; empty cells are mid grey', async () => {
    const config = tinyConfig();
    const session = new TrainingSession({ config, data: mnistData() });
    const noise = new Float32Array(5 * config.latentSize).map((_, i) => Math.cos(i));
    const square = await session.render(noise, null);
    expect(gridShape(5)).toEqual({ rows: 2, cols: 3 });
    expect(square).toMatchObject({ width: 3 * SIZE, height: 2 * SIZE, channels: 1 });
    expect(square.pixels[(2 * SIZE - 1) * 3 * SIZE + 3 * SIZE - 1]).toBe(128);
    const strip = await session.render(noise, null, 1);
    expect(strip).toMatchObject({ width: SIZE, height: 5 * SIZE });
    // Cell 4 (row 1, col 1 of the square; the fifth of the strip) is the same image.
    for (let y = 0; y < SIZE; y++) {
      const a = square.pixels.subarray((SIZE + y) * 3 * SIZE + SIZE, (SIZE + y) * 3 * SIZE + 2 * SIZE);
      const b = strip.pixels.subarray((4 * SIZE + y) * SIZE, (4 * SIZE + y + 1) * SIZE);
      expect(a).toEqual(b);
    }
    await expect(session.render(new Float32Array(3), null)).rejects.toThrow(/whole number of vectors/);
    session.dispose();
  });
});
