/** The StyleGAN2-ADA controller on simulated sign sequences: direction, exact step size, clamping and resumable state. */
import { describe, expect, it } from 'vitest';
import { AdaController, isAdaState, type AdaConfig } from '../../../../src-main/engine/augment/ada';
import { augmentConfig, type AugmentInput } from './helpers';

const ada = (overrides: AugmentInput['ada'] = {}): AdaConfig => augmentConfig({ diffAugment: ['color'], ada: { enabled: true, ...overrides } }).ada;

/** A batch of logits whose signs average to `rt`. */
function logits(batch: number, rt: number): number[] {
  const positives = Math.round(((rt + 1) / 2) * batch);
  return Array.from({ length: batch }, (_, i) => (i < positives ? 2.5 : -1.5));
}

describe('AdaController', () => {
  it('raises p by (batch·interval)/speedImages per interval while D overfits, exactly', () => {
    const ctl = new AdaController(ada({ interval: 4, speedImages: 1000, target: 0.6 }), 10);
    expect(ctl.p).toBe(0);
    expect(ctl.stepSize).toBe(0.04);
    expect(ctl.rt).toBeNull();
    const updates: boolean[] = [];
    for (let step = 0; step < 12; step++) updates.push(ctl.observe(logits(10, 1)));
    expect(updates).toEqual([false, false, false, true, false, false, false, true, false, false, false, true]);
    expect(ctl.rt).toBe(1);
    expect(ctl.p).toBeCloseTo(3 * 0.04, 12);
  });

  it('falls back toward 0 when r_t is below the target, clamps at 0 and 1, and holds at the target', () => {
    const ctl = new AdaController(ada({ interval: 1, speedImages: 100, target: 0.6 }), 40);
    for (let i = 0; i < 5; i++) ctl.observe(logits(40, 1));
    expect(ctl.p).toBe(1);
    ctl.observe(new Float32Array(logits(40, 0.2)));
    expect(ctl.rt).toBeCloseTo(0.2, 12);
    expect(ctl.p).toBeCloseTo(0.6, 12);
    ctl.observe(logits(40, 0.6));
    expect(ctl.p).toBeCloseTo(0.6, 12);
    for (let i = 0; i < 5; i++) ctl.observe(logits(40, -1));
    expect(ctl.p).toBe(0);
  });

  it('averages the signs over every image since the last update', () => {
    const ctl = new AdaController(ada({ interval: 2, speedImages: 100_000 }), 4);
    ctl.observe([1, 1, 1, 1]);
    ctl.observe([-1, -1, 1, Number.NaN]);
    expect(ctl.rt).toBeCloseTo(3 / 7, 12);
    expect(ctl.p).toBe(0);
  });

  it('is plain DiffAugment (p = 1) and ignores logits when disabled', () => {
    const ctl = new AdaController(augmentConfig().ada, 64);
    expect(ctl.observe(logits(64, 1))).toBe(false);
    expect(ctl.p).toBe(1);
    expect(ctl.rt).toBeNull();
  });

  it('resumes exactly from exportState through JSON and rejects malformed states', () => {
    const a = new AdaController(ada({ interval: 3, speedImages: 500 }), 8);
    for (let i = 0; i < 7; i++) a.observe(logits(8, i % 2 ? 1 : 0.5));
    const saved = JSON.parse(JSON.stringify(a.exportState())) as unknown;
    expect(isAdaState(saved)).toBe(true);
    const b = new AdaController(ada({ interval: 3, speedImages: 500 }), 8);
    b.importState(saved);
    for (let i = 0; i < 9; i++) {
      const l = logits(8, i % 3 ? 1 : -0.5);
      expect(b.observe(l)).toBe(a.observe(l));
      expect(b.p).toBe(a.p);
      expect(b.rt).toBe(a.rt);
    }
    expect(() => b.importState({ p: 2, rt: null, signSum: 0, signCount: 0, pendingSteps: 0 })).toThrow(/not an ADA state/);
    expect(() => new AdaController(ada(), 0)).toThrow();
  });
});

describe('AdaController edges', () => {
  const valid = { p: 0.5, rt: 0.25, signSum: 3, signCount: 4, pendingSteps: 1 };

  it('accepts states at the ends of their ranges, with r_t null before the first update', () => {
    for (const state of [valid, { ...valid, p: 0 }, { ...valid, p: 1 }, { ...valid, rt: null }, { ...valid, signCount: 0, pendingSteps: 0 }]) {
      expect(isAdaState(state)).toBe(true);
    }
    const ctl = new AdaController(ada(), 8);
    ctl.importState({ ...valid, p: 1, rt: null });
    expect(ctl.p).toBe(1);
    expect(ctl.rt).toBeNull();
    expect(ctl.exportState()).toEqual({ ...valid, p: 1, rt: null });
  });

  it('rejects states out of range, of the wrong type, or not objects, without throwing', () => {
    const bad: unknown[] = [
      null,
      undefined,
      0.5,
      'state',
      { ...valid, p: -0.01 },
      { ...valid, p: 1.01 },
      { ...valid, p: '0.5' },
      { ...valid, p: Number.NaN },
      { ...valid, rt: '0.25' },
      { ...valid, rt: Number.POSITIVE_INFINITY },
      { ...valid, rt: undefined },
      { ...valid, signSum: Number.POSITIVE_INFINITY },
      { ...valid, signSum: '3' },
      { ...valid, signCount: -1 },
      { ...valid, signCount: 1.5 },
      { ...valid, pendingSteps: -1 },
      { ...valid, pendingSteps: 0.5 },
    ];
    for (const state of bad) expect(isAdaState(state), JSON.stringify(state)).toBe(false);
    const ctl = new AdaController(ada(), 8);
    expect(() => ctl.importState(null)).toThrow('not an ADA state: null');
    expect(ctl.exportState()).toEqual({ p: 0, rt: null, signSum: 0, signCount: 0, pendingSteps: 0 });
  });

  it('refuses a batch size below 1, an interval that is not a positive integer and a speed that is not positive', () => {
    expect(new AdaController(ada(), 1).stepSize).toBe(4 / 100_000);
    expect(() => new AdaController(ada(), 0)).toThrow('AdaController needs a positive batch size, got 0');
    expect(() => new AdaController(ada(), 2.5)).toThrow('AdaController needs a positive batch size, got 2.5');
    expect(new AdaController({ ...ada(), interval: 1 }, 8).stepSize).toBe(8 / 100_000);
    expect(() => new AdaController({ ...ada(), interval: 0 }, 8)).toThrow('ADA interval must be a positive integer, got 0');
    expect(() => new AdaController({ ...ada(), interval: 1.5 }, 8)).toThrow('ADA interval must be a positive integer, got 1.5');
    expect(() => new AdaController({ ...ada(), speedImages: 0 }, 8)).toThrow('ADA speedImages must be positive, got 0');
    expect(() => new AdaController({ ...ada(), speedImages: Number.NaN }, 8)).toThrow('ADA speedImages must be positive, got NaN');
  });

  it('records nothing while disabled, however many intervals pass', () => {
    const ctl = new AdaController({ ...augmentConfig().ada, interval: 2 }, 4);
    for (let i = 0; i < 6; i++) expect(ctl.observe([1, 1, 1, 1])).toBe(false);
    expect(ctl.rt).toBeNull();
    expect(ctl.exportState()).toEqual({ p: 0, rt: null, signSum: 0, signCount: 0, pendingSteps: 0 });
  });

  it('leaves p and r_t alone when an interval saw only NaN logits, and starts the next interval afresh', () => {
    const ctl = new AdaController(ada({ interval: 2, speedImages: 100, target: 0.6 }), 5);
    ctl.observe([1, 1, 1, 1, 1]);
    ctl.observe([1, 1, 1, 1, 1]);
    expect(ctl.p).toBeCloseTo(0.1, 12);
    expect(ctl.observe([Number.NaN, Number.NaN])).toBe(false);
    expect(ctl.observe([Number.NaN])).toBe(true);
    expect(ctl.p).toBeCloseTo(0.1, 12);
    expect(ctl.rt).toBe(1);
    expect(ctl.exportState()).toMatchObject({ signSum: 0, signCount: 0, pendingSteps: 0 });
    ctl.observe([-1, -1, 1]);
    ctl.observe([-1, -1]);
    expect(ctl.rt).toBeCloseTo(-0.6, 12);
    expect(ctl.p).toBeCloseTo(0, 12);
  });
});
