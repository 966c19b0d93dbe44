/**
 * Each technique acts where it should: on reals or on fakes, in D or in G. The D step is replayed
 * from the same seeded streams and its penalties checked against direct calls; the draws each step
 * makes are counted by the streams they advance. A plausible mis-wiring (R1 on fakes, GP between
 * reals, ADA fed fake logits, a G step without DiffAugment or noise, G clipped like D, data not in
 * [-1, 1], no penalty reaching D) fails here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { sampleDiffAugment } from '../../../../src-main/engine/augment/diff-augment';
import { augmentReals } from '../../../../src-main/engine/augment/real-batch';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { sampleRealBatch, type TrainingData } from '../../../../src-main/engine/batch-sampler';
import { generatorLoss } from '../../../../src-main/engine/objectives/adversarial';
import { gradientPenalty, r1Penalty, type Critic } from '../../../../src-main/engine/objectives/penalties';
import { discriminatorStep, disposeReal } from '../../../../src-main/engine/session/d-step';
import { discriminate, toDInput } from '../../../../src-main/engine/session/forward';
import { generatorStep } from '../../../../src-main/engine/session/g-step';
import { StepMetrics } from '../../../../src-main/engine/session/metrics';
import { createParts, disposeParts, type SessionParts } from '../../../../src-main/engine/session/parts';
import { snapshotStreams, type StreamName } from '../../../../src-main/engine/session/streams';
import { instanceNoiseStd } from '../../../../src-main/engine/stabilizers/instance-noise';
import { uniforms } from '../../../../src-main/engine/session/streams';
import { mnistData, run, tinyConfig, trainableSnapshot, unlabelledData } from './helpers';
import { TrainingSession } from '../../../../src-main/engine/training-session';

beforeAll(async () => {
  await resolveBackend('wasm');
});

/** What the first D step feeds its critic, rebuilt from fresh parts with the same seed, draw by draw in the step's order. */
function replayDInputs(p: SessionParts): { realIn: tf.Tensor4D; fakeIn: tf.Tensor4D; epsilon: tf.Tensor4D } {
  const { config: cfg, data } = p;
  const n = cfg.batchSize;
  const batch = sampleRealBatch(data, n, p.rng.batches, p.pool);
  const z = p.rng.noise.normals(n * cfg.latentSize);
  const sigma = instanceNoiseStd(cfg.stabilizers.instanceNoise, 0);
  return tf.tidy(() => {
    const raw = tf.tensor4d(batch.pixels, [n, data.size, data.size, data.channels]);
    const { images, diff } = augmentReals(raw, cfg.augment, p.ada.p, p.rng);
    const fake = p.g.apply(tf.tensor2d(z, [n, cfg.latentSize]), null, true);
    const realIn = toDInput(images, diff, sigma, p.rng.instanceNoise);
    const fakeIn = toDInput(fake, diff, sigma, p.rng.instanceNoise);
    const epsilon = tf.tensor4d(uniforms(p.rng.gpEpsilon, n), [n, 1, 1, 1]);
    return { realIn, fakeIn, epsilon };
  });
}

const scalar = (t: tf.Scalar): number => {
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
};

describe('the D step penalties act on the right batches', () => {
  // No norm in D: the critic is per sample and stateless, so the replay's D is the step's D.
  const config = tinyConfig({
    loss: { type: 'wgan-gp', r1Gamma: 1 },
    augment: { diffAugment: ['translation'] },
    stabilizers: { instanceNoise: { std: 0.1 } },
    model: { dNorm: 'none' },
  });

  it('GP is taken between reals and fakes, R1 on reals, each as a direct call on the replayed inputs gives', async () => {
    const stepped = createParts(config, unlabelledData());
    const replay = createParts(config, unlabelledData());
    const { realIn, fakeIn, epsilon } = replayDInputs(replay);
    // Before the step: the penalties are read on the D that the step differentiates.
    const critic: Critic = (x) => replay.d.apply(x, null, true).logits;
    const direct = {
      gp: scalar(gradientPenalty(critic, realIn, fakeIn, epsilon)),
      gpRealReal: scalar(gradientPenalty(critic, realIn, realIn, epsilon)),
      r1: scalar(r1Penalty(critic, realIn)),
      r1Fakes: scalar(r1Penalty(critic, fakeIn)),
    };
    const metrics = new StepMetrics();
    const { real } = await discriminatorStep(stepped, 0, metrics, false);
    disposeReal(real);
    const m = await metrics.read();

    // The same ops on the same backend: the step's values match to float32 rounding (here exactly),
    // and the alternatives differ by far more than that, so a swap cannot pass.
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
    expect(rel(direct.gpRealReal, direct.gp)).toBeGreaterThan(2e-5);
    expect(rel(direct.r1Fakes, direct.r1)).toBeGreaterThan(2e-5);
    expect(rel(m['gp']!, direct.gp)).toBeLessThanOrEqual(1e-6);
    expect(rel(m['r1']!, direct.r1)).toBeLessThanOrEqual(1e-6);
    tf.dispose([realIn, fakeIn, epsilon]);
    disposeParts(stepped);
    disposeParts(replay);
  });
});

describe('the penalties leave D’s state alone', () => {
  it('after a D step with GP and R1, spectral norm’s u is what the main pass alone leaves', async () => {
    const config = tinyConfig({ loss: { type: 'wgan-gp', r1Gamma: 1 }, model: { dNorm: 'spectral' } });
    const stepped = createParts(config, unlabelledData());
    const replay = createParts(config, unlabelledData());
    const state = (p: SessionParts) => new Map([...p.d.state].map(([k, v]) => [k, Array.from(v.dataSync())]));
    const initial = state(replay);
    expect(initial.size).toBeGreaterThan(0);
    const { realIn, fakeIn, epsilon } = replayDInputs(replay);
    tf.tidy(() => void discriminate(replay.d, realIn, fakeIn, null, null, replay.t.separateD));
    const afterMain = state(replay);
    // The main pass moves u, so a penalty pass that moved it again would show.
    expect([...afterMain].some(([k, v]) => v.some((x, i) => x !== initial.get(k)![i]))).toBe(true);
    const metrics = new StepMetrics();
    disposeReal((await discriminatorStep(stepped, 0, metrics, false)).real);
    metrics.dispose();
    expect(state(stepped)).toEqual(afterMain);
    tf.dispose([realIn, fakeIn, epsilon]);
    disposeParts(stepped);
    disposeParts(replay);
  });
});

describe("ADA's observer", () => {
  it("reads D's logits on this step's reals, not on the fakes", async () => {
    const config = tinyConfig({ augment: { diffAugment: ['color'], ada: { enabled: true, interval: 1 } }, model: { dNorm: 'none' } });
    const stepped = createParts(config, unlabelledData());
    const replay = createParts(config, unlabelledData());
    const { realIn, fakeIn, epsilon } = replayDInputs(replay);
    const onReals = Array.from(tf.tidy(() => replay.d.apply(realIn, null, true).logits.dataSync()));
    const onFakes = Array.from(tf.tidy(() => replay.d.apply(fakeIn, null, true).logits.dataSync()));
    const seen: number[][] = [];
    const observe = stepped.ada.observe.bind(stepped.ada);
    stepped.ada.observe = (logits) => {
      seen.push(Array.from(logits));
      return observe(logits);
    };
    const metrics = new StepMetrics();
    disposeReal((await discriminatorStep(stepped, 0, metrics, false)).real);
    metrics.dispose();

    expect(seen).toHaveLength(1);
    expect(onReals.some((v, i) => Math.abs(v - onFakes[i]!) > 1e-4)).toBe(true);
    seen[0]!.forEach((v, i) => expect(v).toBeCloseTo(onReals[i]!, 5));
    // r_t = E[sign(D(x_real))] of those logits, by hand, and p moved by one step towards the target.
    const rt = onReals.reduce((acc, v) => acc + Math.sign(v), 0) / onReals.length;
    expect(stepped.ada.rt).toBeCloseTo(rt, 12);
    const moved = Math.min(1, Math.max(0, Math.sign(rt - config.augment.ada.target) * stepped.ada.stepSize));
    expect(stepped.ada.p).toBeCloseTo(moved, 12);
    tf.dispose([realIn, fakeIn, epsilon]);
    disposeParts(stepped);
    disposeParts(replay);
  });
});

/** Which streams one call advanced: the draws a step made, by what they were for. */
async function streamsAdvancedBy(p: SessionParts, fn: () => Promise<void>): Promise<Set<StreamName>> {
  const before = snapshotStreams(p.rng);
  await fn();
  const after = snapshotStreams(p.rng);
  return new Set((Object.keys(before) as StreamName[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])));
}

describe('the G step sees what D sees', () => {
  it('draws DiffAugment and instance noise for the fakes in the G step too, and neither when they are off', async () => {
    const on = createParts(tinyConfig({ augment: { diffAugment: ['translation'] }, stabilizers: { instanceNoise: { std: 0.2 } } }), unlabelledData());
    const off = createParts(tinyConfig(), unlabelledData());
    for (const [p, expected] of [
      [on, ['diffAugment', 'instanceNoise', 'noise']],
      [off, ['noise']],
    ] as const) {
      const metrics = new StepMetrics();
      const drawn = await streamsAdvancedBy(p, () => generatorStep(p, 0, metrics, null));
      metrics.dispose();
      expect([...drawn].sort()).toEqual([...expected].sort());
      disposeParts(p);
    }
  });

  it('the D step draws augmentation and noise for reals and fakes, the GP epsilon and smoothing only with their technique', async () => {
    const cases: [Record<string, unknown>, StreamName[]][] = [
      [{}, ['batches', 'noise']],
      [{ augment: { diffAugment: ['cutout'], flip: 0.5 }, stabilizers: { instanceNoise: { std: 0.2 } } }, ['batches', 'noise', 'augment', 'diffAugment', 'instanceNoise']],
      [{ loss: { type: 'wgan-gp' } }, ['batches', 'noise', 'gpEpsilon']],
      [{ stabilizers: { labelSmoothing: { mode: 'two-sided' } } }, ['batches', 'noise', 'smoothing']],
    ];
    for (const [patch, expected] of cases) {
      const p = createParts(tinyConfig(patch), unlabelledData());
      const metrics = new StepMetrics();
      const drawn = await streamsAdvancedBy(p, async () => disposeReal((await discriminatorStep(p, 0, metrics, false)).real));
      metrics.dispose();
      expect([...drawn].sort(), JSON.stringify(patch)).toEqual([...expected].sort());
      disposeParts(p);
    }
  });
});

describe('the G step loss', () => {
  it("is G's adversarial loss on D of the fakes after this step's DiffAugment and instance noise", async () => {
    const config = tinyConfig({ augment: { diffAugment: ['translation', 'cutout'] }, stabilizers: { instanceNoise: { std: 0.3 } }, model: { dNorm: 'none' } });
    const stepped = createParts(config, unlabelledData());
    const replay = createParts(config, unlabelledData());
    const n = config.batchSize;
    const z = replay.rng.noise.normals(n * config.latentSize);
    const diff = sampleDiffAugment(replay.t.diffAugment, replay.ada.p, n, replay.data.size, replay.rng.diffAugment);
    const sigma = instanceNoiseStd(config.stabilizers.instanceNoise, 0);
    const [seen, bare] = tf.tidy(() => {
      const fake = replay.g.apply(tf.tensor2d(z, [n, config.latentSize]), null, true);
      const loss = (x: tf.Tensor4D) => generatorLoss(config.loss.type, replay.d.apply(x, null, true).logits).dataSync()[0]!;
      return [loss(toDInput(fake, diff, sigma, replay.rng.instanceNoise)), loss(fake)];
    });
    const metrics = new StepMetrics();
    await generatorStep(stepped, 0, metrics, null);
    const m = await metrics.read();
    expect(Math.abs(bare - seen) / Math.abs(seen)).toBeGreaterThan(1e-4);
    expect(Math.abs(m['g_loss_adv']! - seen) / Math.abs(seen)).toBeLessThanOrEqual(1e-6);
    disposeParts(stepped);
    disposeParts(replay);
  });
});

describe('WGAN weight clipping', () => {
  it('clips the critic only: every D weight lies in [-c, c], and G keeps weights beyond c', async () => {
    const config = tinyConfig({}, 'wgan');
    const c = config.loss.clipValue;
    const session = new TrainingSession({ config, data: unlabelledData() });
    await run(session, 3);
    const weights = trainableSnapshot(session);
    const dMax = Math.max(...[...weights].filter(([k]) => k.startsWith('d/')).flatMap(([, v]) => Array.from(v, Math.abs)));
    const gMax = Math.max(...[...weights].filter(([k]) => k.startsWith('g/')).flatMap(([, v]) => Array.from(v, Math.abs)));
    expect(dMax).toBeLessThanOrEqual(c + 1e-7);
    expect(gMax).toBeGreaterThan(10 * c);
    session.dispose();
  });
});

describe('real batches', () => {
  it('scale pixel 0 to -1, 255 to 1 and 51 to -0.6: the range of G’s tanh', () => {
    const images = Uint8Array.from([0, 255, 51, 255]);
    const data: TrainingData = { images, count: 1, size: 2, channels: 1 };
    const p = createParts(tinyConfig(), mnistData());
    const batch = sampleRealBatch(data, 2, p.rng.batches);
    [-1, 1, -0.6, 1, -1, 1, -0.6, 1].forEach((v, i) => expect(batch.pixels[i]).toBeCloseTo(v, 6));
    disposeParts(p);
  });
});

describe('historical averaging', () => {
  it("the D penalty changes D's update from the second step on (the first has nothing to pull towards)", async () => {
    const plain = new TrainingSession({ config: tinyConfig(), data: unlabelledData() });
    const averaged = new TrainingSession({ config: tinyConfig({ stabilizers: { historicalAveraging: { dWeight: 50 } } }), data: unlabelledData() });
    const diff = () => {
      const a = trainableSnapshot(plain);
      const b = trainableSnapshot(averaged);
      let worst = 0;
      for (const [k, v] of a) if (k.startsWith('d/')) v.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - b.get(k)![i]!))));
      return worst;
    };
    await run(plain, 1);
    await run(averaged, 1);
    expect(diff()).toBe(0);
    await run(plain, 2);
    await run(averaged, 2);
    expect(diff()).toBeGreaterThan(1e-6);
    plain.dispose();
    averaged.dispose();
  });
});
