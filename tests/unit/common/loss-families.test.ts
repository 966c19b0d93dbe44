/** The loss table: one row per loss.type, and the config rules, the engine and the diagnostics all act on what it says. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveConfig } from '../../../src-main/common/config-resolve';
import { checkDOverpowersG, type CurvePoint, type Curves } from '../../../src-main/common/diagnostics';
import { LOSS_FAMILIES, LOSS_TYPES, lossFacts, type LossType } from '../../../src-main/common/loss-families';
import { defaultTrainingConfig, TrainingConfig } from '../../../src-main/common/training-config';
import { discriminatorLoss } from '../../../src-main/engine/objectives/adversarial';
import { techniquesOf } from '../../../src-main/engine/session/techniques';

/** The options of loss.type as the schema declares them (under its prefault and default wrappers). */
function schemaLossTypes(): string[] {
  const loss = (TrainingConfig.shape.loss as unknown as { unwrap(): { shape: { type: { unwrap(): { options: string[] } } } } }).unwrap();
  return loss.shape.type.unwrap().options;
}

const curve = (f: (i: number) => number): CurvePoint[] => Array.from({ length: 40 }, (_, i) => ({ step: i * 10, value: f(i) }));

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('LOSS_FAMILIES', () => {
  it('has exactly one row for every loss.type the schema accepts', () => {
    expect(schemaLossTypes()).toEqual([...LOSS_TYPES]);
    expect(Object.keys(LOSS_FAMILIES).sort()).toEqual([...LOSS_TYPES].sort());
    for (const type of LOSS_TYPES) expect(TrainingConfig.safeParse({ loss: { type } }).success).toBe(true);
    expect(TrainingConfig.safeParse({ loss: { type: 'ralsgan' } }).success).toBe(false);
    expect(lossFacts('ralsgan')).toBeUndefined();
  });

  it('puts each loss in its family', () => {
    const family = (f: string) => LOSS_TYPES.filter((t) => LOSS_FAMILIES[t].family === f);
    expect(family('probability')).toEqual(['minimax', 'non-saturating']);
    expect(family('critic')).toEqual(['wgan', 'wgan-gp']);
    expect(family('margin')).toEqual(['hinge']);
    expect(family('least-squares')).toEqual(['lsgan']);
  });

  it('says which losses take label smoothing, which keep the critic Lipschitz and how, and whose D loss floor is zero', () => {
    const where = (pick: (t: LossType) => boolean) => LOSS_TYPES.filter(pick);
    expect(where((t) => LOSS_FAMILIES[t].labelSmoothing)).toEqual(['minimax', 'non-saturating']);
    expect(where((t) => LOSS_FAMILIES[t].lipschitz === 'clip')).toEqual(['wgan']);
    expect(where((t) => LOSS_FAMILIES[t].lipschitz === 'gradient-penalty')).toEqual(['wgan-gp']);
    // Cross-entropy and least squares reach 0 only when D is sure; a critic's loss is unbounded, hinge's is 0 once both margins are met.
    expect(where((t) => LOSS_FAMILIES[t].dLossFloorIsZero)).toEqual(['minimax', 'non-saturating', 'lsgan']);
    expect(Object.fromEntries(LOSS_TYPES.map((t) => [t, LOSS_FAMILIES[t].dOutputs]))).toEqual({
      minimax: 'logit',
      'non-saturating': 'logit',
      wgan: 'none',
      'wgan-gp': 'none',
      hinge: 'margin',
      lsgan: 'target',
    });
  });

  it.each(LOSS_TYPES)('%s: the config refuses label smoothing exactly when the table does, naming the field', (type) => {
    const r = resolveConfig({ config: { loss: { type }, stabilizers: { labelSmoothing: { mode: 'one-sided' } } } });
    if (LOSS_FAMILIES[type].labelSmoothing) {
      expect(r.ok).toBe(true);
    } else {
      expect(r).toMatchObject({ ok: false, issues: [{ path: 'stabilizers.labelSmoothing.mode', message: expect.stringContaining(type) }] });
    }
  });

  it.each(LOSS_TYPES)('%s: the config refuses batch norm in D exactly when the table implies a Lipschitz constraint', (type) => {
    const r = resolveConfig({ config: { loss: { type }, model: { dNorm: 'batch' } } });
    expect(r.ok).toBe(LOSS_FAMILIES[type].lipschitz === 'none');
    if (!r.ok) expect(r.issues[0]?.path).toBe('model.dNorm');
  });

  it.each(LOSS_TYPES)('%s: the engine turns on label targets, clipping and the gradient penalty as the table says', (type) => {
    const config = { ...defaultTrainingConfig(), loss: { ...defaultTrainingConfig().loss, type } };
    const t = techniquesOf(config);
    const facts = LOSS_FAMILIES[type];
    expect(t.bce).toBe(facts.labelSmoothing);
    expect(t.clip).toBe(facts.lipschitz === 'clip');
    expect(t.gp).toBe(facts.lipschitz === 'gradient-penalty');
    const real = tf.tensor1d([1, -1]);
    const fake = tf.tensor1d([0.5, -2]);
    try {
      const soft = () => discriminatorLoss(type, real, fake, { real: 0.9, fake: 0 }).dispose();
      if (facts.labelSmoothing) expect(soft).not.toThrow();
      else expect(soft).toThrow(/label smoothing needs a BCE loss \(minimax or non-saturating\)/);
    } finally {
      tf.dispose([real, fake]);
    }
  });

  it.each(LOSS_TYPES)('%s: the diagnostics read a D loss near zero as D winning exactly when the table says its floor is zero', (type) => {
    const curves: Curves = { d_loss: curve(() => 0.01), g_loss: curve((i) => 1 + i / 10) };
    expect(checkDOverpowersG(curves, { lossType: type }) !== null).toBe(LOSS_FAMILIES[type].dLossFloorIsZero);
  });

  it.each(LOSS_TYPES)('%s: the diagnostics judge confident D outputs only when the table gives them a scale', (type: LossType) => {
    // Sure by every reading: σ(4) > 0.9, 4 > 1 and > 0.9; σ(−4) < 0.1, −4 < −1 and < 0.1.
    const curves: Curves = { d_real: curve(() => 4), d_fake: curve(() => -4) };
    expect(checkDOverpowersG(curves, { lossType: type }) !== null).toBe(LOSS_FAMILIES[type].dOutputs !== 'none');
  });
});
