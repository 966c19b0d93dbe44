/** Diagnostics on synthetic curves: each finding fires on its own pattern, and nothing fires on a healthy run. */
import { describe, expect, it } from 'vitest';
import {
  checkDOverpowersG,
  checkDivergence,
  checkModeCollapse,
  checkVanishingGradients,
  diagnose,
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
