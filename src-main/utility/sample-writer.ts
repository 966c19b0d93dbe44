/** Encodes a SampleGrid to a PNG file (written to a temp name first so readers never see half a file). */
import { rename } from 'node:fs/promises';
import sharp from 'sharp';

export interface GridPixels {
  width: number;
  height: number;
  channels: 1 | 3;
  pixels: Uint8Array;
}

export async function writeSamplePng(file: string, grid: GridPixels): Promise<void> {
  const tmp = `${file}.tmp`;
  await sharp(Buffer.from(grid.pixels.buffer, grid.pixels.byteOffset, grid.pixels.byteLength), {
    raw: { width: grid.width, height: grid.height, channels: grid.channels },
  })
    .png({ compressionLevel: 6 })
    .toFile(tmp);
  await rename(tmp, file);
}
