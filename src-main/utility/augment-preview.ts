/** The augmentation-preview job of the warm trainer worker: read a few packed images and augment them with the engine's own code, exactly as training does. */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { AugmentPreviewJob, AugmentPreviewPixels, TrainerToHost } from '../common/trainer-protocol';
import { IMAGES_FILE, imageBytes, readManifest } from '../core/datasets/packed-format';
import { applyDiffAugment } from '../engine/augment/diff-augment';
import { augmentReals } from '../engine/augment/real-batch';
import { resolveBackend } from '../engine/backends/resolve-backend';
import { Rng } from '../common/rng';
import { STREAM_IDS } from '../engine/session/streams';


export interface PreviewImages {
  size: number;
  channels: 1 | 3;
  /** n images, HWC uint8, back to back. */
  pixels: Uint8Array;
}

/**
 * Augments `variants` copies of each image as the D step augments a real batch (augmentReals), with
 * DiffAugment's probability `diffAugmentP`. Same
 * images, settings and seed give the same bytes. Returns the variants, image-major.
 */
export async function augmentPreviewPixels(
  images: PreviewImages,
  job: Pick<AugmentPreviewJob, 'augment' | 'seed' | 'variants' | 'diffAugmentP'>,
): Promise<Uint8Array> {
  const { size, channels, pixels } = images;
  const n = pixels.length / (size * size * channels);
  // The trainer's own streams: with the run's seed, the first preview draws what its first D step draws.
  const streams = { augment: new Rng(job.seed, STREAM_IDS.augment), diffAugment: new Rng(job.seed, STREAM_IDS.diffAugment) };
  const repeat = Array.from({ length: n * job.variants }, (_, i) => Math.floor(i / job.variants));
  const batch = tf.tidy(() => {
    const x = tf.sub(tf.div(tf.tensor4d(Float32Array.from(pixels), [n, size, size, channels]), 127.5), 1) as tf.Tensor4D;
    return tf.gather(x, tf.tensor1d(repeat, 'int32')) as tf.Tensor4D;
  });
  const { images: augmented, diff } = augmentReals(batch, job.augment, job.diffAugmentP, streams);
  const final = diff === null ? augmented : applyDiffAugment(augmented, diff);
  // Round to the nearest byte: the identity map gives back the original bytes exactly.
  const scaled = tf.tidy(() => tf.clipByValue(tf.round(tf.mul(tf.add(final, 1), 127.5)), 0, 255));
  try {
    return Uint8Array.from(await scaled.data());
  } finally {
    tf.dispose([batch, augmented, final, scaled]);
  }
}

interface DatasetShape {
  size: number;
  channels: 1 | 3;
  count: number;
}

/** Reads images by index and augments them; keeps the backend and each dataset's shape between requests. */
export class AugmentPreviewWorker {
  private backend: Promise<unknown> | null = null;
  /** Datasets never change once imported (ids are not reused), so their shape can be kept. */
  private readonly shapes = new Map<string, DatasetShape>();
  private queue: Promise<void> = Promise.resolve();

  /** Answers jobs one at a time, in the order they came, so the host can match answers to requests. */
  enqueue(job: AugmentPreviewJob, send: (m: TrainerToHost) => void): void {
    this.queue = this.queue.then(() =>
      this.run(job).then(
        (preview) => send({ type: 'augmentPreviewResult', requestId: job.requestId, ok: true, preview }),
        (e: unknown) => send({ type: 'augmentPreviewResult', requestId: job.requestId, ok: false, error: e instanceof Error ? e.message : String(e) }),
      ),
    );
  }

  private async shapeOf(datasetDir: string): Promise<DatasetShape> {
    let shape = this.shapes.get(datasetDir);
    if (!shape) {
      const m = await readManifest(datasetDir);
      shape = { size: m.size, channels: m.channels, count: m.count };
      this.shapes.set(datasetDir, shape);
    }
    return shape;
  }

  async readImages(datasetDir: string, indices: readonly number[]): Promise<PreviewImages> {
    const shape = await this.shapeOf(datasetDir);
    const bytes = imageBytes(shape);
    const bad = indices.find((i) => !Number.isInteger(i) || i < 0 || i >= shape.count);
    if (bad !== undefined) throw new Error(`image ${bad} is outside the dataset (it holds ${shape.count} images)`);
    const pixels = new Uint8Array(indices.length * bytes);
    const handle = await open(join(datasetDir, IMAGES_FILE), 'r');
    try {
      for (const [k, index] of indices.entries()) {
        const { bytesRead } = await handle.read(pixels, k * bytes, bytes, index * bytes);
        if (bytesRead !== bytes) throw new Error(`${IMAGES_FILE} is shorter than its manifest says; import the dataset again`);
      }
    } finally {
      await handle.close();
    }
    return { size: shape.size, channels: shape.channels, pixels };
  }

  async run(job: AugmentPreviewJob): Promise<AugmentPreviewPixels> {
    const started = performance.now();
    // Resolved once: the first request pays for loading the backend, later ones do not.
    this.backend ??= resolveBackend(job.backend, { adapter: job.adapter }).catch((e: unknown) => {
      this.backend = null;
      throw e;
    });
    await this.backend;
    const images = await this.readImages(job.datasetDir, job.indices);
    const variants = await augmentPreviewPixels(images, job);
    return { size: images.size, channels: images.channels, originals: images.pixels, variants, millis: performance.now() - started };
  }
}
