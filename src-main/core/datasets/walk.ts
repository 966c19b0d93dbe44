/** Lists the candidate files of an import folder: recursive, loop-safe, hidden/system entries skipped, sorted. */
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { RejectedFile } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import { SYNTHETIC_MANIFEST } from '../../common/synthetic';

export interface FoundFile {
  /** Relative to the walked folder, "/"-separated on every platform so manifests stay portable. */
  rel: string;
  abs: string;
  /** First path segment when the file sits in a subfolder, else null; candidate class name. */
  topDir: string | null;
  size: number;
}

export interface WalkResult {
  files: FoundFile[];
  /** Entries passed over on purpose; they are not reported as rejected images. */
  skipped: RejectedFile[];
}

export interface WalkOptions {
  signal?: AbortSignal;
  onFound?: (count: number) => void;
}

/** Names written by operating systems and archivers, never user images; compared case-insensitively. */
const SYSTEM_NAMES = new Set(['thumbs.db', 'ehthumbs.db', 'desktop.ini', '.ds_store', '__macosx', '$recycle.bin', 'system volume information']);

export const SKIP_REASONS = {
  hidden: 'hidden',
  system: 'system file',
  loop: 'symlink loop',
  alreadyWalked: 'folder already included through another path',
  brokenLink: 'broken symlink',
  special: 'not a regular file',
  unreadableDir: (code: string) => `unreadable folder (${code})`,
  syntheticManifest: 'manifest of a synthetic dataset (kept as its provenance)',
} as const;

/** Code-unit order rather than localeCompare: identical on every machine and locale. */
export function compareRel(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function errnoCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | null)?.code ?? 'error';
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new WorkbenchError('IMPORT_FAILED', 'import cancelled', { cancelled: true });
}

/**
 * Walks `root`. Symlinked files are followed; symlinked folders are followed unless they lead to a
 * folder already visited (device + inode) or to an ancestor of `root`, which would re-enter it.
 */
export async function walkFolder(root: string, opts: WalkOptions = {}): Promise<WalkResult> {
  let rootStat;
  try {
    rootStat = await stat(root, { bigint: true });
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') throw new WorkbenchError('NOT_FOUND', `folder not found: ${root}`, { path: root });
    throw new WorkbenchError('IMPORT_FAILED', `cannot read ${root} (${errnoCode(error)})`, { path: root });
  }
  if (!rootStat.isDirectory()) throw new WorkbenchError('IMPORT_FAILED', `not a folder: ${root}`, { path: root });
  const realRoot = await realpath(root);
  const visited = new Set<string>([`${rootStat.dev}:${rootStat.ino}`]);
  const files: FoundFile[] = [];
  const skipped: RejectedFile[] = [];
  const stack: { abs: string; rel: string }[] = [{ abs: root, rel: '' }];

  while (stack.length > 0) {
    throwIfAborted(opts.signal);
    const dir = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = await readdir(dir.abs, { withFileTypes: true });
    } catch (error) {
      if (dir.rel === '') throw new WorkbenchError('IMPORT_FAILED', `cannot read ${root} (${errnoCode(error)})`, { path: root });
      skipped.push({ file: dir.rel, reason: SKIP_REASONS.unreadableDir(errnoCode(error)) });
      continue;
    }
    // Sorted, and subfolders pushed in reverse, so that which path first reaches a folder seen
    // twice (through a symlink) does not depend on the file system's listing order.
    entries.sort((a, b) => compareRel(a.name, b.name));
    const subdirs: { abs: string; rel: string }[] = [];
    for (const entry of entries) {
      const rel = dir.rel === '' ? entry.name : `${dir.rel}/${entry.name}`;
      const abs = join(dir.abs, entry.name);
      if (SYSTEM_NAMES.has(entry.name.toLowerCase())) {
        skipped.push({ file: rel, reason: SKIP_REASONS.system });
        continue;
      }
      if (entry.name.startsWith('.')) {
        skipped.push({ file: rel, reason: SKIP_REASONS.hidden });
        continue;
      }
      if (dir.rel === '' && entry.name === SYNTHETIC_MANIFEST) {
        skipped.push({ file: rel, reason: SKIP_REASONS.syntheticManifest });
        continue;
      }
      let st;
      try {
        // stat, not lstat: follows symlinks, so a link is judged by what it points to.
        st = await stat(abs, { bigint: true });
      } catch (error) {
        skipped.push({ file: rel, reason: entry.isSymbolicLink() ? SKIP_REASONS.brokenLink : `unreadable (${errnoCode(error)})` });
        continue;
      }
      if (st.isDirectory()) {
        const key = `${st.dev}:${st.ino}`;
        if (entry.isSymbolicLink()) {
          // A link to the folder it sits in (or above) would recurse forever, and one above the
          // root would import the root's neighbours.
          const target = await realpath(abs);
          if (isSameOrAncestor(target, await realpath(dir.abs)) || isSameOrAncestor(target, realRoot)) {
            skipped.push({ file: rel, reason: SKIP_REASONS.loop });
            continue;
          }
        }
        if (visited.has(key)) {
          skipped.push({ file: rel, reason: SKIP_REASONS.alreadyWalked });
          continue;
        }
        visited.add(key);
        subdirs.push({ abs, rel });
      } else if (st.isFile()) {
        const slash = rel.indexOf('/');
        files.push({ rel, abs, topDir: slash === -1 ? null : rel.slice(0, slash), size: Number(st.size) });
        opts.onFound?.(files.length);
      } else {
        // FIFOs and devices would block or never end when read.
        skipped.push({ file: rel, reason: SKIP_REASONS.special });
      }
    }
    stack.push(...subdirs.reverse());
  }
  files.sort((a, b) => compareRel(a.rel, b.rel));
  skipped.sort((a, b) => compareRel(a.file, b.file));
  return { files, skipped };
}

function isSameOrAncestor(candidate: string, path: string): boolean {
  return path === candidate || path.startsWith(candidate.endsWith(sep) ? candidate : candidate + sep);
}
