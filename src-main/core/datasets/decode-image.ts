/** Turns one candidate file into packed pixels (size x size x channels, uint8) or a precise reason it cannot be. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import sharp, { type Metadata } from 'sharp';
import type { ImportFit } from '../../common/datasets';
import { DEFAULT_MAX_INPUT_PIXELS, MAX_FILE_BYTES, MIN_SOURCE_SIDE, REJECT } from './reject-reasons';
import { makeThumb } from './thumb-sheets';
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

/** A file read, hashed and measured, ready to be converted (whole or by region). */
type SourceImage = { ok: true; bytes: Buffer; sha1: string; width: number; height: number; format: string } | { ok: false; reason: string };

async function readSource(file: { abs: string; size: number }, opts: DecodeOptions): Promise<SourceImage> {
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
  // As displayed: a photo turned by its EXIF orientation is split and cropped upright.
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!width || !height) return { ok: false, reason: REJECT.corrupt };
  if (width < MIN_SOURCE_SIDE || height < MIN_SOURCE_SIDE) return { ok: false, reason: REJECT.tooSmall(width, height) };
  if (width * height > opts.maxInputPixels) {
    return { ok: false, reason: REJECT.tooManyPixels(width, height, opts.maxInputPixels) };
  }
  return { ok: true, bytes, sha1, width, height, format };
}

/** A region of the upright source, in pixels. */
interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Packed pixels of the whole source or of one region, or why they cannot be made. */
async function convert(source: Extract<SourceImage, { ok: true }>, opts: DecodeOptions, region?: Region): Promise<{ ok: true; pixels: Buffer } | { ok: false; reason: string }> {
  const expected = opts.size * opts.size * opts.channels;
  let pixels: Buffer;
  try {
    pixels = await toPackedPixels(source.bytes, opts, region);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/pixel limit/i.test(message)) return { ok: false, reason: REJECT.tooManyPixels(source.width, source.height, opts.maxInputPixels) };
    return { ok: false, reason: REJECT.corrupt };
  }
  if (pixels.length !== expected) return { ok: false, reason: REJECT.unexpectedOutput(pixels.length, expected) };
  return { ok: true, pixels };
}

export async function decodeImage(file: { abs: string; size: number }, opts: DecodeOptions): Promise<DecodeResult> {
  const source = await readSource(file, opts);
  if (!source.ok) return source;
  const converted = await convert(source, opts);
  if (!converted.ok) return converted;
  const { sha1, width, height, format } = source;
  return { ok: true, pixels: converted.pixels, sha1, width, height, format };
}

export type SplitResult =
  | { ok: true; a: Buffer; b: Buffer; sha1: string; width: number; height: number; format: string }
  | { ok: false; reason: string };

/**
 * A pix2pix-style image holding A on the left and B on the right, cut at floor(width / 2): A is
 * columns [0, h), B is [h, 2h) with h = floor(width / 2), so with an odd width the last column is
 * in neither. Each half is then fitted like a whole image; `width` is the source's.
 */
export async function decodeSplitImage(file: { abs: string; size: number }, opts: DecodeOptions): Promise<SplitResult> {
  const source = await readSource(file, opts);
  if (!source.ok) return source;
  const half = Math.floor(source.width / 2);
  if (half < MIN_SOURCE_SIDE) return { ok: false, reason: REJECT.tooNarrowToSplit(source.width, source.height) };
  const a = await convert(source, opts, { left: 0, top: 0, width: half, height: source.height });
  if (!a.ok) return a;
  const b = await convert(source, opts, { left: half, top: 0, width: half, height: source.height });
  if (!b.ok) return b;
  const { sha1, width, height, format } = source;
  return { ok: true, a: a.pixels, b: b.pixels, sha1, width, height, format };
}

/** How a source becomes a square: the import's fit and background. */
export interface DecodeChoices {
  fit: ImportFit;
  background: string;
}

export type Decoded = Extract<DecodeResult, { ok: true }> & { thumb: Buffer } | Extract<DecodeResult, { ok: false }>;

/** The decode of a pool task: the thumbnail is made there too, so its resize runs in parallel with other decodes. */
export function thumbnailedDecoder(
  opts: { size: number; channels: 1 | 3; maxInputPixels?: number },
  choices: DecodeChoices,
): (file: { abs: string; size: number }) => Promise<Decoded> {
  const decodeOpts = decodeOptions(opts, choices);
  return async (file) => {
    const result = await decodeImage(file, decodeOpts);
    return result.ok ? { ...result, thumb: await makeThumb(result.pixels, opts.size, opts.channels) } : result;
  };
}

export function decodeOptions(opts: { size: number; channels: 1 | 3; maxInputPixels?: number }, choices: DecodeChoices): DecodeOptions {
  return { size: opts.size, channels: opts.channels, maxInputPixels: opts.maxInputPixels ?? DEFAULT_MAX_INPUT_PIXELS, fit: choices.fit, background: choices.background };
}

const SHARP_FIT = { crop: 'cover', pad: 'contain', stretch: 'fill' } as const;

/** Alpha onto the background, to a square by crop, pad or stretch, then one channel (luminance) or three (sRGB), 8 bits each. */
function toPackedPixels(bytes: Buffer, opts: DecodeOptions, region?: Region): Promise<Buffer> {
  const image = sharp(bytes, {
    limitInputPixels: opts.maxInputPixels,
    sequentialRead: true,
    // 'error' also fails on truncation, but lets through the harmless warnings many real JPEGs carry.
    failOn: 'error',
    autoOrient: true,
    // First frame only of animated GIF/WebP and multi-page TIFF.
    pages: 1,
  });
  // Before the resize: the region is of the upright source (sharp applies autoOrient first).
  const pipeline = (region ? image.extract(region) : image)
    .flatten({ background: opts.background })
    .resize(opts.size, opts.size, { fit: SHARP_FIT[opts.fit], position: 'centre', background: opts.background });
  const converted = opts.channels === 1 ? pipeline.toColourspace('b-w') : pipeline.removeAlpha().toColourspace('srgb');
  return converted.raw({ depth: 'uchar' }).toBuffer();
}
