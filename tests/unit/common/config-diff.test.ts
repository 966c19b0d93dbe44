/** Config differences by dotted path (the editor's diff, the Compare page and `compare` in the CLI): leaves, changes, rows, patches and table cells. */
import { describe, expect, it } from 'vitest';
import { diffConfigs, diffMany, leaves, patchOf, sameValue, showValue } from '../../../src-main/common/config-diff';

describe('leaves', () => {
  it('names every leaf by its dotted path; arrays and null are leaves of their own', () => {
    const config = { steps: 10, model: { depth: null, minibatchDiscrimination: { enabled: true } }, augment: { diffAugment: ['color', 'cutout'] } };
    expect([...leaves(config)]).toEqual([
      ['steps', 10],
      ['model.depth', null],
      ['model.minibatchDiscrimination.enabled', true],
      ['augment.diffAugment', ['color', 'cutout']],
    ]);
  });

  it('has no leaves for a bare value or an empty object', () => {
    expect(leaves(5).size).toBe(0);
    expect(leaves(null).size).toBe(0);
    expect(leaves({}).size).toBe(0);
  });
});

describe('sameValue', () => {
  it('compares by value, arrays included', () => {
    expect(sameValue(['color'], ['color'])).toBe(true);
    expect(sameValue(['color'], ['cutout'])).toBe(false);
    expect(sameValue(1e-4, 1e-4)).toBe(true);
    expect(sameValue(null, 0)).toBe(false);
  });
});

describe('diffConfigs', () => {
  it('lists exactly the changed leaves with both values, in the new config’s order, then those it dropped', () => {
    const from = { steps: 100, loss: { type: 'wgan', nCritic: 5 }, augment: { diffAugment: ['color'] }, old: 1 };
    const to = { loss: { nCritic: 5, type: 'hinge' }, steps: 200, augment: { diffAugment: ['color'] }, added: true };
    expect(diffConfigs(from, to)).toEqual([
      { path: 'loss.type', from: 'wgan', to: 'hinge' },
      { path: 'steps', from: 100, to: 200 },
      { path: 'added', from: undefined, to: true },
      { path: 'old', from: 1, to: undefined },
    ]);
    expect(diffConfigs(to, to)).toEqual([]);
  });
});

describe('diffMany', () => {
  it('keeps the leaves on which any config disagrees with the first, with every config’s value', () => {
    const a = { steps: 10, loss: { type: 'hinge' }, augment: { diffAugment: ['color'] } };
    const b = { steps: 10, loss: { type: 'hinge' }, augment: { diffAugment: ['color'] }, seed: 1 };
    const c = { steps: 20, loss: { type: 'hinge' }, augment: { diffAugment: ['color'] } };
    expect(diffMany([a, b, c])).toEqual([
      { path: 'steps', values: [10, 10, 20] },
      { path: 'seed', values: [undefined, 1, undefined] },
    ]);
    expect(diffMany([a, a, a])).toEqual([]);
    expect(diffMany([])).toEqual([]);
  });
});

describe('patchOf', () => {
  it('is the smallest nested partial config that turns the base into the config', () => {
    const base = { steps: 10, model: { depth: null, dNorm: 'none', gNorm: 'batch' }, stabilizers: { ema: { enabled: false, rampup: 0.05 } }, gone: 1 };
    const config = { steps: 10, model: { depth: 3, dNorm: 'layer', gNorm: 'batch' }, stabilizers: { ema: { enabled: true, rampup: 0.05 } } };
    // A leaf the config lacks is not in the patch: leaving it out keeps the base's value.
    expect(patchOf(base, config)).toStrictEqual({ model: { depth: 3, dNorm: 'layer' }, stabilizers: { ema: { enabled: true } } });
    expect(patchOf(config, config)).toStrictEqual({});
  });
});

describe('showValue', () => {
  it('shows a missing value as a dash, an array as its items, anything else as text', () => {
    expect(showValue(undefined)).toBe('—');
    expect(showValue([])).toBe('[]');
    expect(showValue(['color', 'cutout'])).toBe('color, cutout');
    expect(showValue(['color'])).toBe('color');
    expect(showValue(null)).toBe('null');
    expect(showValue(0)).toBe('0');
    expect(showValue(false)).toBe('false');
    expect(showValue('hinge')).toBe('hinge');
  });
});
