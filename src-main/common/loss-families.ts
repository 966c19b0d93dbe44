/** The adversarial losses and what each implies, in one table: the config's rules, the engine's techniques and the diagnostics all read it. */

/** The values of `loss.type`, in the order the config editor lists them. */
export const LOSS_TYPES = ['minimax', 'non-saturating', 'wgan', 'wgan-gp', 'hinge', 'lsgan'] as const;
export type LossType = (typeof LOSS_TYPES)[number];

/**
 * - probability: D outputs the logit of "real" and the loss is a cross-entropy (Goodfellow et al. 2014).
 * - critic: D is a Wasserstein critic, an unbounded score kept Lipschitz (Arjovsky et al. 2017).
 * - margin: D's scores are pushed past ±1 (hinge; Lim & Ye 2017).
 * - least-squares: D's scores regress to the targets 1 and 0 (LSGAN; Mao et al. 2017).
 */
export type LossFamily = 'probability' | 'critic' | 'margin' | 'least-squares';

export interface LossFacts {
  family: LossFamily;
  /** Soft targets only mean something for a cross-entropy: the other losses take the hard 1 and 0. */
  labelSmoothing: boolean;
  /** How the critic is kept Lipschitz: weight clipping (WGAN) or the gradient penalty (WGAN-GP). */
  lipschitz: 'none' | 'clip' | 'gradient-penalty';
  /**
   * How the mean raw D outputs (d_real, d_fake) read when D is sure: as logits of probabilities
   * (σ beyond 0.9 / 0.1), as scores against the targets 1 / 0, or as margins (D(x) > 1, D(G(z)) < −1).
   * A Wasserstein critic's values have no such scale ('none').
   */
  dOutputs: 'logit' | 'target' | 'margin' | 'none';
  /** Its D loss is bounded below by 0 and near 0 only when D separates real and fake with confidence. */
  dLossFloorIsZero: boolean;
}

export const LOSS_FAMILIES: Readonly<Record<LossType, LossFacts>> = {
  minimax: { family: 'probability', labelSmoothing: true, lipschitz: 'none', dOutputs: 'logit', dLossFloorIsZero: true },
  'non-saturating': { family: 'probability', labelSmoothing: true, lipschitz: 'none', dOutputs: 'logit', dLossFloorIsZero: true },
  wgan: { family: 'critic', labelSmoothing: false, lipschitz: 'clip', dOutputs: 'none', dLossFloorIsZero: false },
  'wgan-gp': { family: 'critic', labelSmoothing: false, lipschitz: 'gradient-penalty', dOutputs: 'none', dLossFloorIsZero: false },
  // Hinge's D loss is exactly 0 once both margins are met; the diagnostics judge the margins themselves.
  hinge: { family: 'margin', labelSmoothing: false, lipschitz: 'none', dOutputs: 'margin', dLossFloorIsZero: false },
  lsgan: { family: 'least-squares', labelSmoothing: false, lipschitz: 'none', dOutputs: 'target', dLossFloorIsZero: true },
};

/** The facts of a loss named in stored data, which may predate or outlive a loss type; undefined when unknown. */
export function lossFacts(type: string): LossFacts | undefined {
  return (LOSS_TYPES as readonly string[]).includes(type) ? LOSS_FAMILIES[type as LossType] : undefined;
}

/** The losses that take label smoothing, for messages: "minimax or non-saturating". */
export function labelSmoothingLosses(): string {
  return LOSS_TYPES.filter((t) => LOSS_FAMILIES[t].labelSmoothing).join(' or ');
}
