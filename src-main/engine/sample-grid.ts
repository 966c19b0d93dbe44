/** Tiles generated images into one N × N SampleGrid picture with the common grid's border, uint8 HWC. */
import { tileGrid } from '../common/grid-layout';

export interface SampleGrid {
  width: number;
  height: number;
  channels: 1 | 3;
  pixels: Uint8Array;
}

/** `length` bytes of images in [-1, 1] (as the Generator's tanh emits them) mapped to 0..255; a missing value reads as 0, mid grey. */
export function imageBytes(images: Float32Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const v = Math.round(((images[i] ?? 0) + 1) * 127.5);
    out[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return out;
}

/** `images` holds n*n images of size × size × channels in [-1, 1]. */
export function tileSampleGrid(images: Float32Array, n: number, size: number, channels: 1 | 3): SampleGrid {
  const { width, height, pixels } = tileGrid(imageBytes(images, n * n * size * size * channels), { rows: n, cols: n, cellSize: size, channels });
  return { width, height, channels, pixels };
}
