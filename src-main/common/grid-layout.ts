/** The one layout of tiled pictures (sample grids, latent walks, class rows): square cells row-major, a border around and between them. */

/** Pixels of border around and between cells in every picture the trainer tiles. */
export const GRID_BORDER = 2;
/** Mid grey stays visible against both black (MNIST) and white backgrounds; empty cells show it too. */
export const GRID_FILL = 128;

export interface GridLayout {
  rows: number;
  cols: number;
  /** Side of a square cell in pixels. */
  cellSize: number;
  channels: number;
  /** Defaults to GRID_BORDER; 0 tiles the cells edge to edge. */
  border?: number;
}

/** A tiled picture, uint8 HWC. */
export interface TiledPixels {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/** Rows and columns for `count` cells: `columns` wide (default ⌈√count⌉, a square-ish grid), never wider than count. */
export function gridShape(count: number, columns?: number): { rows: number; cols: number } {
  const cols = Math.max(1, Math.min(count, columns ?? Math.ceil(Math.sqrt(count))));
  return { rows: Math.ceil(count / cols), cols };
}

/** Pixels spanned by `cells` cells along one axis, the borders on both sides included. */
export function gridExtent(cells: number, cellSize: number, border = GRID_BORDER): number {
  return cells * cellSize + (cells + 1) * border;
}

/** How many cells a picture's width or height holds (the inverse of gridExtent, for a picture read back from disk). */
export function cellsInExtent(extent: number, cellSize: number, border = GRID_BORDER): number {
  return Math.round((extent - border) / (cellSize + border));
}

/** The top-left pixel of cell `index` in a grid `cols` wide. */
export function cellOrigin(index: number, cols: number, cellSize: number, border = GRID_BORDER): { x: number; y: number } {
  return { x: border + (index % cols) * (cellSize + border), y: border + Math.floor(index / cols) * (cellSize + border) };
}

/** The cell (0..cells−1) at a pixel along one axis; a border between cells counts for the one before it, the outer ones for the nearest. */
export function cellAlong(pixel: number, cells: number, cellSize: number, border = GRID_BORDER): number {
  return Math.max(0, Math.min(cells - 1, Math.floor((pixel - border) / (cellSize + border))));
}

/** Lays out `cells` (whole cells back to back, cellSize² · channels bytes each) row-major; cells past the last one stay GRID_FILL. */
export function tileGrid(cells: Uint8Array, layout: GridLayout): TiledPixels {
  const { rows, cols, cellSize, channels, border = GRID_BORDER } = layout;
  const width = gridExtent(cols, cellSize, border);
  const height = gridExtent(rows, cellSize, border);
  const pixels = new Uint8Array(width * height * channels).fill(GRID_FILL);
  const line = cellSize * channels;
  const count = Math.min(rows * cols, Math.floor(cells.length / (line * cellSize)));
  for (let k = 0; k < count; k++) {
    const { x, y } = cellOrigin(k, cols, cellSize, border);
    for (let r = 0; r < cellSize; r++) {
      const src = (k * cellSize + r) * line;
      pixels.set(cells.subarray(src, src + line), ((y + r) * width + x) * channels);
    }
  }
  return { width, height, pixels };
}

/** The cells of a tiled picture back to back without borders: the inverse of tileGrid. */
export function untileGrid(picture: Pick<TiledPixels, 'width' | 'pixels'>, layout: GridLayout): Uint8Array {
  const { rows, cols, cellSize, channels, border = GRID_BORDER } = layout;
  const line = cellSize * channels;
  const out = new Uint8Array(rows * cols * cellSize * line);
  for (let k = 0; k < rows * cols; k++) {
    const { x, y } = cellOrigin(k, cols, cellSize, border);
    for (let r = 0; r < cellSize; r++) {
      const from = ((y + r) * picture.width + x) * channels;
      out.set(picture.pixels.subarray(from, from + line), (k * cellSize + r) * line);
    }
  }
  return out;
}
