/** Measures `sample_diversity` on the raw generator's grid of each sample step (the training loop passes it, never the EMA's) against a fixed, seeded set of real images of the run's dataset. */
import { gridCells, meanPairwiseDistance } from './diversity';
import { Rng } from '../../common/rng';
import type { SampleGrid } from '../sample-grid';

/** Its own seed stream, apart from every stream the session draws from. */
const REAL_SUBSET_STREAM = 91;

export class DiversityMeter {
  private readonly realDistance: number;

  constructor(
    images: Uint8Array,
    count: number,
    private readonly size: number,
    private readonly channels: number,
    private readonly gridSize: number,
    seed: number,
  ) {
    const k = Math.min(count, gridSize * gridSize);
    const pixels = size * size * channels;
    const rng = new Rng(seed, REAL_SUBSET_STREAM);
    const subset = new Uint8Array(k * pixels);
    for (let i = 0; i < k; i++) {
      const j = rng.nextInt(count);
      subset.set(images.subarray(j * pixels, (j + 1) * pixels), i * pixels);
    }
    this.realDistance = k >= 2 ? meanPairwiseDistance(subset, k, pixels) : 0;
  }

  /** Generated-to-real ratio of mean pairwise distance; null when it cannot be measured (one cell, or identical real images). */
  measure(grid: SampleGrid): number | null {
    const n = this.gridSize;
    if (n * n < 2 || this.realDistance === 0) return null;
    const cells = gridCells(grid, n, this.size);
    return meanPairwiseDistance(cells, n * n, this.size * this.size * this.channels) / this.realDistance;
  }
}
