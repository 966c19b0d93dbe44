/** A TrainingSession built for a dataset's image shape and classes alone: what jobs that load a checkpoint (export, evaluate, Grow) need, since they never draw a batch. */
import type { TrainingConfig } from '../common/training-config';
import type { Manifest } from '../core/datasets/packed-format';
import { TrainingSession } from '../engine/training-session';

/** One blank image stands in for the data: the networks depend only on its size, channels and classes. */
export function datasetShapedSession(config: TrainingConfig, manifest: Manifest): TrainingSession {
  const { size, channels } = manifest;
  return new TrainingSession({
    config,
    data: { images: new Uint8Array(size * size * channels), labels: new Uint8Array(1), count: 1, size, channels, numClasses: manifest.classes.length },
  });
}
