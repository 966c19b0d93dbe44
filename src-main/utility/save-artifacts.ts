/** Writes LayersModel artifacts in the standard tfjs folder layout: model.json plus one weights.bin shard. */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

/**
 * The same model.json tf.io.browserDownloads or tfjs-node's file:// writes, so tf.loadLayersModel
 * (or the Python tensorflowjs converter) reads it. Weights first and each file written whole then
 * renamed, so a reader never finds a model.json pointing at missing or partial weights.
 */
export async function saveArtifacts(artifacts: tf.io.ModelArtifacts, dir: string): Promise<void> {
  if (artifacts.modelTopology === undefined) throw new Error('artifacts have no model topology');
  await mkdir(dir, { recursive: true });
  const weights = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
  const modelJson: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
    ...(artifacts.userDefinedMetadata === undefined ? {} : { userDefinedMetadata: artifacts.userDefinedMetadata }),
  };
  await writeWhole(path.join(dir, WEIGHTS_FILE), new Uint8Array(weights));
  await writeWhole(path.join(dir, MODEL_FILE), JSON.stringify(modelJson));
}

async function writeWhole(file: string, data: Uint8Array | string): Promise<void> {
  const temp = `${file}.partial`;
  await writeFile(temp, data);
  await rename(temp, file);
}
