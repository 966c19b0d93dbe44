/** Thumbnails for the dataset grid, packed 256 to a PNG sprite sheet so 60,000 images need only ~235 requests. */
import sharp from 'sharp';
import { THUMB_COLUMNS, THUMB_MAX_SIDE, THUMBS_DIR, THUMBS_PER_SHEET } from './packed-format';
import type { PackedWriter } from './packed-writer';

export interface ThumbSheetsInfo {
  side: number;
  columns: number;
  perSheet: number;
  /** Relative to the dataset folder. */
  sheets: string[];
}

export function thumbSide(size: number): number {
  return Math.min(size, THUMB_MAX_SIDE);
}

/** One packed image as a thumbnail: the pixels themselves when small enough, else a sharp downscale. */
export async function makeThumb(pixels: Buffer, size: number, channels: 1 | 3): Promise<Buffer> {
  const side = thumbSide(size);
  if (side === size) return pixels;
  const resized = sharp(pixels, { raw: { width: size, height: size, channels } }).resize(side, side, { fit: 'fill' });
  // Without b-w, sharp widens one raw channel to three on output.
  return (channels === 1 ? resized.toColourspace('b-w') : resized).raw().toBuffer();
}

export function sheetFile(index: number): string {
  return `${THUMBS_DIR}/sheet-${String(index).padStart(4, '0')}.png`;
}

/**
 * Collects thumbnails in packed order and writes each full sheet while the next one fills. At most
 * one sheet is being encoded at a time, so memory stays at two sheets (≤ 2 x 3 MB) whatever the count.
 */
export class ThumbSheetWriter {
  private readonly side: number;
  private readonly rowBytes: number;
  private sheet: Buffer;
  private inSheet = 0;
  private readonly sheets: string[] = [];
  private encoding: Promise<void> = Promise.resolve();
  /** Kept, not left in a stored promise: a rejection nobody awaits yet would crash the process. */
  private failure: unknown = null;

  constructor(
    private readonly writer: PackedWriter,
    size: number,
    private readonly channels: 1 | 3,
  ) {
    this.side = thumbSide(size);
    this.rowBytes = THUMB_COLUMNS * this.side * channels;
    this.sheet = this.newSheet();
  }

  private newSheet(): Buffer {
    return Buffer.alloc(THUMBS_PER_SHEET * this.side * this.side * this.channels);
  }

  async add(thumb: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    const { side, channels } = this;
    const col = this.inSheet % THUMB_COLUMNS;
    const row = Math.floor(this.inSheet / THUMB_COLUMNS);
    const lineBytes = side * channels;
    for (let y = 0; y < side; y++) {
      const target = (row * side + y) * this.rowBytes + col * lineBytes;
      this.sheet.set(thumb.subarray(y * lineBytes, (y + 1) * lineBytes), target);
    }
    this.inSheet++;
    if (this.inSheet === THUMBS_PER_SHEET) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.inSheet === 0) return;
    const rows = Math.ceil(this.inSheet / THUMB_COLUMNS);
    const pixels = this.sheet.subarray(0, rows * this.side * this.rowBytes);
    const file = sheetFile(this.sheets.length);
    this.sheets.push(file);
    const path = await this.writer.prepareFile(file);
    // Wait for the previous sheet before starting this one: two in memory at most.
    await this.encoding;
    const { side, channels } = this;
    const image = sharp(pixels, { raw: { width: THUMB_COLUMNS * side, height: rows * side, channels } });
    this.encoding = (channels === 1 ? image.toColourspace('b-w') : image)
      // Thumbnails are many and small; fast compression keeps them off the import's critical path.
      .png({ compressionLevel: 3 })
      .toFile(path)
      .then(
        () => undefined,
        (error: unknown) => {
          this.failure ??= error;
        },
      );
    this.sheet = this.newSheet();
    this.inSheet = 0;
  }

  async finish(): Promise<ThumbSheetsInfo> {
    await this.flush();
    await this.encoding;
    if (this.failure) throw this.failure;
    return { side: this.side, columns: THUMB_COLUMNS, perSheet: THUMBS_PER_SHEET, sheets: [...this.sheets] };
  }

  /** Lets a failed import wait for the encoder before its folder is removed. */
  settle(): Promise<void> {
    return this.encoding;
  }
}
