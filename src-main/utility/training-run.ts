/** Starts a training job in the trainer process: the packed dataset's training part as arrays, the run folder as the loop's storage (keeping what awaits evaluation), the thread count from --threads or the config. */
import type { StartTraining } from '../common/trainer-protocol';
import { heldOutPart, readPackedDataset, trainingPart, type PackedDataset } from '../core/datasets/packed-format';
import type { TrainingData } from '../engine/batch-sampler';
import type { FrozenClassifier } from '../engine/objectives/perceptual';
import type { TrainingLoop } from '../engine/loop/training-loop';
import { firstImages, type TranslationExtras } from '../engine/run-session';
import { readFrozenClassifier } from './classifier-job';
import { trainingThreads } from './compute-threads';
import { EvaluationLedger } from './evaluation-ledger';
import { FileRunStorage } from './file-run-storage';

/** `evaluations`: the run's evaluations as the host reports them (filled from job.evaluations, then by its `evaluated` messages). */
export async function runTraining(loop: TrainingLoop, job: StartTraining, evaluations = new EvaluationLedger(job.config, job.evaluations)): Promise<void> {
  const dataset = await readPackedDataset(job.datasetDir);
  // The held-out split is the memorization check's yardstick: training never sees it.
  const data = asTrainingData(dataset, trainingPart(dataset));
  const extras = job.config.task.kind === 'generate' ? null : await translationExtras(job, dataset, data);
  const storage = new FileRunStorage(job.runDir, evaluations);
  await loop.run({ runId: job.runId, config: job.config, backend: job.backend, adapter: job.adapter, threads: trainingThreads(job.config.compute) }, data, storage, extras);
}

function asTrainingData(dataset: PackedDataset, part: { images: Uint8Array; labels: Uint8Array; count: number }): TrainingData {
  const { manifest } = dataset;
  return { ...part, size: manifest.size, channels: manifest.channels, numClasses: manifest.classes.length };
}

/** Validation images a translation run never trains on: the held-out split when the dataset has one, else its first training images (measured on seen images, said in the metric's description). */
function validationOf(dataset: PackedDataset, training: TrainingData): TrainingData {
  return dataset.manifest.heldOut.length > 0 ? asTrainingData(dataset, heldOutPart(dataset)) : firstImages(training, 64);
}

async function translationExtras(job: StartTraining, a: PackedDataset, dataA: TrainingData): Promise<TranslationExtras> {
  const heldOut = a.manifest.heldOut.length > 0;
  const perceptual = await perceptualClassifier(job);
  if (job.datasetBDir === undefined) return { b: null, validationA: validationOf(a, dataA), validationB: null, heldOut, perceptual };
  const b = await readPackedDataset(job.datasetBDir);
  const dataB = asTrainingData(b, trainingPart(b));
  return { b: dataB, validationA: validationOf(a, dataA), validationB: validationOf(b, dataB), heldOut: heldOut && b.manifest.heldOut.length > 0, perceptual };
}

/** The perceptual loss's classifier, when the run has one; a folder that cannot be read fails the run with the reason. */
async function perceptualClassifier(job: StartTraining): Promise<FrozenClassifier | null> {
  const task = job.config.task;
  if (task.kind !== 'paired' || task.perceptualWeight === 0) return null;
  if (job.classifierDir === undefined) throw new Error("task.perceptualWeight > 0 needs the in-domain classifier of the targets' dataset, and the trainer was given none");
  try {
    return await readFrozenClassifier(job.classifierDir);
  } catch (error) {
    throw new Error(`could not read the perceptual loss's classifier in ${job.classifierDir}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
