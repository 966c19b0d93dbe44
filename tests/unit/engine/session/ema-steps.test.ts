/** The session feeds G's EMA each update's 1-based step: a copy up to startStep, then θ_ema ← β·θ_ema + (1 − β)·θ with β from the images seen before the update, checked by hand. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import type { SessionParts } from '../../../../src-main/engine/session/parts';
import { TrainingSession } from '../../../../src-main/engine/training-session';
import { tinyConfig, unlabelledData } from './helpers';

beforeAll(async () => {
  await resolveBackend('wasm');
});

type Weights = Map<string, Float32Array>;
const liveG = (s: TrainingSession): Weights => new Map([...s.generator.trainable].map(([k, v]) => [k, Float32Array.from(v.dataSync() as Float32Array)]));
const emaG = (s: TrainingSession): Weights => {
  const parts = (s as unknown as { parts: SessionParts }).parts;
  return parts.ema!.withEma(() => liveG(s));
};
const mix = (a: Weights, b: Weights, beta: number): Weights => new Map([...a].map(([k, v]) => [k, v.map((x, i) => beta * x + (1 - beta) * b.get(k)![i]!)]));
function expectNear(actual: Weights, expected: Weights): void {
  let worst = 0;
  for (const [k, v] of expected) v.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - actual.get(k)![i]!))));
  expect(worst).toBeLessThan(1e-6);
}

describe('the EMA of G in a session', () => {
  it('batch 8, half-life 16, ramp-up 0.5, start step 1: copies at step 1, then β = 0.5^(8 / min(16, 0.5 · 8 · (k − 1)))', async () => {
    const session = new TrainingSession({ config: tinyConfig({ stabilizers: { ema: { enabled: true, halfLifeImages: 16, rampup: 0.5, startStep: 1 } } }), data: unlabelledData() });
    await session.step();
    const g1 = liveG(session);
    expectNear(emaG(session), g1);
    // Step 2: 8 images seen before it, half-life min(16, 4) = 4, β = 0.5^2 = 0.25.
    await session.step();
    const after2 = mix(g1, liveG(session), 0.25);
    expectNear(emaG(session), after2);
    // Step 3: 16 images seen, half-life 8, β = 0.5.
    await session.step();
    const g3 = liveG(session);
    const after3 = mix(after2, g3, 0.5);
    expectNear(emaG(session), after3);
    // The EMA differs from G by more than the tolerance, so a copy would not pass.
    expect(Math.max(...[...after3].flatMap(([k, v]) => Array.from(v, (x, i) => Math.abs(x - g3.get(k)![i]!))))).toBeGreaterThan(1e-4);
    session.dispose();
  });

  it('copies G up to and including a later start step', async () => {
    const session = new TrainingSession({ config: tinyConfig({ stabilizers: { ema: { enabled: true, halfLifeImages: 16, rampup: 0, startStep: 2 } } }), data: unlabelledData() });
    await session.step();
    await session.step();
    const g2 = liveG(session);
    expectNear(emaG(session), g2);
    // Step 3: β = 0.5^(8 / 16) without ramp-up.
    await session.step();
    expectNear(emaG(session), mix(g2, liveG(session), 0.5 ** 0.5));
    session.dispose();
  });
});

describe('the EMA across a checkpoint', () => {
  const EMA = { stabilizers: { ema: { enabled: true, halfLifeImages: 16, rampup: 0 } } };

  it('a fork that turns EMA on starts it from the loaded weights; a resume goes on from the stored EMA', async () => {
    const parent = new TrainingSession({ config: tinyConfig(), data: unlabelledData() });
    await parent.step();
    await parent.step();
    const loaded = liveG(parent);
    const fork = await TrainingSession.fromState({ config: tinyConfig(EMA), data: unlabelledData() }, await parent.exportState());
    expectNear(emaG(fork), loaded);
    await fork.step();
    // Step 3 with β = 0.5^(8 / 16) from the loaded weights; a copy of the new G would be far from it.
    const forked = mix(loaded, liveG(fork), 0.5 ** 0.5);
    expectNear(emaG(fork), forked);

    const resumed = await TrainingSession.fromState({ config: tinyConfig(EMA), data: unlabelledData() }, await fork.exportState());
    expectNear(emaG(resumed), forked);
    await resumed.step();
    expectNear(emaG(resumed), mix(forked, liveG(resumed), 0.5 ** 0.5));
    [parent, fork, resumed].forEach((s) => s.dispose());
  });

  it('exportGenerator exports the EMA weights, not the live ones', async () => {
    const session = new TrainingSession({ config: tinyConfig(EMA), data: unlabelledData() });
    await session.step();
    await session.step();
    const { artifacts } = await session.exportGenerator();
    const exported = tf.io.decodeWeights(artifacts.weightData as ArrayBuffer, artifacts.weightSpecs!);
    const values = new Set(Object.values(exported).flatMap((t) => Array.from(t.dataSync().slice(0, 3))));
    tf.dispose(Object.values(exported));
    const ema = [...emaG(session).values()].flatMap((v) => Array.from(v.slice(0, 3)));
    const live = [...liveG(session).values()].flatMap((v) => Array.from(v.slice(0, 3)));
    expect(ema.filter((v) => values.has(v)).length).toBeGreaterThan(ema.length / 2);
    expect(live.filter((v, i) => v !== ema[i] && values.has(v))).toEqual([]);
    session.dispose();
  });

  it('without EMA, exportGenerator exports the live weights, and before the EMA is ready too', async () => {
    for (const config of [tinyConfig(), tinyConfig(EMA)]) {
      const session = new TrainingSession({ config, data: unlabelledData() });
      // No step yet: an EMA has no shadows, so the live weights are what there is.
      if (config.stabilizers.ema.enabled) {
        const { artifacts } = await session.exportGenerator();
        expect(artifacts.weightSpecs?.length).toBeGreaterThan(0);
      }
      await session.step();
      if (!config.stabilizers.ema.enabled) {
        const { artifacts } = await session.exportGenerator();
        const exported = tf.io.decodeWeights(artifacts.weightData as ArrayBuffer, artifacts.weightSpecs!);
        const values = new Set(Object.values(exported).flatMap((t) => Array.from(t.dataSync())));
        tf.dispose(Object.values(exported));
        const live = [...liveG(session).values()].flatMap((v) => Array.from(v));
        expect(live.every((v) => values.has(v))).toBe(true);
      }
      session.dispose();
    }
  });
});
