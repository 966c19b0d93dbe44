/**
 * Sample diversity for the mode-collapse diagnostic: the mean pairwise L2 distance between the
 * fixed-noise samples, relative to the same measure on real images (1 ≈ as varied as the data,
 * → 0 as the generator collapses onto few outputs).
 */
import { untileGrid } from '../../common/grid-layout';
import type { SampleGrid } from '../sample-grid';

/** Root-mean-square difference per pixel (0..1 scale), averaged over every pair of the `count` images. */
export function meanPairwiseDistance(images: Uint8Array, count: number, pixels: number): number {
  if (count < 2) throw new Error('diversity needs at least two images');
  let sum = 0;
  for (let a = 0; a < count; a++) {
    for (let b = a + 1; b < count; b++) {
      let sq = 0;
      for (let i = 0; i < pixels; i++) {
        const d = (images[a * pixels + i]! - images[b * pixels + i]!) / 255;
        sq += d * d;
      }
      sum += Math.sqrt(sq / pixels);
    }
  }
  return sum / ((count * (count - 1)) / 2);
}

/** The n × n cells of a sample grid (see tileSampleGrid), back to back without borders. */
export function gridCells(grid: SampleGrid, n: number, size: number): Uint8Array {
  return untileGrid(grid, { rows: n, cols: n, cellSize: size, channels: grid.channels });
}
