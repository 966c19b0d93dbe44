/** Draws real training batches from the packed uint8 dataset with a seeded RNG, scaled to [-1, 1]. */
import type { Rng } from './rng';

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
 * Sampling with replacement: every batch is a pure function of the RNG state, so resuming from a
 * checkpoint needs only that state, not an epoch permutation.
 */
export function sampleRealBatch(data: TrainingData, batchSize: number, rng: Rng): Float32Array {
  const pixels = data.size * data.size * data.channels;
  const out = new Float32Array(batchSize * pixels);
  for (let b = 0; b < batchSize; b++) {
    const index = rng.nextInt(data.count);
    const src = data.images.subarray(index * pixels, (index + 1) * pixels);
    const base = b * pixels;
    for (let i = 0; i < pixels; i++) out[base + i] = (src[i] ?? 0) / 127.5 - 1;
  }
  return out;
}
