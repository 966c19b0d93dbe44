/** Try it in the trainer process: one checkpoint of a translation run loaded, the image made into the translator's input as training made them (upscaled, grey or holed), translated whole or in blended tiles. */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../common/rng';
import type { TranslatedPixels, TranslateImage } from '../common/trainer-protocol';
import { heldOutPart, readPackedDataset, trainingPart, type PackedDataset } from '../core/datasets/packed-format';
import { resolveBackend } from '../engine/backends/resolve-backend';
import type { TrainingData } from '../engine/batch-sampler';
import { imageBytes } from '../engine/sample-grid';
import { degrade, upscaleBicubic } from '../engine/translate/degradations';
import { translateTiled } from '../engine/translate/tiles';
import { degradationOf, VALIDATION_STREAM } from '../engine/translate/translation-parts';
import { TranslationSession } from '../engine/translate/translation-session';
import { firstImages } from '../engine/run-session';
import { readCheckpoint } from './checkpoint-files';

function asData(d: PackedDataset, part: { images: Uint8Array; labels: Uint8Array; count: number }): TrainingData {
  return { ...part, size: d.manifest.size, channels: d.manifest.channels, numClasses: d.manifest.classes.length };
}

/** A session for inference: the nets from the datasets' shapes, a few images standing in for the validation it never runs. */
export async function translationSession(job: Pick<TranslateImage, 'config' | 'datasetDir' | 'datasetBDir' | 'checkpointDir'>): Promise<TranslationSession> {
  const a = await readPackedDataset(job.datasetDir);
  const dataA = asData(a, trainingPart(a));
  const b = job.datasetBDir === undefined ? null : await readPackedDataset(job.datasetBDir);
  const dataB = b === null ? null : asData(b, trainingPart(b));
  const validation = (d: PackedDataset, data: TrainingData) => (d.manifest.heldOut.length > 0 ? asData(d, heldOutPart(d)) : firstImages(data, 64));
  const session = new TranslationSession({
    config: job.config,
    data: { a: dataA, b: dataB, validationA: validation(a, dataA), validationB: b === null || dataB === null ? null : validation(b, dataB), heldOut: false },
  });
  try {
    await session.importState(await readCheckpoint(job.checkpointDir));
    return session;
  } catch (error) {
    session.dispose();
    throw error;
  }
}

/** The translator's input for a person's image ([1, H, W, C] in [-1, 1]): upscaled ×scale (super-resolution), grey (colorization), holed with the validation masks (inpainting), or itself. */
export function inputOf(job: Pick<TranslateImage, 'config' | 'direction'>, image: tf.Tensor4D): tf.Tensor4D {
  const task = job.config.task;
  if (task.kind !== 'paired' || job.direction === 'ba') return tf.clone(image);
  const degradation = degradationOf(task);
  if (degradation === null) return tf.clone(image);
  if (degradation.kind === 'superres') return upscaleBicubic(image, degradation.scale);
  return degrade(degradation, image, new Rng(job.config.seed, VALIDATION_STREAM));
}

export async function runTranslateJob(job: TranslateImage): Promise<TranslatedPixels> {
  await resolveBackend(job.backend, { adapter: job.adapter });
  const session = await translationSession(job);
  try {
    const size = session.config.task.kind === 'generate' ? 0 : (await readPackedDataset(job.datasetDir)).manifest.size;
    const channels = (job.image.pixels.length / (job.image.width * job.image.height)) as 1 | 3;
    const input = tf.tidy(() => {
      const x = tf.sub(tf.div(tf.tensor4d(Float32Array.from(job.image.pixels), [1, job.image.height, job.image.width, channels]), 127.5), 1) as tf.Tensor4D;
      return inputOf(job, x);
    });
    const [, height, width, inChannels] = input.shape;
    const inputs = Float32Array.from(input.dataSync());
    input.dispose();
    const run = (images: Float32Array, count: number) => session.translate(images, count, job.direction);
    const output = width === size && height === size ? await run(inputs, 1) : await translateTiled(run, inputs, width, height, inChannels, channels, size);
    // The input as shown: a grey input in the output's channels, a holed one without its mask channel.
    const shown = new Float32Array(width * height * channels);
    for (let i = 0; i < width * height; i++) for (let c = 0; c < channels; c++) shown[i * channels + c] = inputs[i * inChannels + (inChannels === 1 ? 0 : c)] ?? 0;
    return { width, height, channels, input: imageBytes(shown, shown.length), output: imageBytes(output, output.length) };
  } finally {
    session.dispose();
  }
}
