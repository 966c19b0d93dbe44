/** The step's metrics: scalar tensors kept while the step runs, read back in one asynchronous read, plus plain numbers. */
import * as tf from '@tensorflow/tfjs';
import { STEP_METRIC_KEYS, type StepMetricKey } from '../../common/metric-keys';

/** Plain numbers measured in one step, by metric key; a type alias so it fits MetricPoint.values. */
export type MetricValues = Record<string, number>;

/**
 * The keys step() reports, in this order (the step keys of the catalogue, common/metric-keys.ts);
 * a key appears only when its technique is on.
 */
export const METRIC_ORDER: readonly StepMetricKey[] = STEP_METRIC_KEYS;

/**
 * Collects values of one generator step. A key added several times (once per critic step under
 * n_critic > 1) reports the mean, so a non-finite value in any critic step still surfaces.
 */
export class StepMetrics {
  private readonly tensors = new Map<StepMetricKey, tf.Scalar[]>();
  private readonly numbers = new Map<StepMetricKey, number[]>();

  /** Keeps `t` past the tidy it was made in; read() disposes it. */
  add(key: StepMetricKey, t: tf.Scalar): void {
    const list = this.tensors.get(key) ?? [];
    list.push(tf.keep(t));
    this.tensors.set(key, list);
  }

  addNumber(key: StepMetricKey, value: number): void {
    const list = this.numbers.get(key) ?? [];
    list.push(value);
    this.numbers.set(key, list);
  }

  /** Every value as a plain number (one asynchronous read from the backend), in METRIC_ORDER; frees the tensors. */
  async read(): Promise<MetricValues> {
    const keys = [...this.tensors.keys()];
    let values: Float32Array = new Float32Array(0);
    if (keys.length > 0) {
      const packed = tf.tidy(() => tf.stack(keys.map((k) => tf.mean(tf.stack(this.tensors.get(k) ?? [])))));
      try {
        values = (await packed.data()) as Float32Array;
      } finally {
        packed.dispose();
      }
    }
    const byKey = new Map<StepMetricKey, number>(keys.map((k, i) => [k, values[i] ?? Number.NaN]));
    for (const [k, list] of this.numbers) byKey.set(k, list.reduce((a, b) => a + b, 0) / list.length);
    this.dispose();
    const out: MetricValues = {};
    for (const key of METRIC_ORDER) {
      const v = byKey.get(key);
      if (v !== undefined) out[key] = v;
    }
    return out;
  }

  dispose(): void {
    for (const list of this.tensors.values()) tf.dispose(list);
    this.tensors.clear();
    this.numbers.clear();
  }
}
