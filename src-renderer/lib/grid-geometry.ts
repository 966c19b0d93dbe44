/** Where the cells of a sample grid are: N × N images of `size` pixels in the trainer's layout (common/grid-layout). */
import { cellAlong, cellOrigin, gridExtent } from '@common/grid-layout';

export function gridSide(n: number, size: number): number {
  return gridExtent(n, size);
}

/** The cell under a point given as fractions (0..1) of the picture's width and height; borders count for the nearest cell. */
export function cellAt(xFrac: number, yFrac: number, n: number, size: number): number {
  const side = gridSide(n, size);
  return cellAlong(yFrac * side, n, size) * n + cellAlong(xFrac * side, n, size);
}

/** The pixel rectangle of a cell in the picture. */
export function cellRect(index: number, n: number, size: number): { x: number; y: number; size: number } {
  return { ...cellOrigin(index, n, size), size };
}
