/**
 * Quality of a set of images against real ones (issue 12) on a feature network: uint8 images
 * embedded a chunk at a time, then FD, KID, precision/recall and the memorization check on the rows.
 */
import * as tf from '@tensorflow/tfjs';
import { KID_SUBSETS, kidSubsetSize } from '../../common/quality';
import {
  featureSet,
  frechetDistance,
  kernelInceptionDistance,
  memorizationCheck,
  precisionRecall,
  type FeatureSet,
  type KidResult,
  type MemorizationReport,
  type NearestNeighbours,
  type PrecisionRecall,
} from './distances';
import type { DomainFeatureNet } from './feature-nets/domain-classifier';
import type { FeatureNet } from './feature-nets/feature-net';

/** Images per tensor handed to the network: bounds the float copy (50 MB at 256 × 256 × 3) whatever N is. */
export const EMBED_CHUNK = 64;

/** Hands `count` HWC uint8 images back to back to `use` EMBED_CHUNK at a time, read as the generator's [-1, 1] (x / 127.5 − 1). */
async function forEachBatch(pixels: Uint8Array, count: number, size: number, channels: 1 | 3, use: (batch: tf.Tensor4D, start: number) => Promise<void>): Promise<void> {
  const per = size * size * channels;
  if (pixels.length !== count * per) throw new Error(`${count} images of ${size}×${size}×${channels} need ${count * per} bytes, got ${pixels.length}`);
  for (let start = 0; start < count; start += EMBED_CHUNK) {
    const m = Math.min(EMBED_CHUNK, count - start);
    const values = new Float32Array(m * per);
    const from = start * per;
    for (let i = 0; i < values.length; i++) values[i] = pixels[from + i]! / 127.5 - 1;
    const batch = tf.tensor4d(values, [m, size, size, channels]);
    try {
      await use(batch, start);
    } finally {
      batch.dispose();
    }
  }
}

/** Feature rows of `count` HWC uint8 images back to back, read as the generator's [-1, 1]. */
export async function embedPixels(net: FeatureNet, pixels: Uint8Array, count: number, size: number, channels: 1 | 3): Promise<Float32Array> {
  const rows = new Float32Array(count * net.dims);
  await forEachBatch(pixels, count, size, channels, async (batch, start) => rows.set(await net.embed(batch), start * net.dims));
  return rows;
}

/** The in-domain classifier's feature rows and class probabilities of the same images. */
export async function classifyPixels(
  net: DomainFeatureNet,
  pixels: Uint8Array,
  count: number,
  size: number,
  channels: 1 | 3,
): Promise<{ features: Float32Array; probabilities: Float32Array }> {
  const features = new Float32Array(count * net.dims);
  const probabilities = new Float32Array(count * net.classes);
  await forEachBatch(pixels, count, size, channels, async (batch, start) => {
    const out = await net.embedAndClassify(batch);
    features.set(out.features, start * net.dims);
    probabilities.set(out.probabilities, start * net.classes);
  });
  return { features, probabilities };
}

export interface DistanceValues {
  fd: number;
  kid: Omit<KidResult, 'values'>;
  precisionRecall: PrecisionRecall;
  seconds: { fd: number; kid: number; precisionRecall: number };
}

const timed = <T>(fn: () => T): [T, number] => {
  const t0 = performance.now();
  const value = fn();
  return [value, (performance.now() - t0) / 1000];
};

/** FD, KID (KID_SUBSETS pairs of subsets of kidSubsetSize images, drawn with `seed`), precision, recall and coverage of `generated` against `real`. */
export function measureDistances(real: FeatureSet, generated: FeatureSet, seed: number): DistanceValues {
  const [fd, fdSeconds] = timed(() => frechetDistance(real, generated));
  const [kid, kidSeconds] = timed(() =>
    kernelInceptionDistance(real, generated, { subsets: KID_SUBSETS, subsetSize: kidSubsetSize(real.rows, generated.rows), seed }),
  );
  const [pr, prSeconds] = timed(() => precisionRecall(real, generated));
  const { values: _values, ...kidSummary } = kid;
  return { fd, kid: kidSummary, precisionRecall: pr, seconds: { fd: fdSeconds, kid: kidSeconds, precisionRecall: prSeconds } };
}

export interface QualityValues {
  fd: number;
  kid: Omit<KidResult, 'values'>;
  precisionRecall: PrecisionRecall;
  memorization: Omit<MemorizationReport, 'nearest'>;
  /** Each generated row's nearest real row: the memorization check's pairs, for a picture of the closest. */
  nearest: NearestNeighbours;
  seconds: { fd: number; kid: number; precisionRecall: number; memorization: number };
}

/**
 * Every measure of `generated` against `real`; the memorization check searches `real` (training
 * images) for each generated image's nearest, against `heldOut` (real images that are not in `real`).
 */
export function measureQuality(real: FeatureSet, generated: FeatureSet, heldOut: FeatureSet, seed: number): QualityValues {
  const distances = measureDistances(real, generated, seed);
  const [memo, memoSeconds] = timed(() => memorizationCheck(generated, real, heldOut));
  const { nearest, ...memoSummary } = memo;
  return { ...distances, memorization: memoSummary, nearest, seconds: { ...distances.seconds, memorization: memoSeconds } };
}

/** Feature rows gathered chunk by chunk into one set. */
export class FeatureRows {
  private readonly chunks: Float32Array[] = [];
  private count = 0;

  constructor(readonly dims: number) {}

  get rows(): number {
    return this.count;
  }

  add(rows: Float32Array): void {
    if (rows.length % this.dims !== 0) throw new Error(`feature rows of width ${this.dims} cannot hold ${rows.length} values`);
    this.chunks.push(rows);
    this.count += rows.length / this.dims;
  }

  toSet(): FeatureSet {
    const data = new Float32Array(this.count * this.dims);
    let offset = 0;
    for (const chunk of this.chunks) {
      data.set(chunk, offset);
      offset += chunk.length;
    }
    return featureSet(this.count, this.dims, data);
  }
}
