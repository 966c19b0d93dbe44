/**
 * One writer per data directory: `workbench.lock` names the owning process (PID, start time, host, kind).
 * A second writer is refused with the owner's name and what to do; a lock whose process is gone is taken over.
 */
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { WorkbenchError } from '../common/errors';
import { currentProcess, liveness, sameProcess, type OwnerKind, type ProcessIdentity } from './process-identity';

export const LOCK_FILE = 'workbench.lock';

export interface LockOwner extends ProcessIdentity {
  kind: OwnerKind;
  /** What the owner runs, e.g. "serve" or "train". */
  command: string;
  /** The server's address (without its token), when the owner serves the API. */
  url?: string;
}

export interface DataDirLock {
  readonly owner: LockOwner;
  /** Records the server's address once it listens, so a refused writer can be pointed at it. */
  setUrl(url: string): void;
  release(): void;
}

const KIND_NAMES: Record<OwnerKind, string> = {
  desktop: 'the GAN Workbench desktop app',
  serve: 'GAN Workbench serve',
  cli: 'the GAN Workbench command line',
};

/** A lock file this young that does not parse is being written right now, not abandoned. */
const WRITING_GRACE_MS = 2000;

function describe(owner: LockOwner): string {
  const where = owner.url ? ` at ${owner.url}` : '';
  return `${KIND_NAMES[owner.kind] ?? owner.kind} (${owner.command}, pid ${owner.pid} on ${owner.host}, since ${owner.startedAt})${where}`;
}

function advice(owner: LockOwner): string {
  switch (owner.kind) {
    case 'serve':
      return 'Use that server instead: `npm run cli -- --server <the URL it printed, with its token> <command>`, or open it in a browser. Or choose another --data-dir.';
    case 'desktop':
      return 'Close the desktop app, or choose another --data-dir.';
    default:
      return 'Wait for that command to finish (or stop it with Ctrl+C), or choose another --data-dir.';
  }
}

function readOwner(file: string): { text: string; owner: LockOwner | null } | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const owner = JSON.parse(text) as LockOwner;
    return { text, owner: typeof owner?.pid === 'number' && typeof owner.host === 'string' ? owner : null };
  } catch {
    return { text, owner: null };
  }
}

function writeNew(file: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(owner, null, 2));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Moves a stale lock aside, but only if it is still the one we judged stale: a rename is atomic, so of
 * two processes taking over at once exactly one moves the stale file; the other finds a fresh lock and puts it back.
 */
function takeOver(file: string, staleText: string): void {
  const aside = `${file}.stale-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = readFileSync(aside, 'utf8');
  if (moved !== staleText) {
    try {
      linkSync(aside, file);
    } catch {
      /* a third process already holds a fresh lock: it wins */
    }
  }
  unlinkSync(aside);
}

export function acquireDataDirLock(root: string, who: { kind: OwnerKind; command: string; url?: string }): DataDirLock {
  const file = join(root, LOCK_FILE);
  const owner: LockOwner = { ...currentProcess(), ...who };
  for (let attempt = 0; attempt < 10; attempt++) {
    if (writeNew(file, owner)) return heldLock(file, owner);
    const existing = readOwner(file);
    if (existing === null) continue;
    if (existing.owner === null) {
      const age = Date.now() - statSync(file, { throwIfNoEntry: false })!.mtimeMs;
      if (Number.isNaN(age) || age < WRITING_GRACE_MS) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
        continue;
      }
      takeOver(file, existing.text);
      continue;
    }
    const other = existing.owner;
    if (sameProcess(other, owner)) {
      throw new WorkbenchError('DATA_DIR_LOCKED', `this process already has the data directory ${root} open (${other.command})`, { owner: other });
    }
    const state = liveness(other);
    if (state === 'gone') {
      takeOver(file, existing.text);
      continue;
    }
    const unsure = state === 'unknown' ? ` It runs on another host, so it cannot be checked from here; if it is gone, delete ${file}.` : '';
    throw new WorkbenchError('DATA_DIR_LOCKED', `the data directory ${root} is in use by ${describe(other)}. ${advice(other)}${unsure}`, {
      owner: other,
      lockFile: file,
    });
  }
  throw new WorkbenchError('DATA_DIR_LOCKED', `could not take the lock ${file}: other processes keep changing it`);
}

/** The lock's holder, if any, without taking it: for read-only commands that want to say who writes. */
export function readDataDirLock(root: string): LockOwner | null {
  return readOwner(join(root, LOCK_FILE))?.owner ?? null;
}

function heldLock(file: string, owner: LockOwner): DataDirLock {
  let released = false;
  const ours = () => {
    const now = readOwner(file)?.owner;
    return now != null && sameProcess(now, owner);
  };
  return {
    owner,
    setUrl(url) {
      owner.url = url;
      if (released || !ours()) return;
      const tmp = `${file}.tmp-${randomBytes(4).toString('hex')}`;
      writeFileSync(tmp, JSON.stringify(owner, null, 2));
      renameSync(tmp, file);
    },
    release() {
      if (released) return;
      released = true;
      // Never delete a lock that another process took over (ours was judged stale, wrongly or not).
      if (ours()) unlinkSync(file);
    },
  };
}
