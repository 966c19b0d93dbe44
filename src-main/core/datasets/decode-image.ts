/** Turns one candidate file into packed pixels (size x size x channels, uint8) or a precise reason it cannot be. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import sharp, { type Metadata } from 'sharp';
import type { ImportFit } from '../../common/datasets';
import { MAX_FILE_BYTES, MIN_SOURCE_SIDE, REJECT } from './reject-reasons';
import { SUPPORTED_FORMATS, sniffImageFormat } from './sniff-format';

export interface DecodeOptions {
  size: number;
  channels: 1 | 3;
  maxInputPixels: number;
  fit: ImportFit;
  /** `#rrggbb`: what transparent pixels and padding become. */
  background: string;
}

export type DecodeResult =
  | { ok: true; pixels: Buffer; sha1: string; width: number; height: number; format: string }
  | { ok: false; reason: string };

function errnoCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | null)?.code ?? 'error';
}

function formatName(meta: Metadata): string {
  // sharp reports AVIF and HEIC both as "heif"; only AV1-compressed HEIF (AVIF) decodes in the prebuilt sharp.
  if (meta.format === 'heif') return meta.compression === 'av1' ? 'avif' : 'heic';
  return meta.format ?? 'unknown';
}

/** Why a file sharp cannot even read the header of was refused. */
function unreadableReason(bytes: Uint8Array): string {
  const claimed = sniffImageFormat(bytes.subarray(0, 32));
  if (claimed === null) return REJECT.notImage;
  return SUPPORTED_FORMATS.has(claimed) ? REJECT.corrupt : REJECT.unsupported(claimed);
}

export async function decodeImage(file: { abs: string; size: number }, opts: DecodeOptions): Promise<DecodeResult> {
  if (file.size === 0) return { ok: false, reason: REJECT.empty };
  if (file.size > MAX_FILE_BYTES) return { ok: false, reason: REJECT.tooManyBytes(file.size) };
  let bytes: Buffer;
  try {
    bytes = await readFile(file.abs);
  } catch (error) {
    return { ok: false, reason: REJECT.unreadable(errnoCode(error)) };
  }
  // Re-checked: the file may have changed since the walk measured it.
  if (bytes.length === 0) return { ok: false, reason: REJECT.empty };
  const sha1 = createHash('sha1').update(bytes).digest('hex');

  let meta: Metadata;
  try {
    // No pixel limit here: the header alone is cheap, and its size gives a clearer reason below.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    return { ok: false, reason: unreadableReason(bytes) };
  }
  const format = formatName(meta);
  if (!SUPPORTED_FORMATS.has(format)) return { ok: false, reason: REJECT.unsupported(format) };
  const { width, height } = meta;
  if (!width || !height) return { ok: false, reason: REJECT.corrupt };
  if (width < MIN_SOURCE_SIDE || height < MIN_SOURCE_SIDE) return { ok: false, reason: REJECT.tooSmall(width, height) };
  if (width * height > opts.maxInputPixels) {
    return { ok: false, reason: REJECT.tooManyPixels(width, height, opts.maxInputPixels) };
  }

  const expected = opts.size * opts.size * opts.channels;
  let pixels: Buffer;
  try {
    pixels = await toPackedPixels(bytes, opts);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/pixel limit/i.test(message)) return { ok: false, reason: REJECT.tooManyPixels(width, height, opts.maxInputPixels) };
    return { ok: false, reason: REJECT.corrupt };
  }
  if (pixels.length !== expected) return { ok: false, reason: REJECT.unexpectedOutput(pixels.length, expected) };
  return { ok: true, pixels, sha1, width, height, format };
}

const SHARP_FIT = { crop: 'cover', pad: 'contain', stretch: 'fill' } as const;

/** Alpha onto the background, to a square by crop, pad or stretch, then one channel (luminance) or three (sRGB), 8 bits each. */
function toPackedPixels(bytes: Buffer, opts: DecodeOptions): Promise<Buffer> {
  const pipeline = sharp(bytes, {
    limitInputPixels: opts.maxInputPixels,
    sequentialRead: true,
    // 'error' also fails on truncation, but lets through the harmless warnings many real JPEGs carry.
    failOn: 'error',
    autoOrient: true,
    // First frame only of animated GIF/WebP and multi-page TIFF.
    pages: 1,
  })
    .flatten({ background: opts.background })
    .resize(opts.size, opts.size, { fit: SHARP_FIT[opts.fit], position: 'centre', background: opts.background });
  const converted = opts.channels === 1 ? pipeline.toColourspace('b-w') : pipeline.removeAlpha().toColourspace('srgb');
  return converted.raw({ depth: 'uchar' }).toBuffer();
}
