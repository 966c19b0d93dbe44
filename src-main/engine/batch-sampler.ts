/** Draws real training batches (images scaled to [-1, 1], with their class labels) from the packed uint8 dataset with a seeded RNG. */
import type { Rng } from '../common/rng';

/** The dataset as the engine receives it: N images of size × size × channels, HWC, uint8. */
export interface TrainingData {
  images: Uint8Array;
  /** Class index per image (255 = none); used by conditional networks. */
  labels?: Uint8Array;
  count: number;
  size: number;
  channels: 1 | 3;
  /** Classes of the dataset (0 when it has none). */
  numClasses?: number;
}

/** The label value of an image outside every class folder. */
export const NO_LABEL = 255;

export function validateTrainingData(data: TrainingData): void {
  const { images, count, size, channels } = data;
  if (!Number.isInteger(count) || count < 1) throw new Error(`dataset needs at least one image, got count ${count}`);
  if (!Number.isInteger(size) || size < 1) throw new Error(`invalid image size ${size}`);
  if (channels !== 1 && channels !== 3) throw new Error(`channels must be 1 or 3, got ${String(channels)}`);
  const expected = count * size * size * channels;
  if (images.length < expected) {
    throw new Error(`dataset holds ${images.length} bytes but ${count} images of ${size}x${size}x${channels} need ${expected}`);
  }
}

/**
 * The images a run draws from: all of them, or for a conditional run only those with a class
 * (label < numClasses). Throws the error a user can act on when a conditional run has no classes.
 */
export function samplingPool(data: TrainingData, conditional: boolean): Int32Array | null {
  if (!conditional) return null;
  const k = data.numClasses ?? 0;
  const labels = data.labels;
  if (k < 2 || labels === undefined || labels.length < data.count) {
    throw new Error(`conditional training needs a dataset with class folders (at least 2 classes with labels); this one has ${k} classes`);
  }
  const pool: number[] = [];
  for (let i = 0; i < data.count; i++) if ((labels[i] ?? NO_LABEL) < k) pool.push(i);
  if (pool.length === 0) throw new Error('conditional training needs a dataset with class folders: no image of this dataset has a class');
  return Int32Array.from(pool);
}

export interface RealBatch {
  /** [n, size, size, channels] in [-1, 1]. */
  pixels: Float32Array;
  /** Class per image when drawn from a pool (conditional runs), else null. */
  labels: Int32Array | null;
}

/**
 * Sampling with replacement: every batch is a pure function of the RNG state (one nextInt per
 * image), so resuming from a checkpoint needs only that state, not an epoch permutation.
 * `pool` (from samplingPool) restricts the draw to labelled images and returns their labels.
 */
export function sampleRealBatch(data: TrainingData, batchSize: number, rng: Rng, pool: Int32Array | null = null): RealBatch {
  const pixels = data.size * data.size * data.channels;
  const out = new Float32Array(batchSize * pixels);
  const labels = pool === null ? null : new Int32Array(batchSize);
  for (let b = 0; b < batchSize; b++) {
    const index = pool === null ? rng.nextInt(data.count) : (pool[rng.nextInt(pool.length)] ?? 0);
    if (labels !== null) labels[b] = data.labels?.[index] ?? 0;
    const src = data.images.subarray(index * pixels, (index + 1) * pixels);
    const base = b * pixels;
    for (let i = 0; i < pixels; i++) out[base + i] = (src[i] ?? 0) / 127.5 - 1;
  }
  return { pixels: out, labels };
}
