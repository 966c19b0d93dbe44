/** CycleGAN's history of generated images (Shrivastava et al. 2017; Zhu et al. 2017 keep 50): D sees past fakes too, so it cannot chase G's latest outputs alone. */
import type { Rng } from '../../common/rng';

/** What a checkpoint keeps of a pool: `count` stored images, `count · imageSize` values in slot order. */
export interface ImagePoolState {
  count: number;
  images: Float32Array;
}

/**
 * A pool of up to `capacity` images of `imageSize` values each (S·S·C, in whatever layout and range
 * the caller uses: the pool only copies values). It works on Float32Arrays, not tensors, so it needs
 * no backend and its replays are exact; the D step converts with dataSync and tf.tensor itself.
 * The rng is the caller's: its state goes into the checkpoint with the rest of the owner's streams,
 * so exportState holds only the images.
 */
export class ImagePool {
  private readonly capacity: number;
  private readonly imageSize: number;
  private readonly rng: Rng;
  /** One array per filled slot; slots fill in order 0, 1, … and are never emptied. */
  private slots: Float32Array[] = [];

  constructor(capacity: number, imageSize: number, rng: Rng) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new Error(`image pool capacity must be an integer ≥ 0, got ${capacity}`);
    if (!Number.isInteger(imageSize) || imageSize < 1) throw new Error(`image pool image size must be a positive integer, got ${imageSize}`);
    this.capacity = capacity;
    this.imageSize = imageSize;
    this.rng = rng;
  }

  /**
   * For each image of the batch in order: while the pool is not full, store a copy and return the
   * image; once full, draw u = rng.nextFloat(), and if u < 0.5 draw j = rng.nextInt(capacity),
   * return slot j's image and store the new one there, else return the new image (drawing nothing
   * more). That is one draw per image once full, two on a swap, none before: the order a replay
   * needs. Images are handled one at a time, so the pool can fill part-way through a batch, and an
   * image stored earlier in the same batch can come back out of it, as in the reference code.
   * Capacity 0 returns a copy of the batch and draws nothing. Always returns a new array.
   */
  query(batch: Float32Array, n: number): Float32Array {
    if (!Number.isInteger(n) || n < 0) throw new Error(`image pool query needs a whole number of images ≥ 0, got ${n}`);
    const size = this.imageSize;
    if (batch.length !== n * size) throw new Error(`image pool query: ${batch.length} values is not ${n} images of ${size}`);
    const out = Float32Array.from(batch);
    if (this.capacity === 0) return out;
    for (let i = 0; i < n; i++) {
      const image = batch.subarray(i * size, (i + 1) * size);
      if (this.slots.length < this.capacity) {
        this.slots.push(Float32Array.from(image));
        continue;
      }
      if (this.rng.nextFloat() < 0.5) {
        const slot = this.slots[this.rng.nextInt(this.capacity)]!;
        out.set(slot, i * size);
        slot.set(image);
      }
    }
    return out;
  }

  /** Images stored so far (at most the capacity). */
  get size(): number {
    return this.slots.length;
  }

  /** A copy of the stored images, slot by slot. */
  exportState(): ImagePoolState {
    const images = new Float32Array(this.slots.length * this.imageSize);
    this.slots.forEach((slot, k) => images.set(slot, k * this.imageSize));
    return { count: this.slots.length, images };
  }

  /** Replaces the stored images with copies of the state's; everything is checked before anything is overwritten. */
  importState(state: ImagePoolState): void {
    const { count, images } = state;
    if (!Number.isInteger(count) || count < 0 || count > this.capacity) {
      throw new Error(`image pool state holds ${count} images; this pool takes an integer from 0 to ${this.capacity}`);
    }
    if (!(images instanceof Float32Array)) throw new Error('image pool state images must be a Float32Array');
    if (images.length !== count * this.imageSize) {
      throw new Error(`image pool state has ${images.length} values for ${count} images of ${this.imageSize} (expected ${count * this.imageSize})`);
    }
    this.slots = Array.from({ length: count }, (_, k) => images.slice(k * this.imageSize, (k + 1) * this.imageSize));
  }
}
