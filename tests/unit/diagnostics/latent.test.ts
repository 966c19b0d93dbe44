/** Latent interpolation by hand-checkable numbers: endpoints, midpoints, norms, and the parallel fallback. */
import { describe, expect, it } from 'vitest';
import { latentAt, latentPath, lerp, slerp } from '../../../src-main/common/latent';

const v = (...xs: number[]) => new Float32Array(xs);
const norm = (a: Float32Array) => Math.hypot(...a);

describe('latent interpolation', () => {
  it('lerp is the straight line: endpoints and midpoint', () => {
    const a = v(1, 0, 2);
    const b = v(3, 4, -2);
    expect([...lerp(a, b, 0)]).toEqual([1, 0, 2]);
    expect([...lerp(a, b, 1)]).toEqual([3, 4, -2]);
    expect([...lerp(a, b, 0.5)]).toEqual([2, 2, 0]);
  });

  it('slerp follows the arc: the midpoint of two orthogonal unit vectors is (a + b)/√2, of unit length', () => {
    const a = v(1, 0);
    const b = v(0, 1);
    const mid = slerp(a, b, 0.5);
    expect(mid[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(mid[1]).toBeCloseTo(Math.SQRT1_2, 6);
    for (const t of [0, 0.1, 0.33, 0.9, 1]) expect(norm(slerp(a, b, t))).toBeCloseTo(1, 6);
    // At a third of the way the angle is a third of 90°.
    const third = slerp(a, b, 1 / 3);
    expect(Math.atan2(third[1]!, third[0]!)).toBeCloseTo(Math.PI / 6, 6);
    // The straight line cuts inside the circle.
    expect(norm(lerp(a, b, 0.5))).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('slerp hits both endpoints exactly, also for vectors of different length', () => {
    const a = v(2, 0, 0);
    const b = v(0, 0, 5);
    expect([...slerp(a, b, 0)].map((x) => Number(x.toFixed(6)))).toEqual([2, 0, 0]);
    expect([...slerp(a, b, 1)].map((x) => Number(x.toFixed(6)))).toEqual([0, 0, 5]);
  });

  it('falls back to lerp for parallel or opposite directions, where the arc is undefined', () => {
    expect([...slerp(v(1, 1), v(2, 2), 0.5)]).toEqual([1.5, 1.5]);
    expect([...slerp(v(1, 0), v(-1, 0), 0.5)]).toEqual([0, 0]);
  });

  it('builds a path of frames × dim values from cells of a batch', () => {
    const batch = v(1, 0, 0, 1, 5, 5);
    expect([...latentAt(batch, 2, 1)]).toEqual([0, 1]);
    const path = latentPath(latentAt(batch, 2, 0), latentAt(batch, 2, 1), 3, 'lerp');
    expect([...path]).toEqual([1, 0, 0.5, 0.5, 0, 1]);
    expect(latentPath(v(1, 0), v(0, 1), 5, 'slerp')).toHaveLength(10);
    expect(() => latentPath(v(1), v(2), 1, 'lerp')).toThrow(/2 frames/);
    expect(() => latentAt(batch, 2, 3)).toThrow();
    expect(() => lerp(v(1), v(1, 2), 0.5)).toThrow(/length/);
  });
});
