/**
 * The metric catalogue (common/metric-keys.ts) against what real training emits: short loops with
 * the techniques on (GP, R1, ADA, EMA, ACGAN, feature matching, historical averaging, instance noise,
 * the diversity evaluator, pix2pix's perceptual loss) send only catalogued keys, and between them every catalogued key.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { METRIC_KEYS, isMetricKey } from '../../../../src-main/common/metric-keys';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { tinyConfig } from '../session/helpers';
import { pairedConfig, translationData, unpairedConfig } from '../translate/helpers';
import { harness, MemoryStorage } from './memory-storage';

beforeAll(async () => {
  await resolveBackend('wasm');
});

const intervals = { metricsEvery: 1, sampleEvery: 2, checkpointEvery: 4 };
const CONFIGS = {
  'WGAN-GP with R1, ADA over DiffAugment and EMA': tinyConfig({
    steps: 4,
    intervals,
    loss: { type: 'wgan-gp', r1Gamma: 1 },
    model: { dNorm: 'layer' },
    augment: { diffAugment: ['color', 'translation'], ada: { enabled: true, interval: 1 } },
    stabilizers: { ema: { enabled: true } },
  }),
  'ACGAN with feature matching, historical averaging and instance noise': tinyConfig({
    steps: 4,
    intervals,
    model: { gConditioning: 'cbn', dConditioning: 'acgan' },
    stabilizers: { featureMatching: { enabled: true }, historicalAveraging: { gWeight: 1, dWeight: 1 }, instanceNoise: { std: 0.1 } },
  }),
  'progressive growing from 14 × 14': tinyConfig({ steps: 4, intervals, progressive: { enabled: true, startSize: 14, phaseImages: 8, fadeImages: 8 } }),
  'paired inpainting (pix2pix) with instance noise and the perceptual loss': pairedConfig({ source: 'inpaint', perceptualWeight: 1 }, { steps: 4, intervals, stabilizers: { instanceNoise: { std: 0.1 } } }),
  'unpaired translation (CycleGAN)': unpairedConfig({}, { steps: 4, intervals }),
};

/** Every key of every metric point the loop sent the host during a whole run. */
async function emittedKeys(config: (typeof CONFIGS)[keyof typeof CONFIGS]): Promise<Set<string>> {
  const h = harness();
  const { a, ...extras } = translationData(config);
  await h.loop.run({ runId: 'run_catalogue', config, threads: 1, backend: 'wasm' }, a, new MemoryStorage(), config.task.kind === 'generate' ? null : extras);
  expect(h.sent.at(-1)).toMatchObject({ type: 'finished', status: 'completed' });
  const keys = new Set<string>();
  for (const m of h.sent) if (m.type === 'metrics') for (const p of m.points) for (const k of Object.keys(p.values)) keys.add(k);
  return keys;
}

describe('the metric catalogue', () => {
  it('holds every key short real runs emit, and every key it holds is emitted by one of them', async () => {
    const all = new Set<string>();
    for (const [name, config] of Object.entries(CONFIGS)) {
      const keys = await emittedKeys(config);
      expect([...keys].filter((k) => !isMetricKey(k)), name).toEqual([]);
      for (const k of keys) all.add(k);
    }
    expect([...all].sort()).toEqual([...METRIC_KEYS].sort());
  });
});
