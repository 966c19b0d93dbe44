/**
 * On-demand rendering in the trainer process: load one checkpoint into a TrainingSession and render
 * a latent walk between two cells of the run's sample grid, or one row per class, as one tiled
 * picture, from the grid's noise or its ψ-truncated copy.
 */
import type { GenerateImages, GeneratedPixels } from '../common/trainer-protocol';
import type { TrainingConfig } from '../common/training-config';
import { tileGrid } from '../common/grid-layout';
import { latentAt, latentPath } from '../common/latent';
import { resolveBackend } from '../engine/backends/resolve-backend';
import { Rng } from '../common/rng';
import { SAMPLE_GRID_STREAM, TRUNCATION_STREAM } from '../engine/session/streams';
import { truncateNoise, type Truncation } from '../common/truncation';
import { TrainingSession, type RenderedImages } from '../engine/training-session';
import { readPackedDataset } from '../core/datasets/packed-format';
import { readCheckpoint } from './checkpoint-files';

/** The run's fixed sample-grid noise (at least `count` vectors), exactly as the session draws it. */
export function fixedGridNoise(config: TrainingConfig, count = config.sampleGridSize ** 2): Float32Array {
  const n = Math.max(count, config.sampleGridSize ** 2);
  return new Rng(config.seed, SAMPLE_GRID_STREAM).normals(n * config.latentSize);
}

/** The noise as the request draws it: truncated with the redraw stream of `seed` (the run's, or a synthetic export's), or as it is. */
export function truncatedFor(seed: number, noise: Float32Array, truncation: Truncation | null | undefined): Float32Array {
  return truncation ? truncateNoise(noise, truncation, new Rng(seed, TRUNCATION_STREAM)) : noise;
}

/** What to render: the noise batch, its labels, and how the cells are laid out. */
export function planRequest(job: Pick<GenerateImages, 'config' | 'request'>, numClasses: number): { noise: Float32Array; labels: Int32Array | null; rows: number; cols: number } {
  const { config, request } = job;
  const dim = config.latentSize;
  if (request.kind === 'interpolate') {
    const cells = config.sampleGridSize ** 2;
    if (request.from >= cells || request.to >= cells) throw new Error(`the sample grid has ${cells} cells; ${Math.max(request.from, request.to)} is not one of them`);
    // The walk's ends are the truncated cells; a walk between two latents inside ±ψ stays near them.
    const grid = truncatedFor(config.seed, fixedGridNoise(config), request.truncation);
    // A conditional generator needs a label: the walk stays in the class the grid shows at its start
    // (row r of the sample grid is class r mod K).
    const labels =
      config.model.gConditioning === 'none' ? null : new Int32Array(request.frames).fill(Math.floor(request.from / config.sampleGridSize) % Math.max(1, numClasses));
    return { noise: latentPath(latentAt(grid, dim, request.from), latentAt(grid, dim, request.to), request.frames, request.mode), labels, rows: 1, cols: request.frames };
  }
  if (config.model.gConditioning === 'none') throw new Error('this run’s generator is not conditional: it has no class rows');
  if (numClasses < 2) throw new Error('the dataset has no classes');
  const base = truncatedFor(config.seed, fixedGridNoise(config, request.perClass).subarray(0, request.perClass * dim), request.truncation);
  const noise = new Float32Array(numClasses * request.perClass * dim);
  const labels = new Int32Array(numClasses * request.perClass);
  for (let c = 0; c < numClasses; c++) {
    // The same noise in every row: rows differ only by class.
    noise.set(base, c * request.perClass * dim);
    labels.fill(c, c * request.perClass, (c + 1) * request.perClass);
  }
  return { noise, labels, rows: numClasses, cols: request.perClass };
}

/** Lays `rows × cols` square cells of a vertical strip out row-major with the sample grids' border (common/grid-layout). */
export function tileCells(images: RenderedImages, rows: number, cols: number): GeneratedPixels {
  const size = images.width;
  const { channels } = images;
  if (images.height !== rows * cols * size || images.pixels.length !== rows * cols * size * size * channels) {
    throw new Error(`rendered ${images.width}×${images.height} pixels, expected ${rows * cols} cells of ${size}×${size}`);
  }
  // A strip one cell wide holds its cells back to back, as tileGrid takes them.
  const { width, height, pixels } = tileGrid(images.pixels, { rows, cols, cellSize: size, channels });
  return { width, height, channels, pixels, rows, cols, cellSize: size };
}

export async function runGenerateJob(job: GenerateImages): Promise<GeneratedPixels> {
  await resolveBackend(job.backend, { adapter: job.adapter });
  const dataset = await readPackedDataset(job.datasetDir);
  const numClasses = dataset.manifest.classes.length;
  const plan = planRequest(job, numClasses);
  const session = new TrainingSession({
    config: job.config,
    data: {
      images: dataset.images,
      labels: dataset.labels,
      count: dataset.manifest.count,
      size: dataset.manifest.size,
      channels: dataset.manifest.channels,
      numClasses,
    },
  });
  try {
    await session.importState(await readCheckpoint(job.checkpointDir));
    // One column: a vertical strip of cells, which tileCells lays out with borders.
    return tileCells(await session.render(plan.noise, plan.labels, 1), plan.rows, plan.cols);
  } finally {
    session.dispose();
  }
}
