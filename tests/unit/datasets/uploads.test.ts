/** The upload store: paths confined to their session, sizes limited, partial files never visible, stale sessions swept. */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../../src-main/common/errors';
import { safeRelativePath, UploadStore } from '../../../src-main/core/datasets/uploads';
import { tempDirs } from './temp-dir';

const newDir = tempDirs();
const SESSION = 'session-0001';

function body(text: string): Readable {
  return Readable.from([Buffer.from(text)]);
}

async function refusal(p: Promise<unknown> | (() => unknown)): Promise<WorkbenchError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(e).toBeInstanceOf(WorkbenchError);
    return e as WorkbenchError;
  }
  throw new Error('expected a refusal');
}

describe('safeRelativePath', () => {
  it('accepts nested relative paths, including non-ASCII names', () => {
    expect(safeRelativePath('cats/Äpfel 01.png')).toEqual(['cats', 'Äpfel 01.png']);
    expect(safeRelativePath('猫/图片.jpg')).toEqual(['猫', '图片.jpg']);
  });

  it.each(['../x.png', 'a/../../x.png', '/etc/passwd', 'C:/x.png', 'c:x.png', 'a\\..\\x.png', 'a//b.png', './a.png', 'a/.', '', 'a\0b'])(
    'refuses %j',
    async (path) => {
      expect((await refusal(() => safeRelativePath(path))).code).toBe('INVALID_REQUEST');
    },
  );
});

describe('UploadStore', () => {
  it('streams a file into its session and refuses bad sessions and paths', async () => {
    const root = await newDir();
    const store = new UploadStore(root);
    expect(await store.receive(SESSION, 'cats/a.png', body('hello'), 5)).toBe(5);
    expect(await readFile(join(root, SESSION, 'cats', 'a.png'), 'utf8')).toBe('hello');
    expect((await refusal(store.receive('../evil', 'a.png', body('x'), 1))).code).toBe('INVALID_REQUEST');
    expect((await refusal(store.receive(SESSION, '../../outside.png', body('x'), 1))).code).toBe('INVALID_REQUEST');
    expect(existsSync(join(root, 'outside.png'))).toBe(false);
  });

  it('stops a body longer than the limit and leaves no file, not even a partial one', async () => {
    const root = await newDir();
    const store = new UploadStore(root, { maxFileBytes: 10, maxSessionBytes: 1000 });
    // The declared size lies: the byte count is what is enforced.
    const error = await refusal(store.receive(SESSION, 'big.png', body('0123456789abcdef'), 4));
    expect(error.message).toContain('limit');
    expect(await readdir(join(root, SESSION))).toEqual([]);
    expect((await refusal(store.receive(SESSION, 'declared.png', body(''), 11))).message).toContain('larger than');
  });

  it('caps the bytes of one session', async () => {
    const store = new UploadStore(await newDir(), { maxFileBytes: 100, maxSessionBytes: 12 });
    await store.receive(SESSION, 'a.png', body('0123456789'), 10);
    expect((await refusal(store.receive(SESSION, 'b.png', body('0123'), 4))).message).toContain('over its limit');
  });

  it('finds the import root: the one uploaded folder, or the session when there are several', async () => {
    const root = await newDir();
    const store = new UploadStore(root);
    await store.receive(SESSION, 'holiday/beach/a.png', body('a'), 1);
    store.recordTooLarge(SESSION, 'holiday/huge.tif', 300 * 1024 * 1024);
    expect(await store.importRoot(SESSION)).toEqual({ folder: join(root, SESSION, 'holiday'), name: 'holiday', prefix: 'holiday/' });
    expect(store.refused(SESSION, 'holiday/')).toEqual([{ file: 'huge.tif', reason: 'too large (300 MB file, limit 256 MB)' }]);
    await store.receive(SESSION, 'other/b.png', body('b'), 1);
    expect((await store.importRoot(SESSION)).folder).toBe(join(root, SESSION));
    await store.discard(SESSION);
    expect(existsSync(join(root, SESSION))).toBe(false);
    expect((await refusal(store.importRoot(SESSION))).code).toBe('NOT_FOUND');
  });

  it('sweeps sessions left untouched for too long', async () => {
    const root = await newDir();
    const store = new UploadStore(root);
    await mkdir(join(root, 'old-session-1'), { recursive: true });
    await mkdir(join(root, 'new-session-1'), { recursive: true });
    const dayAgo = new Date(Date.now() - 25 * 3600 * 1000);
    await utimes(join(root, 'old-session-1'), dayAgo, dayAgo);
    expect(await store.sweep(24 * 3600 * 1000)).toBe(1);
    expect(await readdir(root)).toEqual(['new-session-1']);
  });
});
