/** Exponential moving average of generator weights for sampling and export (Yazıcı et al. 2019; Karras et al. 2018). */
import * as tf from '@tensorflow/tfjs';
import {
  assertFloatVariables,
  readFloat,
  slotKey,
  slotFromStored,
  slotVariable,
  snapshotFloat,
  withSwapped,
  type FloatTensorState,
  type StoredTensor,
} from './slot-state';
import { emaBeta, emaWarming, type EmaSchedule } from './ema-schedule';

export interface WeightEmaState {
  meta: { initialized: boolean };
  tensors: FloatTensorState[];
}

/**
 * θ_ema follows G's weights: a copy of θ up to and including `startStep` (early weights are
 * too poor to average), then θ_ema ← β·θ_ema + (1 − β)·θ with β from the schedule and the images G
 * has seen (ema-schedule.ts). β depends only on the step, so a resumed run averages exactly as
 * before. The map may hold state variables too (batch-norm moving mean and variance): they are
 * averaged like the weights, so the EMA generator's statistics match its averaged weights rather
 * than the live ones.
 */
export class WeightEma {
  private readonly vars: ReadonlyMap<string, tf.Variable>;
  private readonly schedule: EmaSchedule;
  private shadows = new Map<string, tf.Variable>();
  private initialized = false;
  private disposed = false;

  constructor(vars: ReadonlyMap<string, tf.Variable>, schedule: EmaSchedule) {
    const { halfLifeImages, rampup, batchSize, startStep } = schedule;
    if (!(halfLifeImages >= 0 && Number.isFinite(halfLifeImages))) throw new Error(`EMA half-life must be a finite number of images ≥ 0, got ${halfLifeImages}`);
    if (!(rampup >= 0 && rampup <= 1)) throw new Error(`EMA ramp-up must be in [0, 1], got ${rampup}`);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`EMA batch size must be a positive integer, got ${batchSize}`);
    if (!Number.isInteger(startStep) || startStep < 0) throw new Error(`EMA start step must be a non-negative integer, got ${startStep}`);
    assertFloatVariables(vars, 'WeightEma');
    this.vars = new Map(vars);
    this.schedule = { ...schedule };
  }

  /** Whether an EMA exists yet (false before the first update). */
  get ready(): boolean {
    return this.initialized;
  }

  /** Whether, after `steps` updates, the EMA still lags G enough to show the raw G beside it (see emaWarming). */
  warming(steps: number): boolean {
    return emaWarming(this.schedule, steps);
  }

  /**
   * Call after each generator update with that update's step (1-based). Copies while step ≤ startStep
   * (and on the first call whatever the step, so a late first call still starts from the live
   * weights); averages afterwards, with β for the images G had seen before this update (`images`,
   * when the batch size is not the schedule's for every step: progressive growing's phases).
   */
  update(step: number, images?: { seen: number; batch: number }): void {
    this.assertUsable();
    if (!this.initialized || step <= this.schedule.startStep) {
      this.copyLive();
      this.initialized = true;
      return;
    }
    // A progressive run's batch changes by phase: it gives the images seen and this update's batch.
    const beta = images === undefined ? emaBeta(this.schedule, (step - 1) * this.schedule.batchSize) : emaBeta({ ...this.schedule, batchSize: images.batch }, images.seen);
    tf.tidy(() => {
      for (const [name, v] of this.vars) {
        const shadow = this.shadowOf(name);
        shadow.assign(tf.add(tf.mul(shadow, beta), tf.mul(v, 1 - beta)));
      }
    });
  }

  /** Runs fn with the EMA weights in the variables, restoring the live ones after (also on throw). */
  withEma<T>(fn: () => T): T {
    this.assertUsable();
    if (!this.initialized) return fn();
    return withSwapped(this.vars, this.shadows, fn);
  }

  /** Tensors are named by the variable keys, behind `prefix/` when a prefix is given. */
  async exportState(prefix?: string): Promise<WeightEmaState> {
    this.assertUsable();
    const tensors = this.initialized ? await Promise.all([...this.shadows].map(([name, s]) => snapshotFloat(slotKey(prefix, name), s))) : [];
    return { meta: { initialized: this.initialized }, tensors };
  }

  /** Replaces the whole EMA; everything is checked before anything is overwritten. */
  importState(state: { meta: unknown; tensors: readonly StoredTensor[] }, prefix?: string): void {
    this.assertUsable();
    const initialized = (state.meta as { initialized?: unknown } | null)?.initialized;
    if (typeof initialized !== 'boolean') throw new Error('EMA state has no valid initialized flag');
    const entries = initialized ? [...this.vars].map(([name, v]) => [name, readFloat(state.tensors, slotKey(prefix, name), v.shape)] as const) : [];
    const next = new Map(entries.map(([name, entry]) => [name, slotFromStored(entry)]));
    this.disposeShadows();
    this.shadows = next;
    this.initialized = initialized;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeShadows();
  }

  private copyLive(): void {
    for (const [name, v] of this.vars) {
      const shadow = this.shadows.get(name);
      // Sharing the live value's buffer is safe: tensors are immutable and assign swaps buffers.
      if (shadow === undefined) this.shadows.set(name, slotVariable(v));
      else shadow.assign(v);
    }
  }

  private shadowOf(name: string): tf.Variable {
    const shadow = this.shadows.get(name);
    if (shadow === undefined) throw new Error(`no EMA for ${name}`);
    return shadow;
  }

  private disposeShadows(): void {
    for (const s of this.shadows.values()) s.dispose();
    this.shadows = new Map();
  }

  private assertUsable(): void {
    if (this.disposed) throw new Error('WeightEma was disposed');
  }
}
