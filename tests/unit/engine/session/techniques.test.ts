/** Each technique of the config trains on real MNIST and demonstrably acts: conditioning, smoothing, feature matching, averaging, minibatch features, noise, EMA, penalties. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { TrainingSession } from '../../../../src-main/engine/training-session';
import { mnistData, run, tinyConfig, trainsAndLearns, unlabelledData } from './helpers';

beforeAll(async () => {
  await resolveBackend('wasm');
});

const close = (a: number | undefined, b: number | undefined, digits = 5) => expect(a).toBeCloseTo(b ?? Number.NaN, digits);

describe('class conditioning', () => {
  for (const g of ['cbn', 'embedding'] as const) {
    for (const d of ['projection', 'acgan'] as const) {
      it(`G ${g} × D ${d}: trains, and the class changes the image`, async () => {
        const config = tinyConfig({ model: { gConditioning: g, dConditioning: d } });
        const { session, metrics } = await trainsAndLearns(config);
        expect(Object.keys(metrics[0]!).includes('d_acgan')).toBe(d === 'acgan');
        expect(Object.keys(metrics[0]!).includes('g_acgan')).toBe(d === 'acgan');
        // One noise vector, two classes (inference mode, as samples are drawn).
        const images = tf.tidy(() => session.generator.apply(tf.fill([2, config.latentSize], 0.5), tf.tensor1d([3, 7], 'int32'), false).dataSync());
        const differences = Array.from({ length: 28 * 28 }, (_, i) => Math.abs(images[i]! - images[28 * 28 + i]!));
        expect(Math.max(...differences)).toBeGreaterThan(1e-6);
        const noise = new Float32Array(2 * config.latentSize).fill(0.5);
        expect((await session.render(noise, Int32Array.from([3, 7]))).width).toBe(2 * 28);
        await expect(session.render(noise, null)).rejects.toThrow(/class-conditional/);
        await expect(session.render(noise, Int32Array.from([3, 10]))).rejects.toThrow(/not an integer in \[0, 10\)/);
        session.dispose();
      });
    }
  }

  it('refuses a conditional D with an unconditional G, naming both fields (G would never see the labels D judges by)', () => {
    for (const dConditioning of ['projection', 'acgan']) {
      expect(() => tinyConfig({ model: { dConditioning } })).toThrow(
        `config.model.gConditioning: a class-conditional D (model.dConditioning ${dConditioning}) needs a class-conditional G: set model.gConditioning to cbn or embedding, or model.dConditioning to none`,
      );
    }
  });

  it('refuses a dataset without class folders, and says so', () => {
    const config = tinyConfig({ model: { gConditioning: 'cbn' } });
    expect(() => new TrainingSession({ config, data: unlabelledData() })).toThrow('conditional training needs a dataset with class folders');
  });

  it('ACGAN: d_loss is the adversarial loss plus acganWeight times the class cross-entropy', async () => {
    const config = tinyConfig({ model: { gConditioning: 'embedding', dConditioning: 'acgan', acganWeight: 0.5 } });
    const session = new TrainingSession({ config, data: mnistData() });
    for (const m of (await run(session, 3))) {
      close(m['d_loss'], m['d_loss_adv']! + 0.5 * m['d_acgan']!);
      close(m['g_loss'], m['g_loss_adv']! + 0.5 * m['g_acgan']!);
      // At the start the 10-way classifier is near chance: cross-entropy ≈ ln 10 per term.
      expect(m['g_acgan']).toBeGreaterThan(1);
    }
    session.dispose();
  });
});

describe('label smoothing', () => {
  it('one-sided: the first D loss is BCE with target 0.9 for reals, i.e. 0.1·mean D(x) above the hard loss', async () => {
    const hard = new TrainingSession({ config: tinyConfig(), data: mnistData() });
    const { session, metrics } = await trainsAndLearns(tinyConfig({ stabilizers: { labelSmoothing: { mode: 'one-sided', realTarget: 0.9 } } }));
    const first = await hard.step();
    // Same seed, same first forward pass: BCE(x, 0.9) − BCE(x, 1) = 0.1·x on average.
    close(metrics[0]!['d_real'], first['d_real'], 6);
    close(metrics[0]!['d_loss_adv']! - first['d_loss_adv']!, 0.1 * first['d_real']!);
    [hard, session].forEach((s) => s.dispose());
  });

  it('two-sided: random soft targets on both sides; D’s first outputs equal the hard run’s, its updates do not', async () => {
    const hard = new TrainingSession({ config: tinyConfig(), data: mnistData() });
    const { session, metrics } = await trainsAndLearns(tinyConfig({ stabilizers: { labelSmoothing: { mode: 'two-sided' } } }));
    const reference = await run(hard, 3);
    close(metrics[0]!['d_real'], reference[0]!['d_real'], 6);
    expect(metrics[0]!['d_loss_adv']).not.toBe(reference[0]!['d_loss_adv']);
    expect(metrics[2]!['d_real']).not.toBeCloseTo(reference[2]!['d_real']!, 4);
    [hard, session].forEach((s) => s.dispose());
  });
});

describe('feature matching', () => {
  it('adds the weighted ‖E f(x) − E f(G(z))‖² to G’s loss; adversarialWeight 0 leaves only it', async () => {
    const { session, metrics } = await trainsAndLearns(tinyConfig({ stabilizers: { featureMatching: { enabled: true, weight: 2, adversarialWeight: 0.5 } } }));
    for (const m of metrics) {
      expect(m['fm']).toBeGreaterThan(0);
      close(m['g_loss'], 0.5 * m['g_loss_adv']! + 2 * m['fm']!);
    }
    session.dispose();
    const only = new TrainingSession({ config: tinyConfig({ stabilizers: { featureMatching: { enabled: true, adversarialWeight: 0 } } }), data: mnistData() });
    for (const m of (await run(only, 3))) close(m['g_loss'], m['fm']);
    only.dispose();
  });
});

describe('historical averaging', () => {
  it('(a) penalties λ‖θ − θ̄‖² on both nets (θ̄ from the initial weights on): zero at the first update, then part of each loss', async () => {
    const { session, metrics } = await trainsAndLearns(tinyConfig({ stabilizers: { historicalAveraging: { gWeight: 0.5, dWeight: 2 } } }));
    expect(metrics[0]!['ha_d']).toBe(0);
    expect(metrics[0]!['ha_g']).toBe(0);
    close(metrics[0]!['d_loss'], metrics[0]!['d_loss_adv']);
    for (const m of metrics.slice(1)) {
      expect(m['ha_d']).toBeGreaterThan(0);
      expect(m['ha_g']).toBeGreaterThan(0);
      close(m['d_loss'], m['d_loss_adv']! + 2 * m['ha_d']!);
      close(m['g_loss'], m['g_loss_adv']! + 0.5 * m['ha_g']!);
    }
    session.dispose();
  });

  it('(b) G’s update goes through D with averaged parameters; D keeps its live weights and state', async () => {
    const model = { dNorm: 'spectral' };
    const live = new TrainingSession({ config: tinyConfig({ model }), data: mnistData() });
    const averaged = new TrainingSession({ config: tinyConfig({ model, stabilizers: { historicalAveraging: { averagedDForG: true } } }), data: mnistData() });
    const reference = await live.step();
    const first = await averaged.step();
    // Same D step (same draws, no penalty); G's loss comes from D at (θ_D0 + θ_D1)/2 instead of θ_D1.
    close(first['d_loss'], reference['d_loss'], 6);
    expect(first['g_loss']).not.toBeCloseTo(reference['g_loss']!, 6);
    // After the G step, D's weights are exactly the live run's: the swap left no trace.
    const values = (s: TrainingSession) => [...s.discriminator.trainable.values()].map((v) => Array.from(v.dataSync()));
    expect(values(averaged)).toEqual(values(live));
    [live, averaged].forEach((s) => s.dispose());
    (await trainsAndLearns(tinyConfig({ model, stabilizers: { historicalAveraging: { averagedDForG: true } } }))).session.dispose();
  });
});

describe('minibatch features in D', () => {
  /** D's logit for the first MNIST digit, judged in a batch with the digits `others` (inference mode: no batch statistics). */
  function logitAmong(session: TrainingSession, others: number[]): number {
    const data = mnistData();
    const px = data.size * data.size;
    const pixels = [0, ...others].flatMap((i) => Array.from(data.images.subarray(i * px, (i + 1) * px), (v) => v / 127.5 - 1));
    return tf.tidy(() => session.discriminator.apply(tf.tensor4d(pixels, [1 + others.length, data.size, data.size, 1]), null, false).logits.dataSync()[0]!);
  }
  const minibatchCases = [
    ['minibatch standard deviation', { minibatchStddev: true }],
    ['minibatch discrimination', { minibatchDiscrimination: { enabled: true, kernels: 5, kernelDim: 3 } }],
  ] as const;
  for (const [name, model] of minibatchCases) {
    it(`${name}: D's verdict on an image depends on the rest of its batch (a batch of copies vs a varied one), as it does not without`, async () => {
      const { session } = await trainsAndLearns(tinyConfig({ model }), 3);
      const plain = new TrainingSession({ config: tinyConfig(), data: mnistData() });
      await run(plain, 3);
      expect(Math.abs(logitAmong(session, [0, 0, 0]) - logitAmong(session, [1, 2, 3]))).toBeGreaterThan(1e-5);
      expect(logitAmong(plain, [0, 0, 0])).toBeCloseTo(logitAmong(plain, [1, 2, 3]), 6);
      if ('minibatchDiscrimination' in model) expect(session.discriminator.trainable.has('minibatchDiscrimination/T')).toBe(true);
      [session, plain].forEach((s) => s.dispose());
    });
  }
  it('both with batch norm in D on a ResNet, and both with R1 and layer norm', async () => {
    const mbd = { minibatchStddev: true, minibatchDiscrimination: { enabled: true, kernels: 4, kernelDim: 2 } };
    (await trainsAndLearns(tinyConfig({ model: { arch: 'resnet', dNorm: 'batch', ...mbd } }))).session.dispose();
    (await trainsAndLearns(tinyConfig({ model: { arch: 'resnet', dNorm: 'layer', ...mbd }, loss: { r1Gamma: 1 } }))).session.dispose();
  });
  it('refuses R1 with batch norm in D, as the gradient penalty is refused: the penalty is per sample', () => {
    expect(() => tinyConfig({ model: { dNorm: 'batch' }, loss: { r1Gamma: 1 } })).toThrow(
      'config.model.dNorm: R1 is a per-sample penalty; batch norm in D mixes the samples it differentiates',
    );
    expect(() => tinyConfig({ model: { dNorm: 'batch' }, loss: { r1Gamma: 0 } })).not.toThrow();
  });
});

describe('instance noise', () => {
  it('σ anneals linearly to zero, and the noise changes what D sees', async () => {
    const { session, metrics } = await trainsAndLearns(tinyConfig({ stabilizers: { instanceNoise: { std: 0.5, annealSteps: 4 } } }));
    expect(metrics.map((m) => m['instance_noise'])).toEqual([0.5, 0.375, 0.25, 0.125, 0, 0, 0, 0, 0, 0]);
    const clean = new TrainingSession({ config: tinyConfig(), data: mnistData() });
    const noisy = new TrainingSession({ config: tinyConfig({ stabilizers: { instanceNoise: { std: 0.5 } } }), data: mnistData() });
    expect((await noisy.step())['d_real']).not.toBeCloseTo((await clean.step())['d_real']!, 4);
    [session, clean, noisy].forEach((s) => s.dispose());
  });
});

describe('EMA of G', () => {
  it('samples and exports with the averaged weights, which differ from the live ones', async () => {
    const config = tinyConfig({ stabilizers: { ema: { enabled: true, halfLifeImages: 80 } } });
    const { session } = await trainsAndLearns(config);
    const noOther = new TrainingSession({ config: tinyConfig(), data: mnistData() });
    (await run(noOther, 10));
    // The live G of the EMA run equals the plain run's G (EMA only reads), its samples do not.
    expect(session.generator.trainable.get('toImage/kernel')!.dataSync()).toEqual(noOther.generator.trainable.get('toImage/kernel')!.dataSync());
    expect((await session.sampleGrid()).pixels).not.toEqual((await noOther.sampleGrid()).pixels);
    // The exported LayersModel reproduces render(), which uses the EMA weights.
    const noise = new Float32Array(config.latentSize * 2).map((_, i) => Math.sin(i));
    const rendered = await session.render(noise, null, 2);
    const { artifacts } = await session.exportGenerator();
    const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    const predicted = tf.tidy(() => model.predict(tf.tensor2d(noise, [2, config.latentSize])) as tf.Tensor4D);
    const bytes = Array.from(predicted.dataSync(), (v) => Math.min(255, Math.max(0, Math.round((v + 1) * 127.5))));
    predicted.dispose();
    model.dispose();
    const cells = [0, 1].flatMap((c) => Array.from({ length: 28 * 28 }, (_, i) => rendered.pixels[Math.floor(i / 28) * 56 + c * 28 + (i % 28)]!));
    const worst = Math.max(...cells.map((v, i) => Math.abs(v - bytes[i]!)));
    expect(worst).toBeLessThanOrEqual(1);
    [session, noOther].forEach((s) => s.dispose());
  });
});

describe('losses and penalties', () => {
  it('WGAN-GP: d_loss = adversarial + λ·GP', async () => {
    const session = new TrainingSession({ config: tinyConfig({ model: { dNorm: 'layer' }, loss: { type: 'wgan-gp', gpWeight: 10, nCritic: 2 } }), data: mnistData() });
    for (const m of (await run(session, 3))) {
      expect(m['gp']).toBeGreaterThan(0);
      close(m['d_loss'], m['d_loss_adv']! + 10 * m['gp']!, 4);
    }
    session.dispose();
  });

  it('R1 with any loss: d_loss = adversarial + γ/2·R1', async () => {
    const { session, metrics } = await trainsAndLearns(tinyConfig({ loss: { type: 'hinge', r1Gamma: 4 } }));
    for (const m of metrics) close(m['d_loss'], m['d_loss_adv']! + 2 * m['r1']!, 4);
    session.dispose();
    // A large γ makes the weight of R1 visible in d_loss: γ/2, not 2γ nor γ.
    const large = await trainsAndLearns(tinyConfig({ loss: { type: 'hinge', r1Gamma: 1000 } }));
    for (const m of large.metrics) {
      expect(500 * m['r1']!).toBeGreaterThan(1e-3);
      close(m['d_loss'], m['d_loss_adv']! + 500 * m['r1']!, 4);
    }
    large.session.dispose();
  });

  it('n_critic: D updates nCritic times per generator step', async () => {
    const session = new TrainingSession({ config: tinyConfig({ loss: { type: 'lsgan', nCritic: 3 } }), data: mnistData() });
    (await run(session, 4));
    const meta = (await session.exportState()).meta as { optimizerD: { iterations: number }; optimizerG: { iterations: number } };
    expect(meta.optimizerD.iterations).toBe(12);
    expect(meta.optimizerG.iterations).toBe(4);
    session.dispose();
  });
});
