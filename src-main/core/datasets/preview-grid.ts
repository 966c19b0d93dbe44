/** Renders the first packed images as one square-ish grid PNG, so lists can show a dataset at a glance. */
import sharp from 'sharp';

/** `pixels` holds `count` packed images back to back (HWC uint8). */
export async function writePreviewGrid(
  pixels: Uint8Array,
  count: number,
  size: number,
  channels: 1 | 3,
  outFile: string,
): Promise<void> {
  if (count === 0) return;
  const cols = Math.ceil(Math.sqrt(count));
  const rows = Math.ceil(count / cols);
  const width = cols * size;
  const canvas = Buffer.alloc(width * rows * size * channels);
  const rowBytes = size * channels;
  for (let n = 0; n < count; n++) {
    const x0 = (n % cols) * size;
    const y0 = Math.floor(n / cols) * size;
    for (let y = 0; y < size; y++) {
      const src = (n * size * size + y * size) * channels;
      canvas.set(pixels.subarray(src, src + rowBytes), ((y0 + y) * width + x0) * channels);
    }
  }
  await sharp(canvas, { raw: { width, height: rows * size, channels } }).png().toFile(outFile);
}
