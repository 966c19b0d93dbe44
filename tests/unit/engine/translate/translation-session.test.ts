/** TranslationSession on real MNIST: the pix2pix and CycleGAN losses add up as the config weights them, each term acts on the nets it should, samples are triplets, validation measures against the baseline, state resumes bit for bit, nothing leaks. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { GRID_BORDER } from '../../../../src-main/common/grid-layout';
import type { MetricValues } from '../../../../src-main/engine/session/metrics';
import { TranslationSession } from '../../../../src-main/engine/translate/translation-session';
import { drawBatch } from '../../../../src-main/engine/translate/critic-step';
import { expectFinite } from '../session/helpers';
import { pairedConfig, session, translationData, unpairedConfig } from './helpers';

beforeAll(async () => {
  await resolveBackend('wasm');
});

async function steps(s: TranslationSession, n: number): Promise<MetricValues[]> {
  const out: MetricValues[] = [];
  for (let i = 0; i < n; i++) out.push(await s.step());
  return out;
}

describe('paired translation (pix2pix)', () => {
  it('weights the L1 to the target by task.l1Weight in g_loss, for each source', async () => {
    for (const source of ['superres', 'inpaint'] as const) {
      const s = session(pairedConfig({ source, l1Weight: 7 }));
      try {
        const m = await steps(s, 2);
        expectFinite(m);
        for (const v of m) expect(v['g_loss']).toBeCloseTo((v['g_loss_adv'] ?? NaN) + 7 * (v['g_l1'] ?? NaN), 4);
        // The L1 is G's alone: D's loss is its adversarial term.
        for (const v of m) expect(v['d_loss']).toBeCloseTo(v['d_loss_adv'] ?? NaN, 5);
        expect(Object.keys(m[0] ?? {})).toEqual(expect.arrayContaining(['d_loss', 'd_loss_adv', 'd_real', 'd_fake', 'g_loss', 'g_loss_adv', 'g_l1', 'g_grad_norm', 'd_grad_norm', 'lr_g', 'lr_d']));
        expect(m[0]).not.toHaveProperty('cycle');
      } finally {
        s.dispose();
      }
    }
  });

  it("conditions D on G's input: D reads the input's channels beside the image's", () => {
    const s = session(pairedConfig({ source: 'inpaint' }));
    try {
      // Inpainting's input is the holed digit and its mask (2 channels); the image 1 more.
      expect(s.inputChannels).toBe(2);
      const parts = (s as unknown as { parts: { dB: { trainable: Map<string, tf.Variable> }; gAB: { trainable: Map<string, tf.Variable> } } }).parts;
      expect(parts.dB.trainable.get('layer0/conv/kernel')?.shape[2]).toBe(3);
      expect(parts.gAB.trainable.get('down0/conv/kernel')?.shape[2]).toBe(2);
    } finally {
      s.dispose();
    }
  });

  it('draws triplet samples: input, output and target side by side for each validation row', async () => {
    const s = session(pairedConfig({ source: 'superres' }, { sampleGridSize: 3 }));
    try {
      const { grid, warming } = await s.sampleGrids();
      expect(warming).toBe(false);
      expect(grid.width).toBe(3 * 28 + 4 * GRID_BORDER);
      expect(grid.height).toBe(3 * 28 + 4 * GRID_BORDER);
      // The third column is the target, the first validation digit exactly.
      const digit = translationData(s.config).validationA.images;
      const x0 = GRID_BORDER * 3 + 2 * 28;
      for (let y = 0; y < 28; y += 7) for (let x = 0; x < 28; x += 7) expect(grid.pixels[(GRID_BORDER + y) * grid.width + x0 + x]).toBe(digit[y * 28 + x]);
    } finally {
      s.dispose();
    }
  });

  it('measures L1, PSNR and SSIM on the validation images beside the bicubic baseline, and the masked L1 beside mean fill', async () => {
    const sr = session(pairedConfig({ source: 'superres' }));
    const inpaint = session(pairedConfig({ source: 'inpaint' }));
    try {
      const v = await sr.validate();
      expect(Object.keys(v).sort()).toEqual(['baseline_psnr', 'val_l1', 'val_psnr', 'val_ssim']);
      // Bicubic ×2 of MNIST digits keeps most of them: well above an untrained G's noise.
      expect(v.baseline_psnr).toBeGreaterThan(15);
      expect(v.val_psnr).toBeLessThan(v.baseline_psnr ?? 0);
      const w = await inpaint.validate();
      expect(w.val_masked_l1).toBeGreaterThan(0);
      expect(w.baseline_masked_l1).toBeGreaterThan(0);
      expect(w.baseline_masked_l1).toBeLessThan(1);
    } finally {
      sr.dispose();
      inpaint.dispose();
    }
  });

  it('resumes bit for bit from its exported state, and leaks no tensor per step', async () => {
    const config = pairedConfig({ source: 'inpaint', mask: 'strokes' }, { stabilizers: { ema: { enabled: true } }, augment: { diffAugment: ['translation'] } });
    const a = session(config);
    let b: TranslationSession | null = null;
    try {
      await steps(a, 2);
      const state = await a.exportState();
      const before = tf.memory().numTensors;
      const tail = await steps(a, 2);
      expect(tf.memory().numTensors).toBe(before);
      b = await TranslationSession.fromState({ config, data: translationData(config) }, state);
      expect(b.stepCount).toBe(2);
      expect(await steps(b, 2)).toEqual(tail);
    } finally {
      a.dispose();
      b?.dispose();
    }
  });

  it('refuses a generate checkpoint and networks of another shape, naming what differs', async () => {
    const a = session(pairedConfig({ source: 'superres' }));
    const b = session(pairedConfig({ source: 'inpaint' }));
    try {
      const state = await a.exportState();
      await expect(b.importState(state)).rejects.toThrow(/degradation/);
      await expect(b.importState({ ...state, meta: { ...state.meta, kind: undefined } })).rejects.toThrow(/generate run/);
    } finally {
      a.dispose();
      b.dispose();
    }
  });
});

describe('paired translation on stored pairs', () => {
  it('draws input i with target i, augmented alike: a shifted digit beside its shifted inversion', () => {
    const config = pairedConfig({ source: 'pairs', datasetB: 'ds_b' }, { augment: { translation: { p: 1, fraction: 0.25 }, flip: 0.5 } });
    const s = session(config);
    try {
      const parts = (s as unknown as { parts: Parameters<typeof drawBatch>[0] }).parts;
      tf.tidy(() => {
        const { a, b } = drawBatch(parts, 8);
        // The targets are the inputs inverted: in [-1, 1], b = −a wherever both moved together.
        expect(tf.max(tf.abs(tf.add(a, b))).dataSync()[0]).toBeLessThan(1e-6);
        // And the augmentation did move them: not the stored digits' first draws unshifted.
        expect(tf.max(tf.abs(a)).dataSync()[0]).toBeGreaterThan(0.5);
      });
    } finally {
      s.dispose();
    }
  });

  it('trains with the L1 to the stored target and measures without a baseline', async () => {
    const s = session(pairedConfig({ source: 'pairs', datasetB: 'ds_b', l1Weight: 5 }));
    try {
      const m = await steps(s, 2);
      expectFinite(m);
      for (const v of m) expect(v['g_loss']).toBeCloseTo((v['g_loss_adv'] ?? NaN) + 5 * (v['g_l1'] ?? NaN), 4);
      expect(Object.keys(await s.validate()).sort()).toEqual(['val_l1', 'val_psnr', 'val_ssim']);
      expect(s.inputChannels).toBe(1);
    } finally {
      s.dispose();
    }
  });
});

describe('unpaired translation (CycleGAN)', () => {
  it('weights cycle and identity by task.cycleWeight and identityWeight × cycleWeight', async () => {
    const s = session(unpairedConfig({ cycleWeight: 3, identityWeight: 0.5, poolSize: 4 }));
    try {
      const m = await steps(s, 2);
      expectFinite(m);
      for (const v of m) expect(v['g_loss']).toBeCloseTo((v['g_loss_adv'] ?? NaN) + 3 * (v['cycle'] ?? NaN) + 1.5 * (v['identity'] ?? NaN), 4);
      // Two critics: d_loss sums D_A's and D_B's terms, d_loss_adv reports their mean.
      for (const v of m) expect(v['d_loss']).toBeCloseTo(2 * (v['d_loss_adv'] ?? NaN), 5);
      expect(m[0]).not.toHaveProperty('g_l1');
    } finally {
      s.dispose();
    }
  });

  it('leaves identity out at weight 0, and measures the cycle error on both domains', async () => {
    const s = session(unpairedConfig({ identityWeight: 0 }));
    try {
      const [m] = await steps(s, 1);
      expect(m).not.toHaveProperty('identity');
      const v = await s.validate();
      expect(Object.keys(v)).toEqual(['val_cycle']);
      expect(v.val_cycle).toBeGreaterThan(0);
    } finally {
      s.dispose();
    }
  });

  it('keeps the image pools in its state: a resumed run continues bit for bit', async () => {
    const config = unpairedConfig({ poolSize: 6 }, { batchSize: 4 });
    const a = session(config);
    let b: TranslationSession | null = null;
    try {
      await steps(a, 3);
      const state = await a.exportState();
      expect(state.meta['pools']).toEqual({ a: 6, b: 6 });
      const tail = await steps(a, 2);
      b = await TranslationSession.fromState({ config, data: translationData(config) }, state);
      expect(await steps(b, 2)).toEqual(tail);
    } finally {
      a.dispose();
      b?.dispose();
    }
  });
});
