/** Free disk space, checked before the big writes (checkpoints, imports, exports), and what a full disk looks like as an error. */
import { statfs } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { WorkbenchError } from '../common/errors';
import { reason, type RunReason } from '../common/run-reasons';

/** Room left for metadata, the database's WAL and the next small writes: a write that would leave less is refused. */
export const SPACE_MARGIN_BYTES = 16 * 1024 * 1024;

/** Free bytes on the filesystem that holds `dir`, or would hold it: a folder not made yet is measured at its nearest parent. */
export async function freeBytes(dir: string): Promise<number> {
  for (let at = resolve(dir); ; at = dirname(at)) {
    try {
      const s = await statfs(at);
      return s.bavail * s.bsize;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(at) === at) throw error;
    }
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

/** Why `bytes` cannot be written under `dir` now, or null when they fit with the margin to spare. */
export async function spaceShortage(dir: string, bytes: number, step?: number): Promise<RunReason | null> {
  const free = await freeBytes(dir);
  const needed = bytes + SPACE_MARGIN_BYTES;
  if (free >= needed) return null;
  return reason(
    'NO_SPACE',
    `a checkpoint needs ${formatBytes(needed)} but ${dir} has ${formatBytes(free)} free; free some space, then resume the run`,
    { bytesNeeded: needed, bytesFree: free, ...(step === undefined ? {} : { step }) },
  );
}

/** Refuses an import or export that would not fit, naming the bytes needed and free. */
export async function requireSpace(dir: string, bytes: number, what: string): Promise<void> {
  const free = await freeBytes(dir);
  const needed = bytes + SPACE_MARGIN_BYTES;
  if (free < needed) {
    throw new WorkbenchError('NO_SPACE', `${what} needs about ${formatBytes(needed)} but the disk has ${formatBytes(free)} free`, {
      bytesNeeded: needed,
      bytesFree: free,
    });
  }
}

/** The pause reason for a write that failed because the disk filled up; null for any other error. */
export function diskFullReason(error: unknown, step?: number): RunReason | null {
  const code = (error as NodeJS.ErrnoException | null)?.code ?? libvipsDiskFull(error);
  if (code !== 'ENOSPC' && code !== 'EDQUOT') return null;
  return reason('DISK_FULL', `the disk filled up while writing (${code}); free some space, then resume the run`, step === undefined ? {} : { step });
}

/** sharp (libvips) reports a full disk only in its message, with no errno code: "…write error\nsystem error: No space left on device". */
function libvipsDiskFull(error: unknown): 'ENOSPC' | 'EDQUOT' | undefined {
  const message = error instanceof Error ? error.message : '';
  if (/No space left on device/i.test(message)) return 'ENOSPC';
  if (/Disk quota exceeded/i.test(message)) return 'EDQUOT';
  return undefined;
}

/** Bytes of a checkpoint's tensors. */
export function stateBytes(state: { tensors: readonly { data: { byteLength: number } }[] }): number {
  return state.tensors.reduce((sum, t) => sum + t.data.byteLength, 0);
}
