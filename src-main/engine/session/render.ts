/** Inference with the generator (its EMA copy when EMA is on): fixed-noise sample grids, on-demand renders, export. */
import * as tf from '@tensorflow/tfjs';
import { exportGenerator, type ExportedModel } from '../export';
import type { Generator } from '../nets';
import { gridShape, tileGrid } from '../../common/grid-layout';
import { imageBytes, tileSampleGrid, type SampleGrid } from '../sample-grid';
import { assertLabelValues } from '../nets/conditioning';
import { toFullSize } from './growth';
import type { SessionParts } from './parts';

/** Images per G call when rendering, so a long walk never builds one huge batch. */
const RENDER_CHUNK = 64;

/** A rendered picture: cells of size × size tiled without borders (see gridShape), uint8 HWC. */
export interface RenderedImages {
  width: number;
  height: number;
  channels: 1 | 3;
  pixels: Uint8Array;
}

/** The fixed-noise grids of one sample step: the EMA's (or G's when EMA is off), G's own, and whether the EMA still warms up. */
export interface SampleGrids {
  grid: SampleGrid;
  /** The live generator's grid: what the diagnostics measure. The same object as `grid` when there is no EMA yet. */
  raw: SampleGrid;
  /** The EMA still lags G (emaWarming): show `raw` beside `grid`. */
  warming: boolean;
}

/** Runs fn with G holding its EMA weights (and statistics) when EMA is on and has started, unless `raw` asks for the live ones. */
function withSamplingWeights<T>(p: SessionParts, raw: boolean, fn: () => T): T {
  return p.ema === null || raw ? fn() : p.ema.withEma(fn);
}

/**
 * G in inference mode on `noise` ([count · latentSize]) and labels, with its EMA weights when EMA is on
 * (`raw`: the live weights); the images in [-1, 1], NHWC. Async: a GPU backend reads back only that way.
 */
export async function generateImages(p: SessionParts, noise: Float32Array, labels: Int32Array | null, raw = false): Promise<Float32Array> {
  const { latentSize } = p.config;
  if (noise.length === 0 || noise.length % latentSize !== 0) {
    throw new Error(`noise must hold a whole number of vectors of length ${latentSize}, got ${noise.length} values`);
  }
  const count = noise.length / latentSize;
  if (p.t.condG) {
    if (labels === null || labels.length !== count) throw new Error(`this generator is class-conditional: pass ${count} labels`);
    assertLabelValues(labels, p.numClasses);
  } else if (labels !== null) {
    throw new Error('this generator is not class-conditional: pass labels = null');
  }
  const { size, channels } = p.data;
  const pixels = size * size * channels;
  const out = new Float32Array(count * pixels);
  for (let start = 0; start < count; start += RENDER_CHUNK) {
    const m = Math.min(RENDER_CHUNK, count - start);
    // The EMA swap is synchronous and covers only the forward pass; the read-back happens after it.
    const images = withSamplingWeights(p, raw, () =>
      tf.tidy(() => {
        const z = tf.tensor2d(noise.subarray(start * latentSize, (start + m) * latentSize), [m, latentSize]);
        const y = labels === null ? null : tf.tensor1d(labels.subarray(start, start + m), 'int32');
        return toFullSize(p.g.apply(z, y, false), size);
      }),
    );
    try {
      out.set((await images.data()) as Float32Array, start * pixels);
    } finally {
      images.dispose();
    }
  }
  return out;
}

/** Tiles images row-major into rows × cols cells (common/grid-layout gridShape) with no border; cells past the last image stay mid grey. */
export function tileRendered(images: Float32Array, count: number, size: number, channels: 1 | 3, columns?: number): RenderedImages {
  const { rows, cols } = gridShape(count, columns);
  const { width, height, pixels } = tileGrid(imageBytes(images, count * size * size * channels), { rows, cols, cellSize: size, channels, border: 0 });
  return { width, height, channels, pixels };
}

/** Labels of the fixed sample grid: row r of the n × n grid shows class r mod K (null when G is unconditional). */
export function gridLabels(p: SessionParts, n: number): Int32Array | null {
  if (!p.t.condG) return null;
  return Int32Array.from({ length: n * n }, (_, i) => Math.floor(i / n) % p.numClasses);
}

export async function renderSampleGrid(p: SessionParts, gridNoise: Float32Array, raw = false): Promise<SampleGrid> {
  const n = p.config.sampleGridSize;
  const images = await generateImages(p, gridNoise, gridLabels(p, n), raw);
  return tileSampleGrid(images, n, p.data.size, p.data.channels);
}

/** The sample grids after `steps` updates: the raw G's is rendered apart only when an EMA exists to differ from it. */
export async function renderSampleGrids(p: SessionParts, gridNoise: Float32Array, steps: number): Promise<SampleGrids> {
  const grid = await renderSampleGrid(p, gridNoise);
  if (p.ema === null || !p.ema.ready) return { grid, raw: grid, warming: false };
  return { grid, raw: await renderSampleGrid(p, gridNoise, true), warming: p.ema.warming(steps) };
}

/** The generator as a standard LayersModel; with EMA on, the EMA weights (copied first, so training may go on meanwhile). */
export async function exportSessionGenerator(p: SessionParts): Promise<ExportedModel> {
  const stage = p.g.stage;
  if (stage !== null && (stage.size !== p.data.size || stage.alpha < 1)) {
    throw new Error(
      `this checkpoint's generator draws ${stage.size} × ${stage.size}${stage.alpha < 1 ? ` while that side fades in (α ${stage.alpha.toFixed(3)})` : ''}, not the full ${p.data.size} × ${p.data.size}: export a checkpoint of the last phase, after its fade`,
    );
  }
  const opts = { model: p.config.model, shape: p.shape };
  const ema = p.ema;
  if (ema === null || !ema.ready) return exportGenerator(p.g, opts);
  const copy = (m: ReadonlyMap<string, tf.Variable>) => new Map([...m].map(([k, v]) => [k, tf.variable(v, false)] as const));
  const { trainable, state } = ema.withEma(() => ({ trainable: copy(p.g.trainable), state: copy(p.g.state) }));
  const dispose = (): void => tf.dispose([...trainable.values(), ...state.values()]);
  const frozen: Generator = {
    trainable,
    state,
    stage: null,
    dispose,
    apply: () => {
      throw new Error('the exported EMA copy is not a runnable generator');
    },
  };
  try {
    return await exportGenerator(frozen, opts);
  } finally {
    dispose();
  }
}
