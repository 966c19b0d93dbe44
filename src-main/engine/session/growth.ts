/** Progressive growing in the session: the stage each step trains at, its batch and learning rates, and the real batch brought to its side. */
import * as tf from '@tensorflow/tfjs';
import { stageAt, type Phase, type StageAt } from '../../common/progressive';
import { fade } from '../nets/dcgan';
import { downsample2, upsample2 } from '../nets/resample';
import type { SessionParts } from './parts';

/** The stage of the step after `step` updates (null for a run that does not grow); G and D are set to it. */
export function enterStage(p: Pick<SessionParts, 'g' | 'd' | 'phases'>, step: number): StageAt | null {
  const stage = p.phases === null ? null : stageAt(p.phases, step);
  const set = stage === null ? null : { size: stage.size, alpha: stage.alpha };
  p.g.stage = set;
  p.d.stage = set;
  return stage;
}

/** The batch size and base learning rates of the phase a step is in (the config's for a fixed run). */
export function phaseSettings(p: Pick<SessionParts, 'config' | 'phases'>, step: number): Pick<Phase, 'batchSize' | 'lrG' | 'lrD'> {
  if (p.phases === null) return { batchSize: p.config.batchSize, lrG: p.config.optimizerG.lr, lrD: p.config.optimizerD.lr };
  return stageAt(p.phases, step).phase;
}

/**
 * Reals as D sees them at a stage: average-pooled to its side, and while a block fades in, blended
 * with the side below upsampled, by the same α as G's output (ProGAN). Full-size reals pass unchanged.
 */
export function realsAtStage(x: tf.Tensor4D, stage: { size: number; alpha: number } | null): tf.Tensor4D {
  const full = x.shape[1];
  if (stage === null || (stage.size === full && stage.alpha >= 1)) return x;
  return tf.tidy(() => {
    const factor = full / stage.size;
    const atSide = factor === 1 ? x : tf.avgPool(x, factor, factor, 'valid');
    return stage.alpha >= 1 ? atSide : fade(upsample2(downsample2(atSide)), atSide, stage.alpha);
  });
}

/** Images of a smaller side brought to the full one, nearest-neighbour, so grids and scores of an early phase show what G draws, upscaled. */
export function toFullSize(images: tf.Tensor4D, size: number): tf.Tensor4D {
  return images.shape[1] === size ? images : tf.image.resizeNearestNeighbor(images, [size, size]);
}
