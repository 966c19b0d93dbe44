/** The perceptual loss in a pix2pix session: g_loss = adv + λ·L1 + λ_p·perceptual exactly, D's update untouched by it, the classifier never trained, not in the checkpoint or the exported translator, no tensor leak. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainingConfig } from '../../../../src-main/common/training-config';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import type { PerceptualExtractor } from '../../../../src-main/engine/objectives/perceptual';
import { TranslationSession } from '../../../../src-main/engine/translate/translation-session';
import type { TranslationParts } from '../../../../src-main/engine/translate/translation-parts';
import { frozenClassifier, pairedConfig, translationData } from './helpers';

beforeAll(async () => {
  await resolveBackend('wasm');
});

const partsOf = (s: TranslationSession) => (s as unknown as { parts: TranslationParts }).parts;
const snapshot = (vars: Iterable<tf.Variable>) => [...vars].map((v) => Float32Array.from(v.dataSync()));

/** The helper's data with the seeded classifier, also for a config with the loss off (which ignores it). */
function perceptualSession(config: TrainingConfig): TranslationSession {
  return new TranslationSession({ config, data: { ...translationData(config), perceptual: frozenClassifier() } });
}

describe('paired translation with task.perceptualWeight > 0', () => {
  it('adds λ_p · perceptual to G’s loss only, and never trains the classifier or leaks a tensor', async () => {
    const s = perceptualSession(pairedConfig({ source: 'superres', l1Weight: 7, perceptualWeight: 3 }));
    try {
      const extractor = partsOf(s).perceptual as PerceptualExtractor;
      expect(extractor).not.toBeNull();
      const before = snapshot(extractor.weights);
      const counts: number[] = [];
      for (let i = 0; i < 3; i++) {
        const m = await s.step();
        counts.push(tf.memory().numTensors);
        expect(m['perceptual']).toBeGreaterThan(0);
        expect(m['g_loss']).toBeCloseTo((m['g_loss_adv'] ?? NaN) + 7 * (m['g_l1'] ?? NaN) + 3 * (m['perceptual'] ?? NaN), 4);
        expect(m['d_loss']).toBeCloseTo(m['d_loss_adv'] ?? NaN, 5);
      }
      expect(new Set(counts).size).toBe(1);
      expect(snapshot(extractor.weights)).toEqual(before);
    } finally {
      s.dispose();
    }
  });

  it("leaves D's update as it is with the loss off: the same state gives the same D after a step", async () => {
    const on = perceptualSession(pairedConfig({ source: 'inpaint', perceptualWeight: 5 }));
    const off = perceptualSession(pairedConfig({ source: 'inpaint', perceptualWeight: 0 }));
    try {
      expect(partsOf(off).perceptual).toBeNull();
      await on.step();
      // Both start the next step from the same weights, optimizer moments and streams.
      await off.importState(await on.exportState());
      const [a, b] = [await on.step(), await off.step()];
      expect(a['d_loss']).toBe(b['d_loss']);
      expect(a['d_grad_norm']).toBe(b['d_grad_norm']);
      expect(snapshot(partsOf(on).dB.trainable.values())).toEqual(snapshot(partsOf(off).dB.trainable.values()));
      // G's step did see the extra term.
      expect(b).not.toHaveProperty('perceptual');
      expect(snapshot(partsOf(on).gAB.trainable.values())).not.toEqual(snapshot(partsOf(off).gAB.trainable.values()));
    } finally {
      on.dispose();
      off.dispose();
    }
  });

  it('keeps the classifier out of the checkpoint and the exported translator', async () => {
    const on = perceptualSession(pairedConfig({ source: 'superres', perceptualWeight: 1 }));
    const off = perceptualSession(pairedConfig({ source: 'superres' }));
    try {
      const names = async (s: TranslationSession) => (await s.exportState()).tensors.map((t) => t.name);
      expect(await names(on)).toEqual(await names(off));
      const specs = async (s: TranslationSession) => (await s.exportTranslator()).artifacts.weightSpecs?.map((w) => w.name);
      expect(await specs(on)).toEqual(await specs(off));
    } finally {
      on.dispose();
      off.dispose();
    }
  });

  it('translates without the classifier but refuses to train, and refuses one of another shape, freeing what it built', async () => {
    const config = pairedConfig({ source: 'superres', perceptualWeight: 1 });
    const before = tf.memory().numTensors;
    // Try it, export and evaluation build the run's session to translate only.
    const inference = new TranslationSession({ config, data: { ...translationData(config), perceptual: null } });
    try {
      expect((await inference.translate(new Float32Array(28 * 28), 1)).length).toBe(28 * 28);
      await expect(inference.step()).rejects.toThrow(/needs the in-domain classifier of the targets' dataset/);
    } finally {
      inference.dispose();
    }
    expect(() => new TranslationSession({ config, data: { ...translationData(config), perceptual: frozenClassifier(3) } })).toThrow(/does not fit this run: the classifier takes 3 channel/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
