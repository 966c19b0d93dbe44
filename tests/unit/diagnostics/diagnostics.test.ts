/** Diagnostics on synthetic curves: each finding fires on its own pattern, and nothing fires on a healthy run. */
import { describe, expect, it } from 'vitest';
import {
  checkDOverpowersG,
  checkDivergence,
  checkModeCollapse,
  checkVanishingGradients,
  diagnose,
  isLossKey,
  median,
  slope,
  windows,
  type CurvePoint,
  type Curves,
} from '../../../src-main/common/diagnostics';

const STEPS = 200;

/** A deterministic wobble so that curves look measured, not drawn with a ruler. */
const noise = (i: number, amp: number) => amp * Math.sin(i * 12.9898 + Math.sin(i * 78.233) * 43758.5453);

function curve(f: (i: number) => number): CurvePoint[] {
  return Array.from({ length: STEPS }, (_, i) => ({ step: (i + 1) * 10, value: f(i) }));
}

/** A run that trains as it should: D and G trade blows, outputs near 0.5–0.7, gradients steady. */
function healthy(): Record<string, CurvePoint[]> {
  return {
    d_loss: curve((i) => 1.25 + noise(i, 0.15)),
    g_loss: curve((i) => 0.85 + noise(i + 3, 0.2)),
    // Mean raw D outputs (logits for the BCE losses).
    d_real: curve((i) => 0.5 + noise(i + 5, 0.2)),
    d_fake: curve((i) => -0.3 + noise(i + 7, 0.2)),
    g_grad_norm: curve((i) => 1.2 + noise(i + 9, 0.3)),
    d_grad_norm: curve((i) => 2 + noise(i + 11, 0.4)),
    sample_diversity: curve((i) => 0.3 + noise(i + 13, 0.02)),
  };
}

const ids = (curves: Curves) => diagnose(curves).map((f) => `${f.id}:${f.status}`);

describe('diagnostics', () => {
  it('finds nothing wrong with a healthy run', () => {
    expect(diagnose(healthy())).toEqual([]);
  });

  it('says nothing before a curve has enough points', () => {
    const c = healthy();
    const short = Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v.slice(0, 5)]));
    short['d_real'] = short['d_real']!.map((p) => ({ ...p, value: 0.99 }));
    short['d_fake'] = short['d_fake']!.map((p) => ({ ...p, value: 0.01 }));
    expect(diagnose(short).filter((f) => f.status === 'firing')).toEqual([]);
  });

  it('sees D overpowering G from its outputs: D(x) → 1, D(G(z)) → 0', () => {
    const c = healthy();
    // Logits growing apart: sigmoid(5) ≈ 0.993, sigmoid(−5) ≈ 0.007.
    c['d_real'] = curve((i) => Math.min(5, 0.5 + i / 10) + noise(i, 0.05));
    c['d_fake'] = curve((i) => Math.max(-5, -0.3 - i / 10) + noise(i, 0.05));
    const f = checkDOverpowersG(c);
    expect(f?.id).toBe('d-overpowers-g');
    expect(f?.evidence['dReal']).toBeGreaterThan(0.99);
    expect(f?.evidence['dFake']).toBeLessThan(0.01);
    expect(f?.remedies.map((r) => r.key)).toContain('labelSmoothing');
    expect(f?.remedies.find((r) => r.key === 'labelSmoothing')?.field).toBe('stabilizers.labelSmoothing.mode');
    expect(ids(c)).toEqual(['d-overpowers-g:firing']);
  });

  it('reads D’s outputs on the scale of the loss: LSGAN scores, hinge margins, no verdict for a Wasserstein critic', () => {
    const lsgan = healthy();
    lsgan['d_real'] = curve(() => 0.97);
    lsgan['d_fake'] = curve(() => 0.03);
    expect(checkDOverpowersG(lsgan, { lossType: 'lsgan' })?.evidence).toEqual({ dReal: 0.97, dFake: 0.03 });
    // Logits 0.97 and 0.03 are probabilities near one half under a BCE loss: not confident.
    expect(checkDOverpowersG(lsgan, { lossType: 'non-saturating' })).toBeNull();
    const hinge = healthy();
    hinge['d_real'] = curve(() => 1.6);
    hinge['d_fake'] = curve(() => -1.4);
    expect(checkDOverpowersG(hinge, { lossType: 'hinge' })?.id).toBe('d-overpowers-g');
    expect(checkDOverpowersG(hinge, { lossType: 'wgan-gp' })).toBeNull();
  });

  it('sees D overpowering G from the losses: D loss → 0 while G loss climbs', () => {
    const c = healthy();
    delete c['d_real'];
    delete c['d_fake'];
    c['d_loss'] = curve((i) => Math.max(0.005, 1.2 * Math.exp(-i / 15)) + Math.abs(noise(i, 0.003)));
    c['g_loss'] = curve((i) => 0.8 + i * 0.04 + noise(i, 0.1));
    expect(checkDOverpowersG(c)?.evidence['gLossRise']).toBeGreaterThan(1);
    // A Wasserstein critic's loss near zero means something else: no finding there.
    expect(checkDOverpowersG(c, { lossType: 'wgan-gp' })).toBeNull();
  });

  it('sees vanishing generator gradients', () => {
    const c = healthy();
    c['g_grad_norm'] = curve((i) => 1.5 * Math.exp(-i / 12) + 1e-7);
    const f = checkVanishingGradients(c);
    expect(f?.id).toBe('vanishing-gradients');
    expect(f?.evidence['ratio']).toBeLessThan(0.01);
    expect(ids(c)).toEqual(['vanishing-gradients:firing']);
    expect(checkVanishingGradients(healthy())).toBeNull();
  });

  it('sees divergence: a value that became NaN, or losses and gradients that blow up', () => {
    expect(checkDivergence(healthy(), { nonFinite: { key: 'd_loss', step: 1234 } })).toMatchObject({
      id: 'divergence',
      severity: 'critical',
      evidence: { step: 1234 },
      keys: ['d_loss'],
    });
    const c = healthy();
    c['d_grad_norm'] = curve((i) => 2 * Math.exp(i / 25));
    const f = checkDivergence(c);
    expect(f?.keys).toEqual(['d_grad_norm']);
    expect(f?.evidence['growth']).toBeGreaterThan(100);
    expect(f?.remedies.map((r) => r.key)).toEqual(expect.arrayContaining(['forkFromCheckpoint', 'lowerLr', 'gradClip']));
    const exploding = healthy();
    exploding['g_loss'] = curve((i) => 0.8 * Math.exp(i / 30));
    expect(checkDivergence(exploding)?.keys).toEqual(['g_loss']);
    expect(diagnose(exploding)[0]?.severity).toBe('critical');
    expect(checkDivergence(healthy())).toBeNull();
  });

  it('sees diversity collapsing when a diversity metric exists', () => {
    const c = healthy();
    c['sample_diversity'] = curve((i) => (i < 100 ? 0.3 + noise(i, 0.02) : 0.3 * Math.exp(-(i - 100) / 20)));
    const f = checkModeCollapse(c);
    expect(f).toMatchObject({ id: 'mode-collapse', status: 'firing', severity: 'warning' });
    expect(f?.evidence['ratio']).toBeLessThan(0.5);
    expect(f?.remedies.map((r) => r.key)).toContain('minibatchDiscrimination');
  });

  it('says mode collapse cannot be judged without a diversity metric, instead of guessing', () => {
    const c = healthy();
    delete c['sample_diversity'];
    expect(diagnose(c)).toEqual([
      expect.objectContaining({ id: 'mode-collapse', status: 'unavailable', severity: 'info', detailKey: 'diag.mode-collapse.unavailable' }),
    ]);
  });

  it('ignores NaN points in a curve rather than reading them as numbers', () => {
    const c = healthy();
    c['d_loss'] = c['d_loss']!.map((p, i) => (i % 10 === 0 ? { ...p, value: Number.NaN } : p));
    expect(diagnose(c)).toEqual([]);
  });
});

/** A hand-built curve: one point per value, ten steps apart. */
const pts = (...values: number[]): CurvePoint[] => values.map((value, i) => ({ step: (i + 1) * 10, value }));
/** `n` copies of `v`. */
const rep = (n: number, v: number): number[] => Array<number>(n).fill(v);

const D_OVERPOWERS_REMEDIES = [
  { key: 'labelSmoothing', field: 'stabilizers.labelSmoothing.mode' },
  { key: 'lowerDLr', field: 'optimizerD.lr' },
  { key: 'instanceNoise', field: 'stabilizers.instanceNoise.std' },
  { key: 'augmentation', field: 'augment.diffAugment' },
  { key: 'spectralNorm', field: 'model.dNorm' },
  { key: 'wasserstein', field: 'loss.type' },
];
const DIVERGENCE_REMEDIES = [
  { key: 'forkFromCheckpoint' },
  { key: 'lowerLr', field: 'optimizerG.lr' },
  { key: 'gradClip', field: 'optimizerD.gradClip' },
  { key: 'gradientPenalty', field: 'loss.r1Gamma' },
  { key: 'spectralNorm', field: 'model.dNorm' },
  { key: 'simplify', field: 'model.gWidth' },
];
const MODE_COLLAPSE_REMEDIES = [
  { key: 'minibatchDiscrimination', field: 'model.minibatchDiscrimination.enabled' },
  { key: 'minibatchStddev', field: 'model.minibatchStddev' },
  { key: 'featureMatching', field: 'stabilizers.featureMatching.enabled' },
  { key: 'historicalAveraging', field: 'stabilizers.historicalAveraging.gWeight' },
  { key: 'augmentation', field: 'augment.diffAugment' },
];

describe('diagnostics: the curve statistics', () => {
  it('takes the median of unsorted values, the mean of the middle two for an even count', () => {
    expect(median([10, 9, 1, 2, 30])).toBe(9);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });

  it('splits a curve into its first and last quarter, never fewer than 4 points each', () => {
    expect(windows([1, 2, 3, 4, 5, 6, 7, 8])).toEqual({ early: [1, 2, 3, 4], recent: [5, 6, 7, 8] });
    const forty = Array.from({ length: 40 }, (_, i) => i);
    expect(windows(forty)).toEqual({ early: forty.slice(0, 10), recent: forty.slice(30) });
  });

  it('fits the least-squares slope per point, and calls one point or none flat', () => {
    expect(slope([1, 2, 3])).toBe(1);
    expect(slope([2, 4, 6, 8])).toBe(2);
    expect(slope([1, 3])).toBe(2);
    // x̄ = 1, ȳ = 2: Σ(x − x̄)(y − ȳ) = −1, Σ(x − x̄)² = 2.
    expect(slope([3, 1, 2])).toBe(-0.5);
    expect(slope([5])).toBe(0);
    expect(slope([])).toBe(0);
  });

  it('reads an unknown key as a loss by its name: "loss" as a whole word between underscores', () => {
    expect(['loss', 'loss_custom', 'custom_loss', 'my_loss_term'].filter(isLossKey)).toEqual(['loss', 'loss_custom', 'custom_loss', 'my_loss_term']);
    expect(['lossy', 'glossary', 'gloss', 'custom'].filter(isLossKey)).toEqual([]);
  });
});

describe('diagnostics: D overpowering G, at its thresholds', () => {
  const outputs = (real: number[], fake: number[]): Curves => ({ d_real: pts(...real), d_fake: pts(...fake) });

  it('names the finding, its evidence, the keys it read and the remedies with the fields they change', () => {
    // sigmoid(3) = 1 / (1 + e^−3) ≈ 0.95257, sigmoid(−3) ≈ 0.047426.
    expect(checkDOverpowersG(outputs(rep(8, 3), rep(8, -3)))).toEqual({
      id: 'd-overpowers-g',
      status: 'firing',
      severity: 'warning',
      titleKey: 'diag.d-overpowers-g.title',
      detailKey: 'diag.d-overpowers-g.detail',
      evidence: { dReal: 0.9526, dFake: 0.04743 },
      keys: ['d_real', 'd_fake'],
      remedies: D_OVERPOWERS_REMEDIES,
    });
  });

  it('needs 8 points of both D outputs before judging them', () => {
    expect(checkDOverpowersG(outputs(rep(7, 3), rep(8, -3)))).toBeNull();
    expect(checkDOverpowersG(outputs(rep(8, 3), rep(7, -3)))).toBeNull();
    expect(checkDOverpowersG(outputs(rep(8, 3), rep(8, -3)))?.id).toBe('d-overpowers-g');
  });

  it('calls a BCE discriminator sure only when it is sure of both the reals and the fakes', () => {
    // Logit 0 is probability 0.5: D is unsure of that side.
    expect(checkDOverpowersG(outputs(rep(8, 3), rep(8, 0)))).toBeNull();
    expect(checkDOverpowersG(outputs(rep(8, 0), rep(8, -3)))).toBeNull();
    // Logit ±2 is probability 0.881 / 0.119: not beyond 0.9 / 0.1.
    expect(checkDOverpowersG(outputs(rep(8, 2), rep(8, -3)))).toBeNull();
    expect(checkDOverpowersG(outputs(rep(8, 3), rep(8, -2)))).toBeNull();
  });

  it('reads LSGAN scores against their 1 / 0 targets: beyond 0.9 and below 0.1, both at once', () => {
    const lsgan = { lossType: 'lsgan' };
    expect(checkDOverpowersG(outputs(rep(8, 0.95), rep(8, 0.05)), lsgan)?.evidence).toEqual({ dReal: 0.95, dFake: 0.05 });
    expect(checkDOverpowersG(outputs(rep(8, 0.9), rep(8, 0.05)), lsgan)).toBeNull();
    expect(checkDOverpowersG(outputs(rep(8, 0.95), rep(8, 0.1)), lsgan)).toBeNull();
    expect(checkDOverpowersG(outputs(rep(8, 0.95), rep(8, 0.5)), lsgan)).toBeNull();
    expect(checkDOverpowersG(outputs(rep(8, 0.5), rep(8, 0.05)), lsgan)).toBeNull();
  });

  it('reads hinge outputs by their margins: D(x) > 1 and D(G(z)) < −1, both at once', () => {
    const hinge = { lossType: 'hinge' };
    expect(checkDOverpowersG(outputs(rep(8, 1.5), rep(8, -1.5)), hinge)?.evidence).toEqual({ dReal: 1.5, dFake: -1.5 });
    expect(checkDOverpowersG(outputs(rep(8, 1), rep(8, -1.5)), hinge)).toBeNull();
    expect(checkDOverpowersG(outputs(rep(8, 1.5), rep(8, -1)), hinge)).toBeNull();
    expect(checkDOverpowersG(outputs(rep(8, 1.5), rep(8, 0)), hinge)).toBeNull();
    expect(checkDOverpowersG(outputs(rep(8, 0.5), rep(8, -1.5)), hinge)).toBeNull();
  });

  it('gives no verdict, and no error, for a loss type it does not know (a run stored by another version)', () => {
    const curves: Curves = { ...outputs(rep(8, 3), rep(8, -3)), d_loss: pts(...rep(8, 0.01)), g_loss: pts(1, 1, 1, 1, 2, 2, 2, 2) };
    expect(checkDOverpowersG(curves, { lossType: 'some-future-loss' })).toBeNull();
    expect(diagnose(curves, { lossType: 'some-future-loss' }).map((f) => f.id)).toEqual(['mode-collapse']);
  });

  it('does not let a NaN point in a D output hide the finding', () => {
    expect(checkDOverpowersG(outputs([...rep(7, 3), Number.NaN, 3], [...rep(7, -3), Number.POSITIVE_INFINITY, -3]))?.id).toBe('d-overpowers-g');
  });

  describe('from the losses', () => {
    const losses = (d: number[], g: number[]): Curves => ({ d_loss: pts(...d), g_loss: pts(...g) });
    const rising = [1, 1, 1, 1, 2, 2, 2, 2];

    it('fires when D’s loss sits below 0.05 while G’s rose and is not falling, with the loss wording', () => {
      expect(checkDOverpowersG(losses(rep(8, 0.01), rising))).toEqual({
        id: 'd-overpowers-g',
        status: 'firing',
        severity: 'warning',
        titleKey: 'diag.d-overpowers-g.title',
        detailKey: 'diag.d-overpowers-g.detailLoss',
        evidence: { dLoss: 0.01, gLossRise: 1 },
        keys: ['d_loss', 'g_loss'],
        remedies: D_OVERPOWERS_REMEDIES,
      });
    });

    it('needs 8 points of both losses', () => {
      expect(checkDOverpowersG(losses(rep(7, 0.01), rising))).toBeNull();
      expect(checkDOverpowersG(losses(rep(8, 0.01), [1, 1, 1, 2, 2, 2, 2]))).toBeNull();
    });

    it('does not fire at a D loss of 0.05, nor on a D loss that is not small', () => {
      expect(checkDOverpowersG(losses(rep(8, 0.05), rising))).toBeNull();
      expect(checkDOverpowersG(losses(rep(8, 0.04), rising))?.evidence).toEqual({ dLoss: 0.04, gLossRise: 1 });
      expect(checkDOverpowersG(losses(rep(8, 1.2), rising))).toBeNull();
    });

    it('does not fire while G’s loss is flat, or already falling again', () => {
      expect(checkDOverpowersG(losses(rep(8, 0.01), rep(8, 1)))).toBeNull();
      // Risen by 1.25 on average, but the last quarter heads down.
      expect(checkDOverpowersG(losses(rep(8, 0.01), [1, 1, 1, 1, 3, 2.5, 2, 1.5]))).toBeNull();
    });
  });
});

describe('diagnostics: vanishing gradients, at their thresholds', () => {
  const grads = (...values: number[]): Curves => ({ g_grad_norm: pts(...values) });

  it('fires when G’s gradient norm fell below a hundredth of its start, with its evidence and remedies', () => {
    expect(checkVanishingGradients(grads(...rep(4, 1), ...rep(4, 0.001)))).toEqual({
      id: 'vanishing-gradients',
      status: 'firing',
      severity: 'warning',
      titleKey: 'diag.vanishing-gradients.title',
      detailKey: 'diag.vanishing-gradients.detail',
      evidence: { early: 1, recent: 0.001, ratio: 0.001 },
      keys: ['g_grad_norm'],
      remedies: [
        { key: 'nonSaturating', field: 'loss.type' },
        { key: 'wasserstein', field: 'loss.type' },
        { key: 'lowerDLr', field: 'optimizerD.lr' },
        { key: 'featureMatching', field: 'stabilizers.featureMatching.enabled' },
        { key: 'labelSmoothing', field: 'stabilizers.labelSmoothing.mode' },
      ],
    });
  });

  it('needs 8 points', () => {
    expect(checkVanishingGradients(grads(1, 1, 1, ...rep(4, 0.001)))).toBeNull();
  });

  it('does not fire on a fall of exactly 100×, fires just past it', () => {
    expect(checkVanishingGradients(grads(...rep(4, 1), ...rep(4, 0.01)))).toBeNull();
    expect(checkVanishingGradients(grads(...rep(4, 1), ...rep(4, 0.0099)))?.evidence['ratio']).toBe(0.0099);
  });

  it('fires on a norm below 1e-6 even when it fell less than 100×', () => {
    expect(checkVanishingGradients(grads(...rep(4, 1e-5), ...rep(4, 5e-7)))?.evidence).toEqual({ early: 1e-5, recent: 5e-7, ratio: 0.05 });
    expect(checkVanishingGradients(grads(...rep(4, 1e-5), ...rep(4, 1e-6)))).toBeNull();
  });

  it('sees no fall in a norm that was zero from the start', () => {
    expect(checkVanishingGradients(grads(...rep(8, 0)))).toBeNull();
  });
});

describe('diagnostics: divergence, at its thresholds', () => {
  it('names a non-finite value with the step and key it happened at', () => {
    expect(checkDivergence({}, { nonFinite: { key: 'g_loss', step: 700 } })).toEqual({
      id: 'divergence',
      status: 'firing',
      severity: 'critical',
      titleKey: 'diag.divergence.title',
      detailKey: 'diag.divergence.detailNaN',
      evidence: { step: 700 },
      keys: ['g_loss'],
      remedies: DIVERGENCE_REMEDIES,
    });
  });

  it('fires when a loss grew more than 20× and has not turned back down', () => {
    expect(checkDivergence({ g_loss: pts(...rep(4, 1), ...rep(4, 50)) })).toEqual({
      id: 'divergence',
      status: 'firing',
      severity: 'critical',
      titleKey: 'diag.divergence.title',
      detailKey: 'diag.divergence.detail',
      evidence: { early: 1, recent: 50, growth: 50 },
      keys: ['g_loss'],
      remedies: DIVERGENCE_REMEDIES,
    });
    expect(checkDivergence({ g_loss: pts(...rep(4, 1), ...rep(4, 20)) })).toBeNull();
    expect(checkDivergence({ g_loss: pts(...rep(4, 2), ...rep(4, 30)) })).toBeNull();
    expect(checkDivergence({ g_loss: pts(...rep(4, 10), ...rep(4, 100)) })).toBeNull();
  });

  it('counts a small loss’s growth from 1, so that 0.01 → 0.5 is no blow-up', () => {
    expect(checkDivergence({ d_loss: pts(...rep(4, 0.01), ...rep(4, 0.5)) })).toBeNull();
  });

  it('holds gradient norms to 100× growth, counted from 0.001', () => {
    expect(checkDivergence({ g_grad_norm: pts(...rep(4, 1), ...rep(4, 50)) })).toBeNull();
    expect(checkDivergence({ g_grad_norm: pts(...rep(4, 0.001), ...rep(4, 0.5)) })?.evidence).toEqual({ early: 0.001, recent: 0.5, growth: 500 });
  });

  it('needs 8 points, and lets a curve that is coming back down recover', () => {
    expect(checkDivergence({ g_loss: pts(1, 1, 1, 1, 1000, 1000, 1000) })).toBeNull();
    expect(checkDivergence({ g_loss: pts(1, 1, 1, 1, 100, 90, 80, 70) })).toBeNull();
  });

  it('does not read growing D outputs or historical-averaging terms as divergence', () => {
    expect(checkDivergence({ d_real: pts(...rep(4, 1), ...rep(4, 1000)) })).toBeNull();
    expect(checkDivergence({ ha_d: pts(...rep(4, 1), ...rep(4, 1000)) })).toBeNull();
  });
});

describe('diagnostics: mode collapse, at its thresholds', () => {
  const diversity = (...values: number[]): Curves => ({ sample_diversity: pts(...values) });
  const unavailable = (detailKey: string) => ({
    id: 'mode-collapse',
    status: 'unavailable',
    severity: 'info',
    titleKey: 'diag.mode-collapse.title',
    detailKey,
    evidence: {},
    keys: ['sample_diversity'],
    remedies: MODE_COLLAPSE_REMEDIES,
  });

  it('says which metric it would need when the run records none, and that 7 points are too few', () => {
    expect(checkModeCollapse({})).toEqual(unavailable('diag.mode-collapse.unavailable'));
    expect(checkModeCollapse(diversity(...rep(7, 0.3)))).toEqual(unavailable('diag.mode-collapse.tooFew'));
    expect(checkModeCollapse(diversity(...rep(8, 0.3)))).toBeNull();
  });

  it('fires when recent diversity is below half the best window’s mean, with peak, recent and ratio', () => {
    // Windows of 4: means 0.5, 0.375, 0.125; the last is a quarter of the best.
    expect(checkModeCollapse(diversity(...rep(4, 0.5), ...rep(4, 0.375), ...rep(4, 0.125)))).toEqual({
      id: 'mode-collapse',
      status: 'firing',
      severity: 'warning',
      titleKey: 'diag.mode-collapse.title',
      detailKey: 'diag.mode-collapse.detail',
      evidence: { peak: 0.5, recent: 0.125, ratio: 0.25 },
      keys: ['sample_diversity'],
      remedies: MODE_COLLAPSE_REMEDIES,
    });
    expect(checkModeCollapse(diversity(...rep(4, 0.5), ...rep(4, 0.25)))).toBeNull();
  });
});

describe('diagnose', () => {
  it('lists the worst first: a critical divergence, then a warning, then what it could not judge', () => {
    const curves: Curves = { g_loss: pts(...rep(4, 1), ...rep(4, 50)), g_grad_norm: pts(...rep(4, 1), ...rep(4, 0.001)) };
    expect(diagnose(curves).map((f) => `${f.id}:${f.severity}`)).toEqual(['divergence:critical', 'vanishing-gradients:warning', 'mode-collapse:info']);
  });
});
