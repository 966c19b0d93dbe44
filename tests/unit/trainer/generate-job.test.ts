/** The trainer's on-demand rendering: the sample grid's noise reproduced, walks and class rows planned (ψ-truncated or not), cells tiled. */
import { beforeAll, describe, expect, it } from 'vitest';
import { TrainingConfig, type TrainingConfigInput } from '../../../src-main/common/training-config';
import { latentAt } from '../../../src-main/common/latent';
import { resolveBackend } from '../../../src-main/engine/backends/resolve-backend';
import { TrainingSession } from '../../../src-main/engine/training-session';
import { fixedGridNoise, planRequest, tileCells, truncatedFor } from '../../../src-main/utility/generate-job';

const config = (over: TrainingConfigInput = {}) =>
  TrainingConfig.parse({ seed: 5, latentSize: 4, sampleGridSize: 3, model: { gWidth: 8, dWidth: 8 }, ...over });

beforeAll(async () => {
  await resolveBackend('wasm');
});

describe('generate job', () => {
  it('draws exactly the noise of the run’s fixed sample grid', () => {
    const c = config({ batchSize: 4 });
    const images = new Uint8Array(8 * 16 * 16);
    const session = new TrainingSession({ config: c, data: { images, count: 8, size: 16, channels: 1 } });
    try {
      // The session's own noise (private there): if the session draws it differently, walks would start from other images.
      expect(fixedGridNoise(c)).toEqual(session['gridNoise' as keyof TrainingSession]);
    } finally {
      session.dispose();
    }
    // Asking for more vectors keeps the grid's as the prefix.
    expect(fixedGridNoise(c, 20).subarray(0, 9 * 4)).toEqual(fixedGridNoise(c));
  });

  it('plans a walk between two grid cells, starting and ending on their noise', () => {
    const c = config();
    const plan = planRequest({ config: c, request: { kind: 'interpolate', from: 2, to: 7, frames: 5, mode: 'slerp' } }, 0);
    expect(plan).toMatchObject({ rows: 1, cols: 5, labels: null });
    const grid = fixedGridNoise(c);
    expect(latentAt(plan.noise, 4, 0)).toEqual(latentAt(grid, 4, 2));
    for (const [i, x] of latentAt(plan.noise, 4, 4).entries()) expect(x).toBeCloseTo(latentAt(grid, 4, 7)[i]!, 5);
    expect(() => planRequest({ config: c, request: { kind: 'interpolate', from: 0, to: 9, frames: 2, mode: 'lerp' } }, 0)).toThrow(/9 cells/);
  });

  it('plans one row per class with the same noise in every row, and refuses unconditional runs', () => {
    const conditional = config({ model: { gWidth: 8, dWidth: 8, gConditioning: 'cbn' } });
    const plan = planRequest({ config: conditional, request: { kind: 'classes', perClass: 2 } }, 3);
    expect(plan).toMatchObject({ rows: 3, cols: 2 });
    expect([...plan.labels!]).toEqual([0, 0, 1, 1, 2, 2]);
    expect(latentAt(plan.noise, 4, 4)).toEqual(latentAt(plan.noise, 4, 0));
    expect(latentAt(plan.noise, 4, 5)).toEqual(latentAt(plan.noise, 4, 1));
    expect(() => planRequest({ config: config(), request: { kind: 'classes', perClass: 2 } }, 3)).toThrow(/not conditional/);
  });

  it('truncates the walk’s ends and the class rows’ noise with the run’s own redraw stream when ψ is given', () => {
    const c = config();
    const truncation = { psi: 0.4, mode: 'resample' } as const;
    const grid = fixedGridNoise(c);
    const truncatedGrid = truncatedFor(c.seed, grid, truncation);
    // Some coordinate of the two cells lies outside ±0.4, so the truncated walk starts elsewhere.
    expect(truncatedGrid).not.toEqual(grid);
    const walk = planRequest({ config: c, request: { kind: 'interpolate', from: 2, to: 7, frames: 3, mode: 'lerp', truncation } }, 0);
    expect(latentAt(walk.noise, 4, 0)).toEqual(latentAt(truncatedGrid, 4, 2));
    for (const [i, x] of latentAt(walk.noise, 4, 2).entries()) expect(x).toBeCloseTo(latentAt(truncatedGrid, 4, 7)[i]!, 6);
    expect(walk.noise.every((v) => Math.abs(v) <= 0.4)).toBe(true);
    // Without ψ nothing changes, and the same ψ gives the same latents every time.
    expect(truncatedFor(c.seed, grid, undefined)).toBe(grid);
    expect(truncatedFor(c.seed, grid, truncation)).toEqual(truncatedGrid);

    const conditional = config({ model: { gWidth: 8, dWidth: 8, gConditioning: 'cbn' } });
    const rows = planRequest({ config: conditional, request: { kind: 'classes', perClass: 2, truncation: { psi: 0.5, mode: 'lerp' } } }, 2);
    const base = fixedGridNoise(conditional, 2);
    expect(latentAt(rows.noise, 4, 1)).toEqual(latentAt(base, 4, 1).map((v) => Math.fround(0.5 * v)));
    expect(latentAt(rows.noise, 4, 3)).toEqual(latentAt(rows.noise, 4, 1));
  });

  it('tiles a strip of rendered cells row-major with a grey border', () => {
    // Four 2×2 grey cells with values 10, 20, 30, 40.
    const pixels = new Uint8Array(4 * 2 * 2).map((_, i) => 10 * (Math.floor(i / 4) + 1));
    const out = tileCells({ width: 2, height: 8, channels: 1, pixels }, 2, 2);
    // 2 cells of 2 px and 3 borders of 2 px each way.
    expect(out).toMatchObject({ width: 10, height: 10, rows: 2, cols: 2, cellSize: 2 });
    const at = (x: number, y: number) => out.pixels[y * 10 + x];
    expect([at(0, 0), at(2, 2), at(3, 3), at(4, 2), at(6, 2), at(2, 6), at(7, 7)]).toEqual([128, 10, 10, 128, 20, 30, 40]);
    expect(() => tileCells({ width: 2, height: 6, channels: 1, pixels: pixels.subarray(0, 12) }, 2, 2)).toThrow(/expected 4 cells/);
  });
});
