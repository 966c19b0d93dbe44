/** Tiled dot products and squared distances: every pair visited once (upper tiles only when asked), values against plain loops, identical rows exactly 0 apart. */
import { describe, expect, it } from 'vitest';
import { forEachDotTile, forEachSquaredDistanceTile, rowSquaredNorms, TILE_ROWS } from '../../../../../src-main/engine/evaluators/distances/pairwise';
import { gaussianSet } from './gaussian-sets';

describe('forEachDotTile', () => {
  const a = gaussianSet(TILE_ROWS + 37, [1, -2, 0.5], [1, 1, 3], 1);
  const b = gaussianSet(2 * TILE_ROWS + 3, [0, 1, 0], [2, 1, 1], 2);

  it('visits each (i, j) exactly once with a_i · b_j, across partial tiles', () => {
    const seen = new Map<string, number>();
    forEachDotTile(a, b, (t) => {
      for (let i = t.i0; i < t.i1; i++) for (let j = t.j0; j < t.j1; j++) seen.set(`${i},${j}`, t.values[(i - t.i0) * t.width + (j - t.j0)]!);
    });
    expect(seen.size).toBe(a.rows * b.rows);
    for (let i = 0; i < a.rows; i++) {
      for (let j = 0; j < b.rows; j++) {
        const dot = a.data[i * 3]! * b.data[j * 3]! + a.data[i * 3 + 1]! * b.data[j * 3 + 1]! + a.data[i * 3 + 2]! * b.data[j * 3 + 2]!;
        expect(seen.get(`${i},${j}`)).toBeCloseTo(dot, 12);
      }
    }
  });

  it('with upperOnly visits only the tiles on and above the diagonal', () => {
    const tiles: string[] = [];
    forEachDotTile(b, b, (t) => tiles.push(`${t.i0},${t.j0}`), { upperOnly: true });
    expect(tiles).toEqual(['0,0', '0,64', '0,128', '64,64', '64,128', '128,128']);
  });
});

describe('forEachSquaredDistanceTile', () => {
  it('gives |a_i − b_j|², and exactly 0 between identical rows, float32 or float64', () => {
    for (const wide of [false, true]) {
      const base = gaussianSet(70, [3, 3, 3, 3], [5, 5, 5, 5], 3);
      const set = { ...base, data: wide ? base.data : Float32Array.from(base.data) };
      forEachSquaredDistanceTile(set, set, (t) => {
        for (let i = t.i0; i < t.i1; i++) {
          for (let j = t.j0; j < t.j1; j++) {
            let s = 0;
            for (let k = 0; k < 4; k++) s += (set.data[i * 4 + k]! - set.data[j * 4 + k]!) ** 2;
            const got = t.values[(i - t.i0) * t.width + (j - t.j0)]!;
            if (i === j) expect(got).toBe(0);
            else expect(got).toBeCloseTo(s, 9);
          }
        }
      });
    }
  });

  it('rowSquaredNorms are the rows’ squared lengths', () => {
    expect([...rowSquaredNorms({ rows: 2, dims: 2, data: Float64Array.of(3, 4, 1, 0) })]).toEqual([25, 1]);
  });
});
