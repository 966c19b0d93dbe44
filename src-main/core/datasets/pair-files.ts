/** Matches the files of a paired import's A/ and B/ folders: same path inside its folder, extension aside. */
import type { RejectedFile } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import { REJECT } from './reject-reasons';
import { compareRel, type FoundFile } from './walk';

export interface FilePair {
  a: FoundFile;
  b: FoundFile;
}

export interface MatchedFolders {
  /** In the order of A's relative paths, which is the order both datasets are packed in. */
  pairs: FilePair[];
  /** Files without a partner, beside the other folders, or with an ambiguous name; sorted. */
  rejected: RejectedFile[];
}

/** `x/1.jpg` → `x/1`: the name a file's partner shares. A dot leading a name is not an extension. */
export function pairKey(relInSide: string): string {
  const slash = relInSide.lastIndexOf('/');
  const dot = relInSide.lastIndexOf('.');
  return dot > slash + 1 ? relInSide.slice(0, dot) : relInSide;
}

/** The first-level folder named `letter` in any case, the first in sorted order when several are. */
function sideFolder(files: readonly FoundFile[], letter: 'a' | 'b'): string | null {
  const names = [...new Set(files.map((f) => f.topDir).filter((d): d is string => d !== null && d.toLowerCase() === letter))];
  return names.sort(compareRel)[0] ?? null;
}

/** One side's files by key; a second file with the same key is rejected (its pair would be a guess). */
function byKey(files: readonly FoundFile[], side: string, rejected: RejectedFile[]): Map<string, FoundFile> {
  const keyed = new Map<string, FoundFile>();
  for (const f of files) {
    if (f.topDir !== side) continue;
    const key = pairKey(f.rel.slice(side.length + 1));
    const first = keyed.get(key);
    if (first) rejected.push({ file: f.rel, reason: REJECT.sameName(first.rel) });
    else keyed.set(key, f);
  }
  return keyed;
}

/**
 * Pairs `A/<path>.<ext>` with `B/<path>.<other ext>`. Throws INVALID_REQUEST naming `layout` when
 * the folder has no A/ or no B/ subfolder: then it was surely not laid out for this import.
 */
export function matchPairFolders(files: readonly FoundFile[], source: string): MatchedFolders {
  const sideA = sideFolder(files, 'a');
  const sideB = sideFolder(files, 'b');
  if (sideA === null || sideB === null) {
    const found = [...new Set(files.map((f) => f.topDir).filter((d) => d !== null))].sort(compareRel);
    const message = `paired images in folders need the subfolders A/ and B/ in ${source}; found ${found.length ? found.map((d) => `${d}/`).join(', ') : 'no subfolders'}`;
    throw new WorkbenchError('INVALID_REQUEST', message, { issues: [{ path: 'layout', message }] });
  }
  const rejected: RejectedFile[] = [];
  for (const f of files) {
    if (f.topDir !== sideA && f.topDir !== sideB) rejected.push({ file: f.rel, reason: REJECT.outsidePairFolders(sideA, sideB) });
  }
  const inA = byKey(files, sideA, rejected);
  const inB = byKey(files, sideB, rejected);
  const pairs: FilePair[] = [];
  for (const [key, a] of inA) {
    const b = inB.get(key);
    if (b) pairs.push({ a, b });
    else rejected.push({ file: a.rel, reason: REJECT.noPartner(sideB) });
  }
  for (const [key, b] of inB) if (!inA.has(key)) rejected.push({ file: b.rel, reason: REJECT.noPartner(sideA) });
  pairs.sort((x, y) => compareRel(x.a.rel, y.a.rel));
  rejected.sort((x, y) => compareRel(x.file, y.file));
  return { pairs, rejected };
}
