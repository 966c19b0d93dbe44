/** One network's optimizer written on tf ops — Adam (Kingma & Ba 2015), RMSProp (Tieleman & Hinton 2012), SGD with momentum — so its slots serialize and its rate can follow a schedule. */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerConfig } from '../../common/training-config';
import { readFloat, sameShape, slotFromStored, slotVariable, snapshotFloat, type FloatTensorState, type StoredTensor } from '../stabilizers/slot-state';
import { clipScale, globalNorm, scheduledRate } from './lr-schedule';

export interface GradientPair {
  name: string;
  variable: tf.Variable;
  grad: tf.Tensor;
}

export interface NetOptimizerState {
  meta: { type: OptimizerConfig['type']; iterations: number };
  tensors: FloatTensorState[];
}

/** Adam's first (m) and second (v) moments; RMSProp's mean square (ms); the momentum buffer (mom). */
type SlotName = 'm' | 'v' | 'ms' | 'mom';
const SLOT_NAMES: readonly SlotName[] = ['m', 'v', 'ms', 'mom'];

/** ε as in Kingma & Ba. RMSProp adds it under the square root, as tf.train.rmsprop does. */
export const OPTIMIZER_EPSILON = 1e-8;

/**
 * Update rules (g the possibly clipped gradient, lr the scheduled rate, t the update count):
 * - adam: m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; θ ← θ − lr·(m/(1−β1^t)) / (√(v/(1−β2^t)) + ε).
 * - rmsprop (ρ = cfg.beta2): ms ← ρ·ms + (1−ρ)·g²; with μ = cfg.momentum > 0:
 *   mom ← μ·mom + lr·g/√(ms + ε), θ ← θ − mom; else θ ← θ − lr·g/√(ms + ε). (tf.train.rmsprop's form.)
 * - sgd: with μ > 0, mom ← μ·mom + g, θ ← θ − lr·mom; else θ ← θ − lr·g. (tf.train.momentum's form.)
 */
export class NetOptimizer {
  private readonly cfg: OptimizerConfig;
  private readonly totalSteps: number;
  private slots = new Map<SlotName, Map<string, tf.Variable>>();
  private iterations = 0;
  private disposed = false;

  constructor(cfg: OptimizerConfig, totalSteps: number) {
    if (!Number.isInteger(totalSteps) || totalSteps <= 0) throw new Error(`totalSteps must be a positive integer, got ${totalSteps}`);
    if (!(cfg.lr > 0)) throw new Error(`learning rate must be positive, got ${cfg.lr}`);
    this.cfg = cfg;
    this.totalSteps = totalSteps;
  }

  /** Updates applied so far (Adam's t). */
  get updates(): number {
    return this.iterations;
  }

  /** `baseLr`: a progressive phase's own rate, which the schedule then scales (default: the config's). */
  learningRate(step: number, baseLr = this.cfg.lr): number {
    return scheduledRate(this.cfg.schedule, baseLr, step, this.totalSteps);
  }

  /**
   * One update of every variable in `pairs`. gradNorm is the global L2 norm before clipping. When
   * it is not finite nothing is touched (weights and slots keep their last good values) and the
   * NaN/Infinity is returned for the trainer's divergence check.
   */
  async apply(pairs: readonly GradientPair[], step: number, baseLr = this.cfg.lr): Promise<{ lr: number; gradNorm: number }> {
    this.assertUsable();
    if (pairs.length === 0) throw new Error('NetOptimizer.apply got no gradients');
    const seen = new Set<string>();
    for (const { name, variable, grad } of pairs) {
      if (seen.has(name)) throw new Error(`variable ${name} appears twice`);
      seen.add(name);
      if (!sameShape(variable.shape, grad.shape)) throw new Error(`gradient of ${name} has shape [${grad.shape.join(',')}], variable [${variable.shape.join(',')}]`);
      if (variable.dtype !== 'float32' || grad.dtype !== 'float32') throw new Error(`${name}: only float32 variables and gradients are optimized`);
    }
    const lr = this.learningRate(step, baseLr);
    const gradNorm = await globalNorm(pairs.map((p) => p.grad));
    if (!Number.isFinite(gradNorm)) return { lr, gradNorm };
    const scale = clipScale(gradNorm, this.cfg.gradClip);
    this.iterations += 1;
    tf.tidy(() => {
      for (const pair of pairs) this.update(pair, scale === 1 ? pair.grad : tf.mul(pair.grad, scale), lr);
    });
    return { lr, gradNorm };
  }

  /** Slots are named `${prefix}/${slot}/${variable name}`. */
  async exportState(prefix: string): Promise<NetOptimizerState> {
    this.assertUsable();
    const tensors: FloatTensorState[] = [];
    for (const [slot, byName] of this.slots) for (const [name, s] of byName) tensors.push(await snapshotFloat(`${prefix}/${slot}/${name}`, s));
    return { meta: { type: this.cfg.type, iterations: this.iterations }, tensors };
  }

  /**
   * Replaces all slots with those stored under `prefix`. A variable without slots is started from
   * zeros at its next update; shapes are checked against the variables then.
   */
  importState(prefix: string, state: { meta: unknown; tensors: readonly StoredTensor[] }): void {
    this.assertUsable();
    const meta = (state.meta ?? {}) as { type?: unknown; iterations?: unknown };
    if (meta.type !== this.cfg.type) throw new Error(`optimizer state is for ${String(meta.type)}, this optimizer is ${this.cfg.type}`);
    const { iterations } = meta;
    if (typeof iterations !== 'number' || !Number.isInteger(iterations) || iterations < 0) throw new Error('optimizer state has no valid iteration count');
    const found = new Map<SlotName, Map<string, StoredTensor>>();
    for (const slot of SLOT_NAMES) {
      const head = `${prefix}/${slot}/`;
      const entries = state.tensors.filter((t) => t.name.startsWith(head)).map((t) => [t.name.slice(head.length), readFloat(state.tensors, t.name)] as const);
      if (entries.length > 0) found.set(slot, new Map(entries));
    }
    const next = new Map([...found].map(([slot, byName]) => [slot, new Map([...byName].map(([name, e]) => [name, slotFromStored(e)]))]));
    this.disposeSlots();
    this.slots = next;
    this.iterations = iterations;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeSlots();
  }

  private update({ name, variable }: GradientPair, g: tf.Tensor, lr: number): void {
    const { type, beta1, beta2, momentum } = this.cfg;
    if (type === 'adam') {
      const m = this.slot('m', name, variable);
      const v = this.slot('v', name, variable);
      m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
      v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)));
      const mHat = tf.div(m, 1 - beta1 ** this.iterations);
      const vHat = tf.div(v, 1 - beta2 ** this.iterations);
      variable.assign(tf.sub(variable, tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), OPTIMIZER_EPSILON)), lr)));
    } else if (type === 'rmsprop') {
      const ms = this.slot('ms', name, variable);
      ms.assign(tf.add(tf.mul(ms, beta2), tf.mul(tf.square(g), 1 - beta2)));
      const stepVec = tf.div(tf.mul(g, lr), tf.sqrt(tf.add(ms, OPTIMIZER_EPSILON)));
      this.descend(name, variable, stepVec, momentum);
    } else {
      // SGD's momentum accumulates raw gradients; the rate applies after, so a schedule acts at once.
      const direction = momentum > 0 ? this.accumulate(name, variable, g, momentum) : g;
      variable.assign(tf.sub(variable, tf.mul(direction, lr)));
    }
  }

  /** RMSProp: θ ← θ − step, or through the momentum buffer (which already carries lr). */
  private descend(name: string, variable: tf.Variable, stepVec: tf.Tensor, momentum: number): void {
    const delta = momentum > 0 ? this.accumulate(name, variable, stepVec, momentum) : stepVec;
    variable.assign(tf.sub(variable, delta));
  }

  private accumulate(name: string, variable: tf.Variable, value: tf.Tensor, momentum: number): tf.Tensor {
    const mom = this.slot('mom', name, variable);
    mom.assign(tf.add(tf.mul(mom, momentum), value));
    return mom;
  }

  /** Created at zero on first use, so the set of variables is whatever apply() is given. */
  private slot(slot: SlotName, name: string, variable: tf.Variable): tf.Variable {
    let byName = this.slots.get(slot);
    if (byName === undefined) {
      byName = new Map();
      this.slots.set(slot, byName);
    }
    const existing = byName.get(name);
    if (existing !== undefined) {
      if (!sameShape(existing.shape, variable.shape)) throw new Error(`optimizer slot ${slot}/${name} has shape [${existing.shape.join(',')}], variable [${variable.shape.join(',')}]`);
      return existing;
    }
    const created = slotVariable(tf.zerosLike(variable));
    byName.set(name, created);
    return created;
  }

  private disposeSlots(): void {
    for (const byName of this.slots.values()) for (const s of byName.values()) s.dispose();
    this.slots = new Map();
  }

  private assertUsable(): void {
    if (this.disposed) throw new Error('NetOptimizer was disposed');
  }
}
