/** The one grid layout: the tiler against pictures built by hand, and the geometry the renderer and core read back from it. */
import { describe, expect, it } from 'vitest';
import { cellAlong, cellOrigin, cellsInExtent, GRID_BORDER, gridExtent, gridShape, tileGrid, untileGrid } from '../../../src-main/common/grid-layout';

const G = 128;

describe('tileGrid', () => {
  it('tiles a 2 × 2 grid of 2-pixel grey cells with a 2-pixel border, byte for byte', () => {
    const cells = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
    const out = tileGrid(cells, { rows: 2, cols: 2, cellSize: 2, channels: 1 });
    const border = Array<number>(10).fill(G);
    // prettier-ignore
    const expected = [
      ...border,
      ...border,
      G, G, 1, 2, G, G, 5, 6, G, G,
      G, G, 3, 4, G, G, 7, 8, G, G,
      ...border,
      ...border,
      G, G, 9, 10, G, G, 13, 14, G, G,
      G, G, 11, 12, G, G, 15, 16, G, G,
      ...border,
      ...border,
    ];
    expect(GRID_BORDER).toBe(2);
    expect(out.width).toBe(10);
    expect(out.height).toBe(10);
    expect([...out.pixels]).toEqual(expected);
  });

  it('keeps the channels of a pixel together, and honours another border', () => {
    // Four RGB cells of one pixel: (1,2,3), (4,5,6), (7,8,9), (10,11,12); a border of 1.
    const cells = Uint8Array.from({ length: 12 }, (_, i) => i + 1);
    const out = tileGrid(cells, { rows: 2, cols: 2, cellSize: 1, channels: 3, border: 1 });
    const g = [G, G, G];
    // prettier-ignore
    const expected = [
      ...g, ...g, ...g, ...g, ...g,
      ...g, 1, 2, 3, ...g, 4, 5, 6, ...g,
      ...g, ...g, ...g, ...g, ...g,
      ...g, 7, 8, 9, ...g, 10, 11, 12, ...g,
      ...g, ...g, ...g, ...g, ...g,
    ];
    expect([out.width, out.height]).toEqual([5, 5]);
    expect([...out.pixels]).toEqual(expected);
  });

  it('tiles edge to edge with border 0 and leaves cells past the last one grey', () => {
    const out = tileGrid(Uint8Array.from([1, 2, 3]), { rows: 2, cols: 2, cellSize: 1, channels: 1, border: 0 });
    expect([...out.pixels]).toEqual([1, 2, 3, G]);
  });

  it('leaves a trailing partial cell grey and ignores cells the grid has no room for', () => {
    // Cells of 2 × 2 grey pixels: six bytes are one cell and half of the next.
    const partial = tileGrid(Uint8Array.from([1, 2, 3, 4, 5, 6]), { rows: 1, cols: 2, cellSize: 2, channels: 1, border: 0 });
    expect([...partial.pixels]).toEqual([1, 2, G, G, 3, 4, G, G]);
    const five = tileGrid(Uint8Array.from([1, 2, 3, 4, 5]), { rows: 2, cols: 2, cellSize: 1, channels: 1, border: 0 });
    expect([...five.pixels]).toEqual([1, 2, 3, 4]);
  });

  it('gives the cells back with untileGrid', () => {
    const cells = Uint8Array.from({ length: 3 * 2 * 4 * 4 * 3 }, (_, i) => (i * 7) % 256);
    const layout = { rows: 3, cols: 2, cellSize: 4, channels: 3 };
    expect(untileGrid(tileGrid(cells, layout), layout)).toEqual(cells);
  });
});

describe('grid geometry', () => {
  it('shapes a count of cells square-ish, or as wide as asked', () => {
    expect(gridShape(9)).toEqual({ rows: 3, cols: 3 });
    expect(gridShape(5)).toEqual({ rows: 2, cols: 3 });
    expect(gridShape(7, 1)).toEqual({ rows: 7, cols: 1 });
    expect(gridShape(3, 10)).toEqual({ rows: 1, cols: 3 });
  });

  it('reads the number of cells back from a picture’s size', () => {
    for (const cells of [1, 2, 8, 16]) expect(cellsInExtent(gridExtent(cells, 28), 28)).toBe(cells);
    // Small cells, where a border is a large part of each step: 1-pixel cells with the 2-pixel border.
    for (const cells of [1, 3, 10]) expect(cellsInExtent(gridExtent(cells, 1), 1)).toBe(cells);
  });

  it('finds the cell under a pixel, borders counting for a neighbour', () => {
    // Cells of 4 px: cell 0 spans 2..5, cell 1 spans 8..11, cell 2 spans 14..17.
    expect(cellOrigin(4, 3, 4)).toEqual({ x: 8, y: 8 });
    expect([0, 2, 5, 7, 8, 13, 14, 19].map((p) => cellAlong(p, 3, 4))).toEqual([0, 0, 0, 0, 1, 1, 2, 2]);
    // A pointer past either edge (the picture scaled on screen) counts for the nearest cell.
    expect([-5, 20, 100].map((p) => cellAlong(p, 3, 4))).toEqual([0, 2, 2]);
  });
});
