/** Starts a training job in the trainer process: the packed dataset as arrays, the run folder as the loop's storage, the thread count from --threads or the config. */
import type { StartTraining } from '../common/trainer-protocol';
import { readPackedDataset } from '../core/datasets/packed-format';
import type { TrainingLoop } from '../engine/loop/training-loop';
import { trainingThreads } from './compute-threads';
import { FileRunStorage } from './file-run-storage';

export async function runTraining(loop: TrainingLoop, job: StartTraining): Promise<void> {
  const { manifest, images, labels } = await readPackedDataset(job.datasetDir);
  const data = { images, labels, count: manifest.count, size: manifest.size, channels: manifest.channels, numClasses: manifest.classes.length };
  const storage = new FileRunStorage(job.runDir, job.config.bestMetric);
  await loop.run({ runId: job.runId, config: job.config, backend: job.backend, adapter: job.adapter, threads: trainingThreads(job.config.compute) }, data, storage);
}
