/** Quick leak checks (leaks.test.ts runs the long ones): a step on each path, grids, renders, exports, imports and refused imports leave no tensor or buffer behind, and dispose frees the rest. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import type { CheckpointState } from '../../../../src-main/engine/checkpoint-state';
import { TrainingSession } from '../../../../src-main/engine/training-session';
import { mnistData, run, tinyConfig } from './helpers';

beforeAll(async () => {
  await resolveBackend('wasm');
});

/** Live tensors and the backend's buffers (which also count our wasm kernels' temporaries). */
const held = (): [number, number] => [tf.memory().numTensors, tf.engine().backend.numDataIds()];

/** Two critic steps with every D-side term, feature matching's kept real batch, both averages, EMA from step 1, ADA every step. */
const EVERYTHING = {
  batchSize: 4,
  model: { gConditioning: 'cbn', dConditioning: 'acgan', dNorm: 'spectral' },
  loss: { type: 'wgan-gp', nCritic: 2, r1Gamma: 1 },
  stabilizers: {
    featureMatching: { enabled: true },
    historicalAveraging: { gWeight: 0.1, dWeight: 0.1, averagedDForG: true },
    instanceNoise: { std: 0.1 },
    ema: { enabled: true, halfLifeImages: 16, rampup: 0 },
  },
  augment: { flip: 0.5, diffAugment: ['color', 'translation'], ada: { enabled: true, interval: 1 } },
};
/** The other branches: a BCE loss with smoothing, one joint D call, WGAN clipping on its own. */
const BCE = { batchSize: 4, stabilizers: { labelSmoothing: { mode: 'two-sided' } }, model: { dNorm: 'none' } };
const CLIPPED = { batchSize: 4, loss: { type: 'wgan' } };

describe('no tensor outlives', () => {
  for (const [name, config] of [['every technique', EVERYTHING], ['BCE with smoothing', BCE], ['WGAN clipping', CLIPPED]] as const) {
    it(`a step (${name})`, async () => {
      const session = new TrainingSession({ config: tinyConfig(config), data: mnistData() });
      await run(session, 2);
      const after2 = held();
      await run(session, 3);
      expect(held()).toEqual(after2);
      session.dispose();
    });
  }

  it('sample grids (both, while the EMA warms up), a render of more images than one chunk, an export and a state round trip', async () => {
    const session = new TrainingSession({ config: tinyConfig(EVERYTHING), data: mnistData() });
    await run(session, 1);
    const noise = new Float32Array(70 * 8).fill(0.2);
    const labels = Int32Array.from({ length: 70 }, (_, i) => i % 10);
    // Once first: the backend keeps a few buffers of its own (kernels, pools) on first use.
    const extras = async () => {
      expect((await session.sampleGrids()).warming).toBe(true);
      await session.render(noise, labels);
      await session.exportGenerator();
      await session.importState(await session.exportState());
    };
    await extras();
    const before = held();
    await extras();
    expect(held()).toEqual(before);
    session.dispose();
  });

  it('a refused import: what it had prepared (optimizers with their slots, EMA, averages) is freed', async () => {
    const session = new TrainingSession({ config: tinyConfig(EVERYTHING), data: mnistData() });
    await run(session, 2);
    const state = await session.exportState();
    await session.importState(state);
    const before = held();
    // ADA's state is checked last, after every other part was built from the checkpoint.
    const badAda: CheckpointState = { meta: { ...state.meta, ada: { p: 'high' } }, tensors: state.tensors };
    await expect(session.importState(badAda)).rejects.toThrow(/ADA/);
    const badAverage: CheckpointState = { meta: state.meta, tensors: state.tensors.filter((t) => !t.name.startsWith('averageD/')) };
    await expect(session.importState(badAverage)).rejects.toThrow();
    expect(held()).toEqual(before);
    session.dispose();
  });

  it('dispose frees every tensor of a session that imported a state', async () => {
    const before = held();
    const session = new TrainingSession({ config: tinyConfig(EVERYTHING), data: mnistData() });
    await run(session, 1);
    await session.importState(await session.exportState());
    await run(session, 1);
    session.dispose();
    expect(held()).toEqual(before);
  });
});
