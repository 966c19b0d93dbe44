/** Trains one config a few steps on the cpu backend and on webgpu from the same seed, and checks that both computed the same thing and webgpu leaked nothing. */
import { expect } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../../../../src-main/common/training-config';
import { TrainingSession, type MetricValues } from '../../../../src-main/engine/training-session';
import { mnistData } from '../session/helpers';

/** Step 1's metrics agree to this relative error (float32 sums in another order); seen here: ≤ 4e-6. */
const FIRST_STEP_RTOL = 1e-4;
const METRIC_ATOL = 1e-6;
/**
 * Later steps compound rounding through the updates; in ill-conditioned nets (instance norm over a
 * few pixels) cpu and wasm themselves drift 8e-3 apart by step 3. Still catches a wrong update.
 */
const LATER_STEP_RTOL = 2e-2;

interface Trained {
  metrics: MetricValues[];
  /** Per trainable variable of G and D (by stable name): its values after the first step minus before. */
  updates: Map<string, Float32Array>;
  /** Live tensors after each step. */
  tensorCounts: number[];
  /** Live tensors after dispose, minus before the session was built. */
  leftOver: number;
}

async function weights(session: TrainingSession): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (const [prefix, net] of [['g', session.generator], ['d', session.discriminator]] as const) {
    for (const [name, v] of net.trainable) out.set(`${prefix}/${name}`, Float32Array.from((await v.data()) as Float32Array));
  }
  return out;
}

/** Expects the backend to be registered already: switching keeps webgpu's compiled pipelines. */
async function trainOn(backend: 'cpu' | 'webgpu', config: TrainingConfig, steps: number): Promise<Trained> {
  if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} failed to start`);
  const start = tf.memory().numTensors;
  const session = new TrainingSession({ config, data: mnistData() });
  const before = await weights(session);
  const metrics: MetricValues[] = [];
  const tensorCounts: number[] = [];
  let after = before;
  for (let i = 0; i < steps; i++) {
    metrics.push(await session.step());
    tensorCounts.push(tf.memory().numTensors);
    if (i === 0) after = await weights(session);
  }
  session.dispose();
  const updates = new Map([...after].map(([name, values]) => [name, values.map((v, i) => v - (before.get(name)?.[i] ?? Number.NaN))] as const));
  return { metrics, updates, tensorCounts, leftOver: tf.memory().numTensors - start };
}

function close(a: number, b: number, rtol: number, atol: number): boolean {
  return Math.abs(a - b) <= atol + rtol * Math.abs(b);
}

/**
 * Trains `config` for `steps` on cpu and on webgpu. Every metric (losses, penalties, D outputs,
 * gradient norms) agrees, tightly at step 1 and within LATER_STEP_RTOL after; the first step moved
 * every weight by the same update (the optimizer applied the same gradients), to 2% of the largest
 * update of that variable. A weight the cpu backend left exactly still has a gradient that is zero in
 * exact arithmetic (a bias before a normalization): rounding makes it ±1e-9 elsewhere, which Adam's
 * lr·g/(|g| + ε) turns into an update of any size, so those are not compared. The tensor count
 * stays steady from the second step on and returns to where it started.
 */
export async function expectSameAsCpu(config: TrainingConfig, steps = 3): Promise<void> {
  const cpu = await trainOn('cpu', config, steps);
  const gpu = await trainOn('webgpu', config, steps);
  const mismatched: string[] = [];
  cpu.metrics.forEach((m, step) => {
    for (const [key, value] of Object.entries(m)) {
      const other = gpu.metrics[step]?.[key];
      const rtol = step === 0 ? FIRST_STEP_RTOL : LATER_STEP_RTOL;
      if (other === undefined || !Number.isFinite(other) || !close(other, value, rtol, METRIC_ATOL)) mismatched.push(`step ${step + 1} ${key}: cpu ${value}, webgpu ${other}`);
    }
  });
  expect(mismatched).toEqual([]);
  expect(Object.keys(gpu.metrics[0] ?? {})).toEqual(Object.keys(cpu.metrics[0] ?? {}));
  const moved: string[] = [];
  for (const [name, expected] of cpu.updates) {
    const actual = gpu.updates.get(name);
    const scale = expected.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const bad = actual === undefined ? 0 : actual.findIndex((v, i) => expected[i] !== 0 && !close(v, expected[i] ?? Number.NaN, 0, 0.02 * scale + 1e-9));
    if (actual === undefined || bad >= 0) moved.push(`${name}[${bad}]: cpu ${expected[bad]}, webgpu ${actual?.[bad]} (largest update ${scale})`);
  }
  expect(moved).toEqual([]);
  expect(gpu.tensorCounts.slice(1).every((n) => n === gpu.tensorCounts[1])).toBe(true);
  expect(gpu.leftOver).toBe(0);
}
