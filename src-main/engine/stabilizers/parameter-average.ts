/** Historical averaging (Salimans et al. 2016, §3.3): the running mean of a network's past parameters, as a penalty and as swap-in weights. */
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

export interface ParameterAverageState {
  meta: { count: number };
  tensors: FloatTensorState[];
}

/**
 * θ̄ = (1/t)·Σ_{i≤t} θ_i over every update() so far, per variable. Two readings use it:
 * (a) the penalty λ‖θ − θ̄‖² (Salimans et al.) on either net;
 * (b) the article's: G's update uses a D whose parameters are θ̄_D (withAveraged).
 */
export class ParameterAverage {
  private readonly vars: ReadonlyMap<string, tf.Variable>;
  private averages = new Map<string, tf.Variable>();
  private count = 0;
  private disposed = false;

  constructor(vars: ReadonlyMap<string, tf.Variable>) {
    assertFloatVariables(vars, 'ParameterAverage');
    this.vars = new Map(vars);
  }

  /** How many parameter values the average holds. */
  get updates(): number {
    return this.count;
  }

  /**
   * Folds the current values in: θ̄ ← θ̄ + (θ − θ̄)/t. The incremental form rather than sum/t keeps
   * float32 precise over millions of steps (a running sum would swamp each new value).
   */
  update(): void {
    this.assertUsable();
    const t = this.count + 1;
    tf.tidy(() => {
      for (const [name, v] of this.vars) {
        const avg = this.averages.get(name);
        if (avg === undefined) this.averages.set(name, slotVariable(v));
        else avg.assign(tf.add(avg, tf.div(tf.sub(v, avg), t)));
      }
    });
    this.count = t;
  }

  /**
   * Σ‖θ − θ̄‖² summed over all variables and their elements (unweighted: the caller multiplies by λ).
   * Differentiable with respect to θ; θ̄ is a non-trainable slot, so it acts as a constant.
   * Zero before the first update (there is no history yet).
   */
  penalty(): tf.Scalar {
    this.assertUsable();
    if (this.count === 0) return tf.scalar(0);
    return tf.tidy(() => {
      const terms: tf.Tensor[] = [];
      for (const [name, v] of this.vars) terms.push(tf.sum(tf.square(tf.sub(v, this.averageOf(name)))));
      return terms.length === 0 ? tf.scalar(0) : tf.addN(terms);
    }) as tf.Scalar;
  }

  /**
   * Runs fn with θ̄ in the variables, then restores θ (also on throw). Use it around the forward
   * pass of D inside G's variableGrads: gradients still flow through D's ops to G, and D's own
   * parameters are untouched afterwards. Before the first update it simply runs fn.
   */
  withAveraged<T>(fn: () => T): T {
    this.assertUsable();
    if (this.count === 0) return fn();
    return withSwapped(this.vars, this.averages, fn);
  }

  /** Tensors are named by the variable keys, behind `prefix/` when a prefix is given. */
  async exportState(prefix?: string): Promise<ParameterAverageState> {
    this.assertUsable();
    const tensors = await Promise.all([...this.averages].map(([name, avg]) => snapshotFloat(slotKey(prefix, name), avg)));
    return { meta: { count: this.count }, tensors };
  }

  /** Replaces the whole average; everything is checked before anything is overwritten. */
  importState(state: { meta: unknown; tensors: readonly StoredTensor[] }, prefix?: string): void {
    this.assertUsable();
    const count = (state.meta as { count?: unknown } | null)?.count;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) throw new Error('parameter average state has no valid count');
    const entries = count === 0 ? [] : [...this.vars].map(([name, v]) => [name, readFloat(state.tensors, slotKey(prefix, name), v.shape)] as const);
    const next = new Map(entries.map(([name, entry]) => [name, slotFromStored(entry)]));
    this.disposeAverages();
    this.averages = next;
    this.count = count;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeAverages();
  }

  private averageOf(name: string): tf.Variable {
    const avg = this.averages.get(name);
    if (avg === undefined) throw new Error(`no average for ${name}`);
    return avg;
  }

  private disposeAverages(): void {
    for (const avg of this.averages.values()) avg.dispose();
    this.averages = new Map();
  }

  private assertUsable(): void {
    if (this.disposed) throw new Error('ParameterAverage was disposed');
  }
}
