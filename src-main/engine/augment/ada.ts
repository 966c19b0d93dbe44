/** Adaptive augmentation probability from StyleGAN2-ADA (Karras et al. 2020, "Training Generative Adversarial Networks with Limited Data"). */
import type { TrainingConfig } from '../../common/training-config';

export type AdaConfig = TrainingConfig['augment']['ada'];

/** Everything a resumed run needs to continue bit-exactly; plain numbers for JSON. */
export interface AdaState {
  p: number;
  /** r_t of the last update, null before the first. */
  rt: number | null;
  /** Σ sign(D(x_real)) and the count of logits since the last update. */
  signSum: number;
  signCount: number;
  /** Observed steps since the last update. */
  pendingSteps: number;
}

export function isAdaState(value: unknown): value is AdaState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  return (
    finite(v['p']) && v['p'] >= 0 && v['p'] <= 1 &&
    (v['rt'] === null || finite(v['rt'])) &&
    finite(v['signSum']) &&
    Number.isInteger(v['signCount']) && (v['signCount'] as number) >= 0 &&
    Number.isInteger(v['pendingSteps']) && (v['pendingSteps'] as number) >= 0
  );
}

/**
 * r_t = E[sign(D(x_real))] measures D's overfitting: near 1 it calls every real "real" with
 * confidence. Every `interval` D steps, p moves by sign(r_t − target)·(batchSize·interval)/speedImages,
 * so at full overfitting p climbs from 0 to 1 over `speedImages` real images, and it falls back
 * toward 0 when D stops overfitting. p starts at 0, as in the paper.
 */
export class AdaController {
  private pValue = 0;
  private lastRt: number | null = null;
  private signSum = 0;
  private signCount = 0;
  private pendingSteps = 0;

  constructor(
    private readonly cfg: AdaConfig,
    private readonly batchSize: number,
  ) {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`AdaController needs a positive batch size, got ${batchSize}`);
    if (!Number.isInteger(cfg.interval) || cfg.interval < 1) throw new Error(`ADA interval must be a positive integer, got ${cfg.interval}`);
    if (!(cfg.speedImages > 0)) throw new Error(`ADA speedImages must be positive, got ${cfg.speedImages}`);
  }

  /**
   * The probability to pass to sampleDiffAugment. With ADA disabled it is 1, plain DiffAugment
   * (every policy always fires), so the trainer can always use it.
   */
  get p(): number {
    return this.cfg.enabled ? this.pValue : 1;
  }

  /** r_t of the last update (for metrics); null before the first update or with ADA disabled. */
  get rt(): number | null {
    return this.lastRt;
  }

  /** How far p moves per update. */
  get stepSize(): number {
    return (this.batchSize * this.cfg.interval) / this.cfg.speedImages;
  }

  /**
   * Records one D step's logits on the real batch; every `interval` calls it updates p.
   * Returns whether this call updated p. NaN logits are skipped (they carry no sign). No-op when disabled.
   */
  observe(realLogits: Float32Array | readonly number[]): boolean {
    if (!this.cfg.enabled) return false;
    for (const v of realLogits) {
      if (Number.isNaN(v)) continue;
      this.signSum += Math.sign(v);
      this.signCount += 1;
    }
    this.pendingSteps += 1;
    if (this.pendingSteps < this.cfg.interval) return false;
    this.update();
    return true;
  }

  /** Computes r_t from what was observed since the last update and moves p; nothing observed leaves p alone. */
  update(): void {
    if (this.signCount > 0) {
      const rt = this.signSum / this.signCount;
      this.lastRt = rt;
      this.pValue = Math.min(1, Math.max(0, this.pValue + Math.sign(rt - this.cfg.target) * this.stepSize));
    }
    this.signSum = 0;
    this.signCount = 0;
    this.pendingSteps = 0;
  }

  exportState(): AdaState {
    return { p: this.pValue, rt: this.lastRt, signSum: this.signSum, signCount: this.signCount, pendingSteps: this.pendingSteps };
  }

  importState(state: unknown): void {
    if (!isAdaState(state)) throw new Error(`not an ADA state: ${JSON.stringify(state)}`);
    this.pValue = state.p;
    this.lastRt = state.rt;
    this.signSum = state.signSum;
    this.signCount = state.signCount;
    this.pendingSteps = state.pendingSteps;
  }
}
