/** What we serve and as what: content types of the built UI's files, and the only data files a page may load (images). */
import { extname } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** Only images leave the data directory: never the database, manifests or checkpoints. */
const SERVABLE_DATA = new Set(['.png', '.jpg', '.jpeg', '.webp']);

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export function isServableDataFile(relativePath: string): boolean {
  return SERVABLE_DATA.has(extname(relativePath).toLowerCase());
}
