/** The exact reasons a file is left out of an import; one place so the UI and tests read the same words. */
import { MAX_IMAGE_FILE_BYTES } from '../../common/datasets';

/** Smallest source side we accept: below it there is nothing to learn from, whatever the target size. */
export const MIN_SOURCE_SIDE = 8;
/** Decoded pixels above which a file is refused before decoding (sharp's limitInputPixels); ~10k x 10k. */
export const DEFAULT_MAX_INPUT_PIXELS = 100_000_000;
/** Files are read whole (to hash them); this bounds the memory of the few decoded at once. */
export const MAX_FILE_BYTES = MAX_IMAGE_FILE_BYTES;

export const REJECT = {
  empty: 'empty file',
  notImage: 'not an image (unsupported format)',
  unsupported: (format: string): string => `unsupported format (${format})`,
  corrupt: 'corrupt or truncated image',
  tooSmall: (width: number, height: number): string =>
    `too small (${width}x${height}, need at least ${MIN_SOURCE_SIDE}x${MIN_SOURCE_SIDE})`,
  tooManyPixels: (width: number, height: number, limit: number): string =>
    `too large (${width}x${height}, limit ${limit} pixels)`,
  tooManyBytes: (bytes: number): string =>
    `too large (${Math.ceil(bytes / 1024 / 1024)} MB file, limit ${MAX_FILE_BYTES / 1024 / 1024} MB)`,
  duplicate: (firstFile: string): string => `duplicate of ${firstFile}`,
  unreadable: (code: string): string => `unreadable (${code})`,
  tooNarrowToSplit: (width: number, height: number): string =>
    `too small to split into A and B (${width}x${height}: each half would be ${Math.floor(width / 2)}x${height}, need at least ${MIN_SOURCE_SIDE}x${MIN_SOURCE_SIDE})`,
  noPartner: (side: string): string => `no partner in ${side}/`,
  partnerRejected: 'its partner was rejected',
  sameName: (first: string): string => `same name without extension as ${first}: which one is the pair is ambiguous`,
  outsidePairFolders: (a: string, b: string): string => `not in ${a}/ or ${b}/`,
  duplicatePair: (first: string): string => `duplicate pair of ${first}`,
  unexpectedOutput: (got: number, expected: number): string =>
    `could not convert (decoded ${got} bytes, expected ${expected})`,
} as const;
