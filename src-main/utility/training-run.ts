/** Starts a training job in the trainer process: the packed dataset's training part as arrays, the run folder as the loop's storage (keeping what awaits evaluation), the thread count from --threads or the config. */
import type { StartTraining } from '../common/trainer-protocol';
import { readPackedDataset, trainingPart } from '../core/datasets/packed-format';
import type { TrainingLoop } from '../engine/loop/training-loop';
import { trainingThreads } from './compute-threads';
import { EvaluationLedger } from './evaluation-ledger';
import { FileRunStorage } from './file-run-storage';

/** `evaluations`: the run's evaluations as the host reports them (filled from job.evaluations, then by its `evaluated` messages). */
export async function runTraining(loop: TrainingLoop, job: StartTraining, evaluations = new EvaluationLedger(job.config, job.evaluations)): Promise<void> {
  const dataset = await readPackedDataset(job.datasetDir);
  const { manifest } = dataset;
  // The held-out split is the memorization check's yardstick: training never sees it.
  const data = { ...trainingPart(dataset), size: manifest.size, channels: manifest.channels, numClasses: manifest.classes.length };
  const storage = new FileRunStorage(job.runDir, evaluations);
  await loop.run({ runId: job.runId, config: job.config, backend: job.backend, adapter: job.adapter, threads: trainingThreads(job.config.compute) }, data, storage);
}
