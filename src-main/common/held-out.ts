/**
 * The held-out split an import reserves: a seeded tenth of the images (at most 5,000) that GAN
 * training never sees, so that the memorization check can compare generated images with unseen real
 * ones. Datasets under 1,000 images have none: the check then draws its yardstick from the training
 * images and says so.
 */
import { drawOrder, Rng } from './rng';

export const HELD_OUT_FRACTION = 0.1;
export const HELD_OUT_MAX = 5000;
export const HELD_OUT_MIN_DATASET = 1000;
/** Seed and stream of the draw: the same folder always splits the same way. */
const HELD_OUT_SEED = 0;
const HELD_OUT_STREAM = 12;

export function heldOutCount(count: number): number {
  return count < HELD_OUT_MIN_DATASET ? 0 : Math.min(HELD_OUT_MAX, Math.round(count * HELD_OUT_FRACTION));
}

/** The held-out images' indices, ascending. */
export function heldOutIndices(count: number): number[] {
  return Array.from(drawOrder(new Rng(HELD_OUT_SEED, HELD_OUT_STREAM), count, heldOutCount(count))).sort((a, b) => a - b);
}
