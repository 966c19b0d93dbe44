/**
 * The in-domain classifier's job and files (issue 12): trains it on a packed dataset's training part,
 * measures it on the held-out split, writes it whole (model.json, weights.bin, classifier.json) or not
 * at all, and loads it back as a feature network for evaluations.
 */
import { createHash } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ClassifierReport } from '../common/classifier';
import type { TrainClassifier } from '../common/trainer-protocol';
import { fsyncDir, fsyncTree, tempSibling } from '../core/durable-files';
import { CLASSIFIER_REPORT_FILE, readPackedDataset, trainingIndices } from '../core/datasets/packed-format';
import { resolveBackend } from '../engine/backends/resolve-backend';
import { buildDomainClassifier, domainFeatureNet, trainDomainClassifier, type DomainFeatureNet } from '../engine/evaluators/feature-nets/domain-classifier';
import type { FrozenClassifier } from '../engine/objectives/perceptual';
import { trainingThreads } from './compute-threads';
import { MODEL_FILE, saveArtifacts, WEIGHTS_FILE } from './save-artifacts';

export async function runClassifierJob(job: TrainClassifier): Promise<ClassifierReport> {
  const started = performance.now();
  await resolveBackend(job.backend, { adapter: job.adapter, threads: trainingThreads(null) });
  const { manifest, images, labels } = await readPackedDataset(job.datasetDir);
  const model = buildDomainClassifier({ size: manifest.size, channels: manifest.channels, classes: manifest.classes.length }, job.seed);
  try {
    const trained = await trainDomainClassifier(
      model,
      {
        images,
        labels,
        size: manifest.size,
        channels: manifest.channels,
        classes: manifest.classes.length,
        train: trainingIndices(manifest),
        heldOut: Int32Array.from(manifest.heldOut),
      },
      job.seed,
    );
    let artifacts: tf.io.ModelArtifacts | null = null;
    await model.save(tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const weights = tf.io.CompositeArrayBuffer.join(artifacts!.weightData!);
    const report: ClassifierReport = {
      // The weights themselves name the network: a retrained classifier's values never pass for the old one's.
      network: `in-domain-cnn64-${createHash('sha256').update(new Uint8Array(weights)).digest('hex').slice(0, 12)}`,
      accuracy: trained.accuracy,
      classAccuracy: trained.classAccuracy,
      heldOutImages: trained.heldOutImages,
      featureScale: trained.featureScale,
      trainImages: trained.trainImages,
      epochs: trained.epochs,
      steps: trained.steps,
      seconds: (performance.now() - started) / 1000,
      backend: tf.getBackend(),
      trainedAt: new Date().toISOString(),
    };
    await writeClassifier(job.outDir, artifacts!, report);
    return report;
  } finally {
    model.dispose();
  }
}

/** The folder appears whole: written beside it, fsynced, then renamed over any older classifier. */
async function writeClassifier(outDir: string, artifacts: tf.io.ModelArtifacts, report: ClassifierReport): Promise<void> {
  const temp = tempSibling(outDir);
  await rm(temp, { recursive: true, force: true });
  await saveArtifacts(artifacts, temp);
  await writeFile(join(temp, CLASSIFIER_REPORT_FILE), JSON.stringify(report, null, 2));
  fsyncTree(temp);
  await rm(outDir, { recursive: true, force: true });
  await rename(temp, outDir);
  fsyncDir(join(outDir, '..'));
}

/** A trained classifier as a feature network on the active backend, with its report. */
export async function loadClassifier(dir: string): Promise<{ net: DomainFeatureNet; report: ClassifierReport }> {
  const report = ClassifierReport.parse(JSON.parse(await readFile(join(dir, CLASSIFIER_REPORT_FILE), 'utf8')));
  const model = await loadClassifierModel(dir);
  return { net: domainFeatureNet(model, report.network, report.accuracy, report.featureScale), report };
}

/**
 * A trained classifier's weights as plain arrays, for the perceptual loss: decoded from its files with
 * no tensor (the trainer reads it before the run picks its backend, and wasm takes its thread count
 * only before it first starts); each session builds the network on the backend it trains on.
 */
export async function readFrozenClassifier(dir: string): Promise<FrozenClassifier> {
  const json = JSON.parse(await readFile(join(dir, MODEL_FILE), 'utf8')) as tf.io.ModelJSON;
  const bytes = await readFile(join(dir, WEIGHTS_FILE));
  const specs = json.weightsManifest.flatMap((group) => group.weights);
  let offset = 0;
  const weights = specs.map((spec) => {
    if (spec.dtype !== 'float32' || spec.quantization !== undefined) throw new Error(`weight ${spec.name} is ${spec.dtype}${spec.quantization ? ', quantized' : ''}: expected float32`);
    const count = spec.shape.reduce((a, b) => a * b, 1);
    if (offset + count * 4 > bytes.byteLength) throw new Error(`${WEIGHTS_FILE} ends before weight ${spec.name}`);
    const values = new Float32Array(count);
    new Uint8Array(values.buffer).set(bytes.subarray(offset, offset + count * 4));
    offset += count * 4;
    return { shape: [...spec.shape], values };
  });
  const input = inputShapeOf(json.modelTopology);
  const kernel = weights[0]?.shape;
  const classes = weights.at(-1)?.shape[0];
  const channels = kernel?.[2];
  if (input === null || (channels !== 1 && channels !== 3) || classes === undefined) throw new Error(`the classifier in ${dir} is not the in-domain network`);
  // Its input side is the dataset's brought down to at most 32; the session checks it against the run's images.
  return { shape: { size: input, channels, classes }, weights };
}

/** The side of the first layer's batch input shape in a Keras topology ([null, side, side, c]), or null. */
function inputShapeOf(topology: unknown): number | null {
  if (topology === null || typeof topology !== 'object') return null;
  const shape = (topology as Record<string, unknown>)['batch_input_shape'];
  if (Array.isArray(shape) && typeof shape[1] === 'number') return shape[1];
  for (const value of Object.values(topology)) {
    const found = inputShapeOf(value);
    if (found !== null) return found;
  }
  return null;
}

async function loadClassifierModel(dir: string): Promise<tf.LayersModel> {
  const json = JSON.parse(await readFile(join(dir, MODEL_FILE), 'utf8')) as tf.io.ModelJSON;
  const weights = await readFile(join(dir, WEIGHTS_FILE));
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  );
}
