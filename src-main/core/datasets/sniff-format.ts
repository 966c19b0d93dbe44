/** Names an image format from a file's first bytes, to tell a damaged image from a file that never was one. */

/** Formats the importer decodes (sharp metadata names, with HEIF/AV1 reported as avif). */
export const SUPPORTED_FORMATS: ReadonlySet<string> = new Set(['png', 'jpeg', 'webp', 'gif', 'tiff', 'avif']);

function ascii(bytes: Uint8Array, start: number, text: string): boolean {
  if (bytes.length < start + text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[start + i] !== text.charCodeAt(i)) return false;
  return true;
}

function startsWith(bytes: Uint8Array, sig: readonly number[]): boolean {
  return bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b);
}

/** The format the signature claims, or null when the bytes look like no image format we know. */
export function sniffImageFormat(head: Uint8Array): string | null {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (ascii(head, 0, 'GIF87a') || ascii(head, 0, 'GIF89a')) return 'gif';
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'WEBP')) return 'webp';
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (ascii(head, 4, 'ftyp')) {
    if (ascii(head, 8, 'avif') || ascii(head, 8, 'avis')) return 'avif';
    if (ascii(head, 8, 'heic') || ascii(head, 8, 'heix') || ascii(head, 8, 'mif1')) return 'heic';
  }
  // Two letters alone would catch text files, so the BMP info-header size must match too.
  if (ascii(head, 0, 'BM') && [12, 40, 52, 56, 64, 108, 124].includes(head[14] ?? -1) && head[15] === 0) return 'bmp';
  if (startsWith(head, [0x00, 0x00, 0x01, 0x00])) return 'ico';
  if (ascii(head, 0, '8BPS')) return 'psd';
  return null;
}
