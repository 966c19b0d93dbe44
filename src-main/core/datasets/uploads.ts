/** Browser-mode uploads: one file per request streamed into `<dataDir>/uploads/<session>/`, confined, size-limited, removed after import. */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UploadSession } from '../../common/datasets';
import type { RejectedFile } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import { MAX_FILE_BYTES, REJECT } from './reject-reasons';

export const UPLOADS_DIR = 'uploads';
const MAX_PATH_CHARS = 1024;
const MAX_SEGMENT_CHARS = 255;

export interface UploadLimits {
  maxFileBytes: number;
  maxSessionBytes: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = { maxFileBytes: MAX_FILE_BYTES, maxSessionBytes: 64 * 1024 ** 3 };

function refuse(message: string): WorkbenchError {
  return new WorkbenchError('INVALID_REQUEST', message);
}

/** Checks an upload's relative path segment by segment: no `..`, no `.`, no absolute or drive paths, no backslashes. */
export function safeRelativePath(path: string): string[] {
  if (path.length === 0 || path.length > MAX_PATH_CHARS) throw refuse(`upload path must be 1-${MAX_PATH_CHARS} characters`);
  if (path.includes('\0') || path.includes('\\')) throw refuse(`upload path may not contain NUL or backslashes: ${JSON.stringify(path)}`);
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) throw refuse(`upload path must be relative: ${JSON.stringify(path)}`);
  const segments = path.split('/');
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..') throw refuse(`upload path may not contain empty, "." or ".." segments: ${JSON.stringify(path)}`);
    if (s.length > MAX_SEGMENT_CHARS) throw refuse(`upload path segment longer than ${MAX_SEGMENT_CHARS} characters`);
  }
  return segments;
}

/** Counts bytes through a stream and fails it past the limit, so a lying Content-Length cannot fill the disk. */
function byteLimit(limit: number, onBytes: (n: number) => void): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      onBytes(chunk.length);
      if (seen > limit) done(new WorkbenchError('INVALID_REQUEST', `upload larger than the limit of ${limit} bytes`));
      else done(null, chunk);
    },
  });
}

interface SessionState {
  bytes: number;
  refused: RejectedFile[];
}

export class UploadStore {
  private readonly sessions = new Map<string, SessionState>();

  constructor(
    readonly root: string,
    readonly limits: UploadLimits = DEFAULT_UPLOAD_LIMITS,
  ) {}

  sessionDir(session: string): string {
    if (!UploadSession.safeParse(session).success) throw refuse(`not an upload session id: ${JSON.stringify(session)}`);
    return join(this.root, session);
  }

  private state(session: string): SessionState {
    let s = this.sessions.get(session);
    if (!s) this.sessions.set(session, (s = { bytes: 0, refused: [] }));
    return s;
  }

  private target(session: string, path: string): string {
    const dir = this.sessionDir(session);
    const target = join(dir, ...safeRelativePath(path));
    const rel = relative(dir, target);
    // Belt and braces after the segment check: the joined path must still be inside the session.
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new WorkbenchError('PATH_OUTSIDE_DATA_DIR', `upload path escapes its session: ${path}`);
    return target;
  }

  /**
   * Streams one file into place. It is written under a hidden temporary name and renamed when
   * complete, so an interrupted upload never looks like an image to the import.
   */
  async receive(session: string, path: string, body: Readable, declaredBytes: number): Promise<number> {
    const target = this.target(session, path);
    const state = this.state(session);
    if (declaredBytes > this.limits.maxFileBytes) throw refuse(`file larger than ${this.limits.maxFileBytes} bytes: ${path}`);
    if (state.bytes + declaredBytes > this.limits.maxSessionBytes) {
      throw refuse(`upload session over its limit of ${this.limits.maxSessionBytes} bytes`);
    }
    await mkdir(dirname(target), { recursive: true });
    const temp = join(dirname(target), `.upload-${randomBytes(6).toString('hex')}`);
    let written = 0;
    try {
      await pipeline(body, byteLimit(this.limits.maxFileBytes, (n) => (written += n)), createWriteStream(temp, { flags: 'wx' }));
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    state.bytes += written;
    return written;
  }

  /** A file the browser did not send because it is over the size limit: it still appears among the rejects. */
  recordTooLarge(session: string, path: string, bytes: number): void {
    this.target(session, path);
    this.state(session).refused.push({ file: path, reason: REJECT.tooManyBytes(bytes) });
  }

  /**
   * The folder to import and its name. A chosen folder uploads as one top folder, which is then the
   * root (its subfolders are the classes); several dropped folders stay side by side as classes.
   */
  async importRoot(session: string): Promise<{ folder: string; name: string; prefix: string }> {
    const dir = this.sessionDir(session);
    let entries;
    try {
      entries = (await readdir(dir, { withFileTypes: true })).filter((e) => !e.name.startsWith('.'));
    } catch {
      throw new WorkbenchError('NOT_FOUND', `no uploaded files in session ${session}; upload the folder again`);
    }
    const only = entries[0];
    if (entries.length === 1 && only?.isDirectory()) return { folder: join(dir, only.name), name: only.name, prefix: `${only.name}/` };
    return { folder: dir, name: 'upload', prefix: '' };
  }

  /** Refused files with paths relative to the import root. */
  refused(session: string, prefix: string): RejectedFile[] {
    return (this.sessions.get(session)?.refused ?? []).map((r) => ({ ...r, file: r.file.startsWith(prefix) ? r.file.slice(prefix.length) : r.file }));
  }

  async discard(session: string): Promise<void> {
    const dir = this.sessionDir(session);
    this.sessions.delete(session);
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  }

  /** Removes sessions untouched for `maxAgeMs` (left by a closed browser tab or a crash). */
  async sweep(maxAgeMs: number, now = Date.now()): Promise<number> {
    let removed = 0;
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch {
      return 0;
    }
    for (const name of names) {
      const dir = join(this.root, name);
      const st = await stat(dir).catch(() => null);
      if (st && now - st.mtimeMs > maxAgeMs && !this.sessions.has(name)) {
        await rm(dir, { recursive: true, force: true });
        removed++;
      }
    }
    return removed;
  }
}

export function uploadsRoot(dataRoot: string): string {
  return join(dataRoot, UPLOADS_DIR);
}
