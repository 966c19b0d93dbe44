/** Which techniques a config turns on, decided once per session so the steps branch on plain flags. */
import { LOSS_FAMILIES } from '../../common/loss-families';
import { batchLevelD } from '../../common/net-plan';
import type { TrainingConfig } from '../../common/training-config';
import type { DiffAugmentPolicy } from '../augment/diff-augment';
import { hasClassicAugment } from '../augment/real-batch';

export interface Techniques {
  /** A cross-entropy loss (common/loss-families.ts): label-smoothing targets apply. */
  bce: boolean;
  /** WGAN-GP with λ > 0: the gradient penalty. */
  gp: boolean;
  /** R1 with γ > 0. */
  r1: boolean;
  /** WGAN: clip every critic weight after its update. */
  clip: boolean;
  /** G takes class labels (cbn or embedding). */
  condG: boolean;
  /** D takes class labels (projection or acgan). */
  condD: boolean;
  /** Either net is conditional: real labels come with the batch, fake labels are drawn. */
  conditional: boolean;
  /** ACGAN's classification terms (D has the auxiliary classifier and its weight is > 0). */
  acgan: boolean;
  /** Feature matching in G's loss. */
  fm: boolean;
  /** Historical-average penalties (weight > 0) on D and on G. */
  haD: boolean;
  haG: boolean;
  /** G's update runs D with the average of its past parameters. */
  averagedDForG: boolean;
  /** D keeps a running parameter average (penalty or averaged D for G). */
  averageD: boolean;
  /** Classic augmentation of reals: at least one op would change an image. */
  classicAugment: boolean;
  /** DiffAugment policies ([] = off). */
  diffAugment: DiffAugmentPolicy[];
  ada: boolean;
  instanceNoise: boolean;
  ema: boolean;
  /**
   * Reals and fakes go through D in separate calls: batch norm and minibatch features describe
   * the whole batch they see, so one call on the concatenation would mix the two. Otherwise one
   * call on the concatenated batch is the same per sample and costs one pass instead of two.
   */
  separateD: boolean;
}

export function techniquesOf(config: TrainingConfig): Techniques {
  const { model, loss, stabilizers: s, augment } = config;
  const condG = model.gConditioning !== 'none';
  const condD = model.dConditioning !== 'none';
  const ha = s.historicalAveraging;
  return {
    bce: LOSS_FAMILIES[loss.type].labelSmoothing,
    gp: LOSS_FAMILIES[loss.type].lipschitz === 'gradient-penalty' && loss.gpWeight > 0,
    r1: loss.r1Gamma > 0,
    clip: LOSS_FAMILIES[loss.type].lipschitz === 'clip',
    condG,
    condD,
    conditional: condG || condD,
    acgan: model.dConditioning === 'acgan' && model.acganWeight > 0,
    fm: s.featureMatching.enabled,
    haD: ha.dWeight > 0,
    haG: ha.gWeight > 0,
    averagedDForG: ha.averagedDForG,
    averageD: ha.dWeight > 0 || ha.averagedDForG,
    classicAugment: hasClassicAugment(augment),
    diffAugment: [...augment.diffAugment],
    ada: augment.ada.enabled && augment.diffAugment.length > 0,
    instanceNoise: s.instanceNoise.std > 0,
    ema: s.ema.enabled,
    separateD: batchLevelD(model),
  };
}
