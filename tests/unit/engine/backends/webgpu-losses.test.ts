/**
 * One configuration per loss family trains on webgpu exactly as on the cpu backend (SwiftShader's
 * Vulkan here, a real GPU elsewhere). The whole technique matrix is `npm run test:webgpu`.
 */
import { beforeAll, describe, it } from 'vitest';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { webgpuAdapterForTests } from '../../../fixtures/webgpu-env';
import { tinyConfig } from '../session/helpers';
import { expectSameAsCpu } from './webgpu-parity';

const adapter = await webgpuAdapterForTests();

/** Each family's own setup, as its preset has it, on nets small enough for a software GPU. */
const FAMILIES: Record<string, Record<string, unknown>> = {
  'non-saturating (DCGAN, batch norm in G)': { loss: { type: 'non-saturating' } },
  'minimax': { loss: { type: 'minimax' }, stabilizers: { labelSmoothing: { mode: 'one-sided' } } },
  'WGAN with weight clipping, 2 critic steps, RMSProp': { loss: { type: 'wgan', clipValue: 0.01, nCritic: 2 }, optimizerG: { type: 'rmsprop' }, optimizerD: { type: 'rmsprop' } },
  'WGAN-GP (layer norm critic, double backprop)': { model: { dNorm: 'layer' }, loss: { type: 'wgan-gp', nCritic: 2 } },
  'hinge (spectral norm in D; ResNet is in the matrix)': { model: { dNorm: 'spectral' }, loss: { type: 'hinge' } },
  'least squares': { loss: { type: 'lsgan' } },
  'R1 on reals (double backprop)': { loss: { type: 'non-saturating', r1Gamma: 4 } },
};

describe.skipIf(adapter === null)(`webgpu matches the cpu backend, one config per loss family (${adapter?.description ?? 'no adapter'})`, () => {
  beforeAll(async () => {
    await resolveBackend('webgpu');
  });
  for (const [family, config] of Object.entries(FAMILIES)) {
    it(family, async () => {
      await expectSameAsCpu(tinyConfig(config));
    });
  }
});
