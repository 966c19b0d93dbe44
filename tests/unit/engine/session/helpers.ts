/** Shared fixtures of the TrainingSession tests: a small real MNIST batch, tiny configs, runs and weight snapshots. */
import { expect } from 'vitest';
import { resolveConfigOrThrow } from '../../../../src-main/common/config-resolve';
import type { PresetName } from '../../../../src-main/common/presets';
import type { TrainingConfig } from '../../../../src-main/common/training-config';
import { TrainingSession, type MetricValues, type TrainingData } from '../../../../src-main/engine/training-session';
import { readMnist } from '../../../fixtures/mnist-idx';

export const SIZE = 28;

let cached: TrainingData | null = null;

/** The first 256 MNIST training digits, 28×28×1, with their 10 classes. */
export function mnistData(): TrainingData {
  if (cached === null) {
    const m = readMnist('train', 256);
    cached = { images: m.images, labels: m.labels, count: m.count, size: SIZE, channels: 1, numClasses: 10 };
  }
  return cached;
}

/** The same digits without class folders. */
export function unlabelledData(): TrainingData {
  const { labels: _labels, numClasses: _k, ...rest } = mnistData();
  return { ...rest, numClasses: 0 };
}

/** Tiny nets and batches so every configuration trains in milliseconds per step. */
export function tinyConfig(config: Record<string, unknown> = {}, preset?: PresetName): TrainingConfig {
  const model = (config['model'] ?? {}) as Record<string, unknown>;
  return resolveConfigOrThrow({
    preset,
    config: { seed: 3, steps: 200, batchSize: 8, latentSize: 8, sampleGridSize: 2, ...config, model: { gWidth: 4, dWidth: 4, ...model } },
  });
}

export async function run(session: TrainingSession, steps: number): Promise<MetricValues[]> {
  const out: MetricValues[] = [];
  for (let i = 0; i < steps; i++) out.push(await session.step());
  return out;
}

/** Plain copies of every trainable variable of G and D, by stable name. */
export function trainableSnapshot(session: TrainingSession): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const [prefix, net] of [['g', session.generator], ['d', session.discriminator]] as const) {
    for (const [name, v] of net.trainable) out.set(`${prefix}/${name}`, Float32Array.from(v.dataSync() as Float32Array));
  }
  return out;
}

/** Names of the variables whose values differ between two snapshots. */
export function unchanged(before: Map<string, Float32Array>, after: Map<string, Float32Array>): string[] {
  return [...before].filter(([name, values]) => {
    const now = after.get(name);
    return now !== undefined && values.every((v, i) => v === now[i]);
  }).map(([name]) => name);
}

export function expectFinite(metrics: MetricValues[]): void {
  metrics.forEach((m, i) => {
    for (const [key, value] of Object.entries(m)) expect(Number.isFinite(value), `${key} at step ${i + 1} is ${value}`).toBe(true);
  });
}

export function expectClose(actual: MetricValues[], expected: MetricValues[], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((m, i) => {
    expect(Object.keys(m)).toEqual(Object.keys(expected[i] ?? {}));
    for (const [key, value] of Object.entries(m)) {
      expect(Math.abs(value - (expected[i]?.[key] ?? Number.NaN)), `${key} at step ${i + 1}`).toBeLessThanOrEqual(tolerance);
    }
  });
}

/**
 * Variables that may rightly stay put over a few steps of these tiny nets:
 * - D's output bias under the Wasserstein losses (E[D(G(z))] − E[D(x)] and the penalties do not
 *   depend on it), and under hinge while every sample is inside the margin (the bias gradients cancel);
 * - under WGAN's weight clipping (c = 0.01) a 4-channel critic passes G gradients of ~1e-6 in all,
 *   and RMSProp's ε under the root caps a step at lr·g/1e-4 ≈ 1e-9: below float32's resolution
 *   at G's norm γ ≈ 1, so those γ may not change yet (g_grad_norm > 0 is checked instead).
 */
export function mayStayStill(config: TrainingConfig, name: string): boolean {
  if (name === 'd/output/bias') return ['wgan', 'wgan-gp', 'hinge'].includes(config.loss.type);
  return config.loss.type === 'wgan' && /^g\/.*\/gamma$/.test(name);
}

/** Trains `steps` steps and checks what every configuration must give: finite metrics and every trainable weight of G and D moved. */
export async function trainsAndLearns(config: TrainingConfig, steps = 10, data: TrainingData = mnistData()): Promise<{ session: TrainingSession; metrics: MetricValues[] }> {
  const session = new TrainingSession({ config, data });
  const before = trainableSnapshot(session);
  const metrics = await run(session, steps);
  expectFinite(metrics);
  expect(unchanged(before, trainableSnapshot(session)).filter((name) => !mayStayStill(config, name))).toEqual([]);
  for (const m of metrics) expect(m['g_grad_norm']).toBeGreaterThan(0);
  expect(session.stepCount).toBe(steps);
  return { session, metrics };
}
