/** The model-size estimate of translation runs: the U-Net's and PatchGAN's parameters exactly, and a step's peak within a stated factor of tf.memory(). */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { estimateModelSize } from '../../../../src-main/common/model-size';
import { patchGanSize, translationNetSizes, unetSize } from '../../../../src-main/common/translator-size';
import type { TrainingConfig } from '../../../../src-main/common/training-config';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { buildPatchGan, buildUnet } from '../../../../src-main/engine/nets';
import { counted } from '../nets/helpers';
import { pairedConfig, session, unpairedConfig } from './helpers';

/** As for generate runs (session/memory-estimate.test.ts): the step estimate may be off by this factor either way. */
const STEP_FACTOR = 1.5;

beforeAll(async () => {
  await resolveBackend('wasm');
});

describe('translator sizes against the real nets', () => {
  it('counts every U-Net variable: sizes, depths, widths, channels, each norm and spectral norm', () => {
    for (const [size, depth] of [[16, null], [28, null], [32, 2], [64, null]] as const) {
      for (const [norm, spectral] of [['batch', false], ['instance', false], ['none', false], ['none', true]] as const) {
        const shape = { size, inChannels: 4, outChannels: 3, width: 6, depth, norm, spectral };
        const { trainable, state } = unetSize(shape);
        expect({ trainable, state }, `${size} ${depth} ${norm} ${spectral}`).toEqual(counted(buildUnet({ ...shape, seed: 1, name: 'generator' })));
      }
    }
  });

  it('counts every PatchGAN variable: one, two and three stride-2 layers, each norm and spectral norm', () => {
    for (const size of [28, 64, 128, 256]) {
      for (const [norm, spectral] of [['batch', false], ['instance', false], ['none', false], ['none', true]] as const) {
        const shape = { size, inChannels: 5, width: 4, norm, spectral };
        const { trainable, state } = patchGanSize(shape);
        expect({ trainable, state }, `${size} ${norm} ${spectral}`).toEqual(counted(buildPatchGan({ ...shape, seed: 1, name: 'discriminator' })));
      }
    }
  });

  it('sums both directions of an unpaired run and gives a paired critic the input beside the output', () => {
    const paired = translationNetSizes(pairedConfig({ source: 'inpaint' }), { size: 28, channels: 1 });
    const unpaired = translationNetSizes(unpairedConfig(), { size: 28, channels: 1 });
    const config = pairedConfig();
    const u = (inChannels: number) => unetSize({ size: 28, inChannels, outChannels: 1, width: config.model.gWidth, depth: config.model.depth, norm: 'batch', spectral: false });
    expect(paired.g.trainable).toBe(u(2).trainable);
    expect(unpaired.g.trainable).toBe(2 * u(1).trainable);
    expect(paired.d.trainable).toBeGreaterThan(unpaired.d.trainable / 2);
  });
});

async function measure(config: TrainingConfig) {
  const before = tf.memory().numBytes;
  const s = session(config);
  try {
    await s.step();
    const held = tf.memory().numBytes;
    const profile = await tf.profile(async () => {
      await s.step();
    });
    return { resident: held - before, step: profile.peakBytes - held, estimate: estimateModelSize(config, { size: 28, channels: 1, numClasses: 0 }) };
  } finally {
    s.dispose();
  }
}

describe('the estimate of a translation run against real steps', () => {
  const cases: [string, TrainingConfig][] = [
    ['paired super-resolution, batch norm, batch 16', pairedConfig({ source: 'superres' }, { batchSize: 16, model: { gWidth: 16, dWidth: 16 } })],
    ['paired inpainting, instance norm, EMA, batch 8', pairedConfig({ source: 'inpaint' }, { batchSize: 8, model: { gWidth: 16, dWidth: 16, gNorm: 'instance', dNorm: 'instance' }, stabilizers: { ema: { enabled: true } } })],
    ['unpaired, spectral D, batch 8', unpairedConfig({}, { batchSize: 8, model: { gWidth: 16, dWidth: 16, dNorm: 'spectral' } })],
  ];
  for (const [label, config] of cases) {
    it(`${label}: the resident tensors exactly, the step's peak within ×${STEP_FACTOR}`, async () => {
      const { resident, step, estimate } = await measure(config);
      console.log(`${label}: step peak ${step} bytes, estimated ${estimate.bytes.step}`);
      // CycleGAN's pools of past fakes are plain arrays, outside tf.memory(): 2 pools × poolSize images × 28·28 floats.
      const pools = config.task.kind === 'unpaired' ? 2 * config.task.poolSize * 28 * 28 * 4 : 0;
      expect(resident).toBe(estimate.bytes.weights + estimate.bytes.optimizer + estimate.bytes.copies - pools);
      expect(estimate.bytes.step / step).toBeLessThan(STEP_FACTOR);
      expect(step / estimate.bytes.step).toBeLessThan(STEP_FACTOR);
    });
  }
});
