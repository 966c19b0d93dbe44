/** Where the cells of a sample grid are: N × N images of `size` pixels with a border between them, as the trainer tiles them. */

/** The border the trainer draws between cells (engine/sample-grid.ts). */
export const GRID_BORDER = 2;

export function gridSide(n: number, size: number): number {
  return n * size + (n + 1) * GRID_BORDER;
}

/** The cell under a point given as fractions (0..1) of the picture's width and height; borders count for the nearest cell. */
export function cellAt(xFrac: number, yFrac: number, n: number, size: number): number {
  const side = gridSide(n, size);
  const pick = (f: number) => Math.max(0, Math.min(n - 1, Math.floor((f * side - GRID_BORDER) / (size + GRID_BORDER))));
  return pick(yFrac) * n + pick(xFrac);
}

/** The pixel rectangle of a cell in the picture. */
export function cellRect(index: number, n: number, size: number): { x: number; y: number; size: number } {
  const row = Math.floor(index / n);
  const col = index % n;
  return { x: GRID_BORDER + col * (size + GRID_BORDER), y: GRID_BORDER + row * (size + GRID_BORDER), size };
}
