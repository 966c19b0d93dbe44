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

  it('refuses empty vectors', () => {
    expect(() => lerp(v(), v(), 0.5)).toThrow('latent vectors are empty');
    expect(() => slerp(v(), v(), 0.5)).toThrow('latent vectors are empty');
  });

  it('slerp between non-orthogonal vectors of different length: at t = ½ both weights are 1 / (2 cos(Ω/2))', () => {
    // a and b are 60° apart (b = 3·(cos 60°, sin 60°)): the weights are sin 30° / sin 60° = 1/√3 each.
    const a = v(2, 0);
    const b = v(1.5, 1.5 * Math.sqrt(3));
    const mid = slerp(a, b, 0.5);
    expect(mid[0]).toBeCloseTo(3.5 / Math.sqrt(3), 5);
    expect(mid[1]).toBeCloseTo(1.5, 5);
    // At t = ¼: sin 45° / sin 60° of a, sin 15° / sin 60° of b.
    const quarter = slerp(a, b, 0.25);
    const [wa, wb] = [Math.sin(Math.PI / 4) / Math.sin(Math.PI / 3), Math.sin(Math.PI / 12) / Math.sin(Math.PI / 3)];
    expect(quarter[0]).toBeCloseTo(wa * 2 + wb * 1.5, 5);
    expect(quarter[1]).toBeCloseTo(wb * 1.5 * Math.sqrt(3), 5);
  });

  it('slerp from or to the zero vector is the straight line (there is no direction to turn)', () => {
    expect([...slerp(v(0, 0), v(2, 4), 0.25)]).toEqual([0.5, 1]);
    expect([...slerp(v(2, 4), v(0, 0), 0.25)]).toEqual([1.5, 3]);
  });

  it('slerp of exactly parallel or opposite vectors of different length is the straight line, without NaN', () => {
    expect([...slerp(v(1, 0), v(3, 0), 0.5)]).toEqual([2, 0]);
    expect([...slerp(v(1, 0), v(-3, 0), 0.5)]).toEqual([-1, 0]);
    expect([...slerp(v(1, 0), v(-3, 0), 0.25)]).toEqual([0, 0]);
  });

  it('walks the arc in slerp mode and the line in lerp mode; 2 frames are the two endpoints', () => {
    const slerpPath = latentPath(v(1, 0), v(0, 1), 3, 'slerp');
    expect(slerpPath[2]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(slerpPath[3]).toBeCloseTo(Math.SQRT1_2, 6);
    expect([...latentPath(v(1, 0), v(0, 1), 3, 'lerp')]).toEqual([1, 0, 0.5, 0.5, 0, 1]);
    expect([...latentPath(v(1, 2), v(3, 4), 2, 'lerp')]).toEqual([1, 2, 3, 4]);
    expect(() => latentPath(v(1), v(2), 2.5, 'lerp')).toThrow('a latent path needs at least 2 frames, not 2.5');
  });

  it('finds every cell of a batch, the last one included, and names the cell and batch size when there is none', () => {
    const batch = v(1, 0, 0, 1, 5, 5);
    expect([...latentAt(batch, 2, 0)]).toEqual([1, 0]);
    expect([...latentAt(batch, 2, 2)]).toEqual([5, 5]);
    expect(() => latentAt(batch, 2, 3)).toThrow('no latent vector 3 in a batch of 3');
    expect(() => latentAt(batch, 2, -1)).toThrow('no latent vector -1 in a batch of 3');
  });
});
