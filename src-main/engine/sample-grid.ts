/** Tiles generated images into one N × N SampleGrid picture with a thin border, uint8 HWC. */

export interface SampleGrid {
  width: number;
  height: number;
  channels: 1 | 3;
  pixels: Uint8Array;
}

export const GRID_BORDER = 2;
/** Mid grey stays visible against both black (MNIST) and white backgrounds. */
const BORDER_VALUE = 128;

/** `images` holds n*n images of size × size × channels in [-1, 1], as the Generator's tanh emits them. */
export function tileSampleGrid(images: Float32Array, n: number, size: number, channels: 1 | 3): SampleGrid {
  const side = n * size + (n + 1) * GRID_BORDER;
  const pixels = new Uint8Array(side * side * channels).fill(BORDER_VALUE);
  const imagePixels = size * size * channels;
  for (let k = 0; k < n * n; k++) {
    const top = GRID_BORDER + Math.floor(k / n) * (size + GRID_BORDER);
    const left = GRID_BORDER + (k % n) * (size + GRID_BORDER);
    for (let y = 0; y < size; y++) {
      const src = k * imagePixels + y * size * channels;
      const dst = ((top + y) * side + left) * channels;
      for (let i = 0; i < size * channels; i++) {
        const v = Math.round(((images[src + i] ?? 0) + 1) * 127.5);
        pixels[dst + i] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
  }
  return { width: side, height: side, channels, pixels };
}
