/** The Grow job: the grown run's networks built fresh, the parent checkpoint's weights carried into them, written as the grown run's checkpoint at step 0. */
import type { GrowNetworks, GrownNetworks } from '../common/trainer-protocol';
import { readManifest } from '../core/datasets/packed-format';
import { resolveBackend } from '../engine/backends/resolve-backend';
import { transplant } from '../engine/grow/transplant';
import { readCheckpoint, writeCheckpoint } from './checkpoint-files';
import { datasetShapedSession } from './dataset-shaped-session';

export async function runGrowJob(job: GrowNetworks): Promise<GrownNetworks> {
  await resolveBackend(job.backend, { adapter: job.adapter });
  const parentState = await readCheckpoint(job.parentCheckpointDir);
  const manifest = await readManifest(job.datasetDir);
  const session = datasetShapedSession(job.config, manifest);
  try {
    const result = transplant(parentState, { config: job.parentConfig, size: job.parentSize }, { config: job.config, size: manifest.size }, { generator: session.generator, discriminator: session.discriminator });
    // Fresh optimizers, streams from the seed, and an EMA (when on) that starts from the carried weights.
    writeCheckpoint(job.checkpointsDir, 0, await session.exportState());
    return result;
  } finally {
    session.dispose();
  }
}
