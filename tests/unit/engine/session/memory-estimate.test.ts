/** The model-size estimate against real training steps: resident memory exactly, a step's peak within a stated factor of tf.memory(). */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveConfigOrThrow } from '../../../../src-main/common/config-resolve';
import { estimateModelSize } from '../../../../src-main/common/model-size';
import type { PresetName } from '../../../../src-main/common/presets';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { TrainingSession, type TrainingData } from '../../../../src-main/engine/training-session';

/** The step estimate may be off by this factor either way (model-size.ts says about 20%). */
const STEP_FACTOR = 1.5;

beforeAll(async () => {
  await resolveBackend('wasm');
});

/** Deterministic images with 4 classes; pixel values do not change how much memory a step takes. */
function data(size: number, channels: 1 | 3, count = 64): TrainingData {
  const images = new Uint8Array(count * size * size * channels);
  for (let i = 0; i < images.length; i++) images[i] = (i * 7919) % 256;
  return { images, labels: Uint8Array.from({ length: count }, (_, i) => i % 4), count, size, channels, numClasses: 4 };
}

interface Case {
  label: string;
  preset?: PresetName;
  config: Record<string, unknown>;
  size: number;
  channels: 1 | 3;
}

/** After one step (so the optimizer slots exist): the bytes the session holds, and the peak of the next step above them. */
async function measure(c: Case) {
  const config = resolveConfigOrThrow({ preset: c.preset, config: { steps: 100, latentSize: 32, ...c.config } });
  const before = tf.memory().numBytes;
  const session = new TrainingSession({ config, data: data(c.size, c.channels) });
  try {
    await session.step();
    const held = tf.memory().numBytes;
    const profile = await tf.profile(async () => {
      await session.step();
    });
    return {
      resident: held - before,
      step: profile.peakBytes - held,
      estimate: estimateModelSize(config, { size: c.size, channels: c.channels, numClasses: 4 }),
    };
  } finally {
    session.dispose();
  }
}

const CASES: Case[] = [
  { label: 'DCGAN 28×28×1, batch norm, Adam', config: { batchSize: 32, model: { gWidth: 16, dWidth: 16 } }, size: 28, channels: 1 },
  { label: 'WGAN-GP 32×32×3, layer norm critic, gradient penalty', preset: 'wgan-gp', config: { batchSize: 16, model: { gWidth: 16, dWidth: 16 } }, size: 32, channels: 3 },
  { label: 'SNGAN ResNet 32×32×3, spectral norm, EMA', preset: 'sngan-hinge', config: { batchSize: 8, model: { gWidth: 8, dWidth: 8 } }, size: 32, channels: 3 },
  {
    label: 'ResNet 16×16×3, batch norm and minibatch discrimination in D, RMSProp with momentum',
    config: {
      batchSize: 32,
      model: { arch: 'resnet', gWidth: 8, dWidth: 8, dNorm: 'batch', minibatchDiscrimination: { enabled: true } },
      optimizerD: { type: 'rmsprop', momentum: 0.5 },
      optimizerG: { type: 'sgd', momentum: 0.9 },
    },
    size: 16,
    channels: 3,
  },
  {
    label: 'conditional DCGAN 32×32×3 with R1, feature matching, EMA and historical averaging',
    config: {
      batchSize: 16,
      loss: { r1Gamma: 1 },
      stabilizers: { featureMatching: { enabled: true }, ema: { enabled: true }, historicalAveraging: { gWeight: 0.1, dWeight: 0.1 } },
      model: { gWidth: 16, dWidth: 16, gConditioning: 'cbn', dConditioning: 'projection' },
    },
    size: 32,
    channels: 3,
  },
];

describe('model-size estimate against real steps', () => {
  it.each(CASES.map((c) => [c.label, c] as const))('%s', async (_, c) => {
    const { resident, step, estimate } = await measure(c);
    // Weights, state, optimizer slots, EMA and averages: every byte the session keeps between steps.
    expect(resident).toBe(estimate.bytes.weights + estimate.bytes.optimizer + estimate.bytes.copies);
    expect(step / estimate.bytes.step).toBeGreaterThan(1 / STEP_FACTOR);
    expect(step / estimate.bytes.step).toBeLessThan(STEP_FACTOR);
  });
});
