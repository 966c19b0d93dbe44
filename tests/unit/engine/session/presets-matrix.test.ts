/** Every preset × architecture × D normalization trains 10 steps on real MNIST: finite metrics, every weight of G and D moves. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveConfig } from '../../../../src-main/common/config-resolve';
import { PRESET_NAMES } from '../../../../src-main/common/presets';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { tinyConfig, trainsAndLearns } from './helpers';

const ARCHS = ['dcgan', 'resnet'] as const;
const D_NORMS = ['none', 'batch', 'layer', 'instance', 'spectral'] as const;

beforeAll(async () => {
  await resolveBackend('wasm');
});

describe('every preset × architecture × D normalization', () => {
  for (const preset of PRESET_NAMES) {
    for (const arch of ARCHS) {
      for (const dNorm of D_NORMS) {
        const overrides = { model: { arch, dNorm } };
        // Only what the schema itself refuses is skipped (weight clipping or the gradient penalty with batch norm in the critic).
        const refused = !resolveConfig({ preset, config: { model: { arch, dNorm } } }).ok;
        it.skipIf(refused)(`${preset} / ${arch} / D ${dNorm}`, async () => {
          const config = tinyConfig(overrides, preset);
          const start = tf.memory().numTensors;
          const { session, metrics } = await trainsAndLearns(config);
          const keys = Object.keys(metrics[0] ?? {});
          expect(keys).toEqual(expect.arrayContaining(['d_loss', 'g_loss', 'd_loss_adv', 'g_loss_adv', 'd_real', 'd_fake', 'g_grad_norm', 'd_grad_norm', 'lr_g', 'lr_d']));
          expect(keys.includes('gp')).toBe(config.loss.type === 'wgan-gp');
          expect(keys.includes('aug_p')).toBe(config.augment.ada.enabled);
          if (config.loss.type === 'wgan') {
            // Weight clipping after every critic update.
            for (const v of session.discriminator.trainable.values()) {
              const largest = tf.tidy(() => tf.max(tf.abs(v)).dataSync()[0]);
              expect(largest).toBeLessThanOrEqual(config.loss.clipValue);
            }
          }
          await session.sampleGrid();
          session.dispose();
          expect(tf.memory().numTensors).toBe(start);
        });
      }
    }
  }

  it('the schema refuses exactly the critic-with-batch-norm combinations', () => {
    const refused = PRESET_NAMES.flatMap((preset) => D_NORMS.filter((dNorm) => !resolveConfig({ preset, config: { model: { dNorm } } }).ok).map((d) => `${preset}/${d}`));
    expect(refused).toEqual(['wgan/batch', 'wgan-gp/batch']);
  });
});
