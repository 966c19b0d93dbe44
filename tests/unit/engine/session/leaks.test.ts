/** No tensor outlives its step: the live tensor count and the backend's data ids (which also count the temporaries of our wasm kernels) after step 20 equal those after step 200, with every technique's code path on. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { TrainingSession } from '../../../../src-main/engine/training-session';
import { expectFinite, mnistData, tinyConfig } from './helpers';

beforeAll(async () => {
  await resolveBackend('wasm');
});

/** Buffers the backend holds, tensors or not: a kernel's temporary that is never freed shows here only. */
const dataIds = (): number => tf.engine().backend.numDataIds();

/** Everything with state or temporaries: conditioning, ACGAN, smoothing, FM, both averaging readings, EMA, noise, augmentation, ADA. */
const BCE_EVERYTHING = {
  batchSize: 4,
  model: { gConditioning: 'cbn', dConditioning: 'acgan', dNorm: 'spectral', minibatchStddev: true },
  loss: { r1Gamma: 1 },
  stabilizers: {
    labelSmoothing: { mode: 'two-sided' },
    featureMatching: { enabled: true },
    historicalAveraging: { gWeight: 0.1, dWeight: 0.1, averagedDForG: true },
    instanceNoise: { std: 0.1, annealSteps: 100 },
    ema: { enabled: true },
  },
  augment: { flip: 0.5, translation: { p: 0.5 }, diffAugment: ['color', 'translation', 'cutout'], ada: { enabled: true, interval: 2, speedImages: 200 } },
  optimizerG: { gradClip: 1, schedule: 'cosine' },
};

/** The Wasserstein side: two critic steps, gradient penalty, clipping-free critic, projection, RMSProp with momentum. */
const WASSERSTEIN = {
  batchSize: 4,
  model: { gConditioning: 'embedding', dConditioning: 'projection', dNorm: 'layer', minibatchDiscrimination: { enabled: false } },
  loss: { type: 'wgan-gp', nCritic: 2 },
  optimizerD: { type: 'rmsprop', momentum: 0.5 },
  optimizerG: { type: 'sgd', momentum: 0.9, schedule: 'linear' },
};

describe('tensor leaks', () => {
  for (const [name, config] of [['every BCE-side technique', BCE_EVERYTHING], ['WGAN-GP with two critic steps', WASSERSTEIN]] as const) {
    it(`${name}: numTensors and numDataIds after step 20 == after step 200, also around grids, renders, exports and state round-trips`, async () => {
      const session = new TrainingSession({ config: tinyConfig(config), data: mnistData() });
      const noise = new Float32Array(3 * 8).fill(0.3);
      const labels = Int32Array.from([0, 1, 2]);
      const extras = async () => {
        await session.sampleGrid();
        await session.render(noise, labels);
        await session.exportGenerator();
        await session.importState(await session.exportState());
      };
      const last: Record<string, number>[] = [];
      for (let i = 0; i < 20; i++) last.push(await session.step());
      await extras();
      const at20 = tf.memory().numTensors;
      const ids20 = dataIds();
      for (let i = 20; i < 200; i++) {
        const m = await session.step();
        if (i % 60 === 0) await extras();
        if (i >= 195) last.push(m);
      }
      await extras();
      expect(session.stepCount).toBe(200);
      expect(tf.memory().numTensors).toBe(at20);
      expect(dataIds()).toBe(ids20);
      expectFinite(last);
      session.dispose();
    });
  }

  it('dispose frees every tensor the session made', async () => {
    const before = tf.memory().numTensors;
    const idsBefore = dataIds();
    const session = new TrainingSession({ config: tinyConfig(BCE_EVERYTHING), data: mnistData() });
    await session.step();
    session.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(dataIds()).toBe(idsBefore);
    await expect(session.step()).rejects.toThrow(/disposed/);
  });
});
