/** Writing files so that a crash or a power cut leaves either the old content or the new, never a torn mix. */
import { randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Prefix of every temporary file or folder we write next to its final name; the start-up sweep removes leftovers. */
export const TEMP_PREFIX = '.tmp-';

/** A hidden sibling of `file` that the start-up sweep recognises as ours. */
export function tempSibling(file: string): string {
  return join(dirname(file), `${TEMP_PREFIX}${basename(file)}-${randomBytes(4).toString('hex')}`);
}

/** `writeSync` may write fewer bytes than asked (large buffers, signals): keep writing until all are on their way. */
export function writeAllSync(fd: number, data: Uint8Array): void {
  let done = 0;
  while (done < data.byteLength) {
    const n = writeSync(fd, data, done, data.byteLength - done);
    if (n <= 0) throw new Error(`write made no progress after ${done} of ${data.byteLength} bytes`);
    done += n;
  }
}

function bytesOf(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

/** Creates `file` (it must not exist: temp names are fresh), writes all of `data` and fsyncs it. */
export function writeNewFileSync(file: string, data: string | Uint8Array): void {
  const fd = openSync(file, 'wx');
  try {
    writeAllSync(fd, bytesOf(data));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes a rename or a new entry in `dir` survive a power cut (the entry lives in the folder's own data). */
export function fsyncDir(dir: string): void {
  // Windows cannot open a folder as a file; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces `file` atomically: temp sibling, write all, fsync, rename, fsync the folder. Readers and a
 * restart after a crash see the old content or the new one. For small state files (best.json, config.json).
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const temp = tempSibling(file);
  try {
    writeNewFileSync(temp, data);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  fsyncDir(dirname(file));
}

/** Fsyncs every file and folder under `dir` (written by others, e.g. sharp), so a rename that publishes it publishes whole data. */
export function fsyncTree(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) fsyncTree(path);
    else if (entry.isFile()) fsyncFile(path);
  }
  fsyncDir(dir);
}

function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Copies a flat folder's files into `dest` (created) and fsyncs each file and the folder. */
export function copyFolderDurably(src: string, dest: string): void {
  mkdirSync(dest, { recursive: true });
  for (const entry of readdirSync(src, { withFileTypes: true })) {
    if (!entry.isFile()) throw new Error(`cannot copy ${join(src, entry.name)}: not a regular file`);
    const to = join(dest, entry.name);
    copyFileSync(join(src, entry.name), to);
    fsyncFile(to);
  }
  fsyncDir(dest);
}
