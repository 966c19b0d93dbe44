/**
 * Issue 11, defect 7: an EMA with decay 0.999 from step 0 still shows the initial weights after
 * hundreds of steps. With the half-life ramp-up it follows G; the raw G's grid is what diversity reads.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { readStoredConfig } from '../../../../src-main/common/config-version';
import { Rng } from '../../../../src-main/common/rng';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import type { Generator } from '../../../../src-main/engine/nets';
import { tileSampleGrid, type SampleGrid } from '../../../../src-main/engine/sample-grid';
import { emaVariables } from '../../../../src-main/engine/session/parts';
import { SAMPLE_GRID_STREAM } from '../../../../src-main/engine/session/streams';
import { WeightEma } from '../../../../src-main/engine/stabilizers/ema';
import { TrainingSession } from '../../../../src-main/engine/training-session';
import { mnistData, SIZE, tinyConfig } from './helpers';

beforeAll(async () => {
  await resolveBackend('wasm');
});

/** Mean absolute difference per pixel, 0..1. */
function distance(a: SampleGrid, b: SampleGrid): number {
  let sum = 0;
  for (let i = 0; i < a.pixels.length; i++) sum += Math.abs(a.pixels[i]! - b.pixels[i]!);
  return sum / a.pixels.length / 255;
}

describe('EMA ramp-up', () => {
  it('after 500 steps the EMA samples have left the initial weights; decay 0.999 from step 0 (a version-2 config) had barely moved', async () => {
    const config = tinyConfig({ steps: 500, sampleGridSize: 4, stabilizers: { ema: { enabled: true } } });
    // The old behaviour, as the migration of a version-2 config keeps it: β = 0.999 from the first step.
    const old = readStoredConfig({ ...config, stabilizers: { ...config.stabilizers, ema: { enabled: true, decay: 0.999, startStep: 0 } } }, 2);
    const session = new TrainingSession({ config, data: mnistData() });
    const n = config.sampleGridSize;
    const noise = new Rng(config.seed, SAMPLE_GRID_STREAM).normals(n * n * config.latentSize);
    const gridOf = (g: Generator): SampleGrid => {
      const images = tf.tidy(() => g.apply(tf.tensor2d(noise, [n * n, config.latentSize]), null, false).dataSync() as Float32Array);
      return tileSampleGrid(images, n, SIZE, 1);
    };
    const initial = gridOf(session.generator);
    const oldEma = new WeightEma(emaVariables(session.generator), { ...old.stabilizers.ema, batchSize: old.batchSize });
    for (let i = 0; i < 500; i++) {
      await session.step();
      // As g-step updates the session's own EMA: with the 1-based number of the update just made.
      oldEma.update(session.stepCount);
    }
    const { grid, raw, warming } = await session.sampleGrids();
    // The raw grid is the live generator's on the fixed noise; 4 000 images are still within the ramp-up.
    expect(raw.pixels).toEqual(gridOf(session.generator).pixels);
    expect(warming).toBe(true);
    const oldGrid = oldEma.withEma(() => gridOf(session.generator));
    const learned = distance(raw, initial);
    expect(learned).toBeGreaterThan(0.1);
    // Measured: the EMA is ~0.23 from the initial samples and ~0.02 from G's; the old one ~0.001 and ~0.24.
    expect(distance(grid, initial)).toBeGreaterThan(0.5 * learned);
    expect(distance(grid, raw)).toBeLessThan(0.25 * distance(grid, initial));
    // The old EMA fails both: it still shows (nearly) the initial weights' flat grey.
    expect(distance(oldGrid, initial)).toBeLessThan(0.1 * learned);
    expect(distance(oldGrid, raw)).toBeGreaterThan(0.25 * distance(oldGrid, initial));
    oldEma.dispose();
    session.dispose();
  }, 60_000);
});
