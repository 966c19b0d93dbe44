/** Sample diversity: zero for identical samples, the hand-computed RMS distance otherwise, cells read back from a grid. */
import { describe, expect, it } from 'vitest';
import { gridCells, meanPairwiseDistance } from '../../../../src-main/engine/evaluators/diversity';
import { tileSampleGrid } from '../../../../src-main/engine/sample-grid';

describe('meanPairwiseDistance', () => {
  it('is 0 for a batch of identical images (a collapsed generator)', () => {
    const one = Uint8Array.from({ length: 16 }, (_, i) => i * 10);
    const batch = new Uint8Array(4 * 16);
    for (let k = 0; k < 4; k++) batch.set(one, k * 16);
    expect(meanPairwiseDistance(batch, 4, 16)).toBe(0);
  });

  it('matches the RMS distance by hand', () => {
    // Three 2-pixel images, black, white and grey 51: pair distances 1, 51/255 and 204/255.
    const images = Uint8Array.from([0, 0, 255, 255, 51, 51]);
    const expected = (1 + 51 / 255 + 204 / 255) / 3;
    expect(meanPairwiseDistance(images, 3, 2)).toBeCloseTo(expected, 12);
  });

  it('refuses fewer than two images', () => {
    expect(() => meanPairwiseDistance(new Uint8Array(4), 1, 4)).toThrow(/two images/);
  });
});

describe('gridCells', () => {
  it('reads back exactly the images a sample grid was tiled from', () => {
    const n = 3;
    const size = 4;
    const values = Float32Array.from({ length: n * n * size * size * 3 }, (_, i) => ((i * 37) % 255) / 127.5 - 1);
    const grid = tileSampleGrid(values, n, size, 3);
    const cells = gridCells(grid, n, size);
    const expected = Uint8Array.from(values, (v) => Math.min(255, Math.max(0, Math.round((v + 1) * 127.5))));
    expect(Array.from(cells)).toEqual(Array.from(expected));
  });
});
