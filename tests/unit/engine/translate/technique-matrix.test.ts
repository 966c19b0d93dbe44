/**
 * Every stabilization technique that applies trains with the translation tasks: a few steps each, finite
 * metrics, both nets moving, nothing leaking. `npm test` trains one configuration per loss type, each
 * with a different task and technique set; `npm run test:matrix` (TRANSLATION_MATRIX=full) trains every
 * task × loss × normalization with every technique set.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOSS_FAMILIES, LOSS_TYPES, type LossType } from '../../../../src-main/common/loss-families';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { expectFinite } from '../session/helpers';
import { pairedConfig, session, unpairedConfig } from './helpers';

beforeAll(async () => {
  await resolveBackend('wasm');
});

const TASKS = {
  inpaint: (extra: Record<string, unknown>) => pairedConfig({ source: 'inpaint', mask: 'strokes' }, extra),
  superres: (extra: Record<string, unknown>) => pairedConfig({ source: 'superres', scale: 2, filter: 'area' }, extra),
  pairs: (extra: Record<string, unknown>) => pairedConfig({ source: 'pairs', datasetB: 'ds_b' }, extra),
  unpaired: (extra: Record<string, unknown>) => unpairedConfig({ poolSize: 4 }, extra),
} as const;
type Task = keyof typeof TASKS;

/** The techniques of a configuration beside its loss: each set turns several on at once. */
function techniques(loss: LossType, set: number): Record<string, unknown> {
  const bce = LOSS_FAMILIES[loss].labelSmoothing;
  const sets: Record<string, unknown>[] = [
    { stabilizers: { ema: { enabled: true, halfLifeImages: 16 } }, augment: { diffAugment: ['color', 'translation', 'cutout'] } },
    { stabilizers: { instanceNoise: { std: 0.1, annealSteps: 4 }, ...(bce ? { labelSmoothing: { mode: 'two-sided' } } : {}) }, loss: { r1Gamma: loss === 'wgan-gp' ? 0 : 1, nCritic: 2 } },
    { optimizerD: { lr: 4e-4, type: 'rmsprop' }, optimizerG: { gradClip: 1, schedule: 'linear' }, augment: { flip: 0.5, translation: { p: 0.5 } } },
  ];
  return sets[set % sets.length]!;
}

const NORMS = [
  { gNorm: 'batch', dNorm: 'none' },
  { gNorm: 'instance', dNorm: 'instance' },
  { gNorm: 'none', dNorm: 'spectral' },
] as const;

interface Case {
  name: string;
  task: Task;
  loss: LossType;
  norm: (typeof NORMS)[number];
  set: number;
}

const full = process.env['TRANSLATION_MATRIX'] === 'full';
const taskNames = Object.keys(TASKS) as Task[];
const cases: Case[] = full
  ? taskNames.flatMap((task) => LOSS_TYPES.flatMap((loss) => NORMS.flatMap((norm, n) => [0, 1, 2].map((set) => ({ name: `${task} ${loss} ${norm.gNorm}/${norm.dNorm} set ${set}`, task, loss, norm, set: set + n })))))
  : LOSS_TYPES.map((loss, i) => ({ name: `${taskNames[i % taskNames.length]} ${loss}`, task: taskNames[i % taskNames.length]!, loss, norm: NORMS[i % NORMS.length]!, set: i }));

describe(`translation techniques (${full ? 'full matrix' : 'one configuration per loss'})`, () => {
  it.each(cases)('$name trains: finite metrics, both nets move, no leak', async ({ task, loss, norm, set }) => {
    const extra = techniques(loss, set);
    // Weight clipping and the gradient penalty refuse batch norm in the critic; the configs here keep it out.
    const config = TASKS[task]({ ...extra, steps: 4, model: { ...norm }, loss: { type: loss, ...((extra['loss'] as object | undefined) ?? {}) } });
    const s = session(config);
    try {
      const parts = (s as unknown as { parts: { gAB: { trainable: Map<string, tf.Variable> }; dB: { trainable: Map<string, tf.Variable> } } }).parts;
      const snapshot = () => [...parts.gAB.trainable.values(), ...parts.dB.trainable.values()].map((v) => Float32Array.from(v.dataSync()));
      const before = snapshot();
      expectFinite([await s.step()]);
      const tensors = tf.memory().numTensors;
      const metrics = [await s.step(), await s.step()];
      expectFinite(metrics);
      expect(tf.memory().numTensors).toBe(tensors);
      const after = snapshot();
      const moved = before.map((b, i) => b.some((v, k) => v !== after[i]![k]));
      const gCount = parts.gAB.trainable.size;
      expect(moved.slice(0, gCount).some(Boolean), 'G moved').toBe(true);
      expect(moved.slice(gCount).some(Boolean), 'D moved').toBe(true);
    } finally {
      s.dispose();
    }
  });
});
