/** The Grow job: the grown run's networks built fresh, the parent checkpoint's weights carried into them, written as the grown run's checkpoint at step 0. */
import type { GrowNetworks, GrownNetworks } from '../common/trainer-protocol';
import { readManifest } from '../core/datasets/packed-format';
import { resolveBackend } from '../engine/backends/resolve-backend';
import { transplant } from '../engine/grow/transplant';
import { TrainingSession } from '../engine/training-session';
import { readCheckpoint, writeCheckpoint } from './checkpoint-files';

export async function runGrowJob(job: GrowNetworks): Promise<GrownNetworks> {
  await resolveBackend(job.backend, { adapter: job.adapter });
  const parentState = await readCheckpoint(job.parentCheckpointDir);
  const manifest = await readManifest(job.datasetDir);
  const { size, channels } = manifest;
  // Only the shape of the data matters for building the networks.
  const session = new TrainingSession({
    config: job.config,
    data: { images: new Uint8Array(size * size * channels), labels: new Uint8Array(1), count: 1, size, channels, numClasses: manifest.classes.length },
  });
  try {
    const result = transplant(parentState, { config: job.parentConfig, size: job.parentSize }, { config: job.config, size }, { generator: session.generator, discriminator: session.discriminator });
    // Fresh optimizers, streams from the seed, and an EMA (when on) that starts from the carried weights.
    writeCheckpoint(job.checkpointsDir, 0, await session.exportState());
    return result;
  } finally {
    session.dispose();
  }
}
