/** planNet: start side 3..8 for automatic depth, exact depth when the size allows, clear refusals otherwise. */
import { describe, expect, it } from 'vitest';
import { allowedDepths, planNet } from '../../../../src-main/engine/nets';

describe('planNet', () => {
  it('picks the deepest plan automatically, as planDcgan does', () => {
    expect(planNet(16, null)).toEqual({ startSide: 4, blocks: 2 });
    expect(planNet(28, null)).toEqual({ startSide: 7, blocks: 2 });
    expect(planNet(32, null)).toEqual({ startSide: 4, blocks: 3 });
    expect(planNet(64, null)).toEqual({ startSide: 4, blocks: 4 });
    expect(planNet(128, null)).toEqual({ startSide: 4, blocks: 5 });
  });

  it('uses exactly the requested depth when size / 2^depth is an integer from 3 to 8', () => {
    expect(planNet(64, 3)).toEqual({ startSide: 8, blocks: 3 });
    expect(planNet(16, 1)).toEqual({ startSide: 8, blocks: 1 });
    expect(allowedDepths(64)).toEqual([3, 4]);
    expect(allowedDepths(28)).toEqual([2]);
  });

  it('refuses a depth the size does not allow, naming the ones it does', () => {
    expect(() => planNet(64, 2)).toThrow(/depth 2 does not fit image size 64.*allowed depths: 3, 4/);
    expect(() => planNet(28, 3)).toThrow(/allowed depths: 2/);
    expect(() => planNet(30, null)).toThrow(/image size 30 is not supported/);
  });
});
