/** Which store errors pause a run with a named cause (locked, full, failing disk), the advice the user reads, and which errors are bugs. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { storeFailureReason } from '../../../src-main/core/store/store-failure';
import { Store } from '../../../src-main/core/store/store';
import { tempDir } from '../../fixtures/workbench';

/** An error as SQLite (through better-sqlite3) or Node's fs raise it: a message and a string code. */
const coded = (code: string, message = `${code}: failed`) => Object.assign(new Error(message), { code });

/** The error a real write of a setting raises on `file`, through a connection that waits for no lock. */
function writeError(file: string, readonly = false): unknown {
  const db = new Database(file, { readonly, timeout: 0 });
  try {
    db.prepare("INSERT INTO settings (key, value_json) VALUES ('k', '1')").run();
  } catch (error) {
    return error;
  } finally {
    db.close();
  }
  throw new Error('the write was expected to fail');
}

describe('storeFailureReason', () => {
  it('names a database another program keeps locked, with the error, and tells the user to close it and resume', () => {
    const file = join(tempDir('store-busy'), 'workbench.sqlite');
    const store = Store.open(file);
    // Another connection holds the write lock: this one (no busy timeout) is refused at once.
    store.db.prepare('BEGIN IMMEDIATE').run();
    const error = writeError(file);
    store.db.prepare('ROLLBACK').run();
    store.close();
    expect((error as { code: string }).code).toBe('SQLITE_BUSY');
    expect(storeFailureReason(error)).toEqual({
      code: 'STORE_BUSY',
      message: `the database stayed locked by another program for too long (${(error as Error).message}); close it, then resume the run`,
    });
    for (const code of ['SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED']) expect(storeFailureReason(coded(code))?.code).toBe('STORE_BUSY');
  });

  it('names a full disk (SQLite page limit, no space, quota) and tells the user to free space', () => {
    for (const code of ['SQLITE_FULL', 'ENOSPC', 'EDQUOT']) {
      expect(storeFailureReason(coded(code, 'no space left on device'))).toEqual({
        code: 'DISK_FULL',
        message: 'the disk is full (no space left on device); free some space, then resume the run',
      });
    }
  });

  it('names a database that cannot be written, with the code, for I/O errors, read-only files and folders, and unopenable files', () => {
    const file = join(tempDir('store-readonly'), 'workbench.sqlite');
    Store.open(file).close();
    const readonly = writeError(file, true);
    expect((readonly as { code: string }).code).toBe('SQLITE_READONLY');
    expect(storeFailureReason(readonly)).toEqual({
      code: 'STORE_IO',
      message: `the database could not be written (SQLITE_READONLY: ${(readonly as Error).message}); check the disk, then resume the run`,
    });
    for (const code of ['SQLITE_IOERR', 'SQLITE_IOERR_WRITE', 'SQLITE_READONLY_DBMOVED', 'SQLITE_CANTOPEN', 'EIO', 'EROFS']) {
      expect(storeFailureReason(coded(code, 'i/o'))).toEqual({ code: 'STORE_IO', message: `the database could not be written (${code}: i/o); check the disk, then resume the run` });
    }
  });

  it('takes anything else for a bug: other codes, codes that only contain a known one, numeric codes, no code, nothing', () => {
    const bugs: unknown[] = [
      coded('SQLITE_CONSTRAINT_NOTNULL'),
      coded('SQLITE_ERROR'),
      coded('ENOENT'),
      coded('XSQLITE_BUSY_'),
      coded('MY_SQLITE_IOERR'),
      coded('NOT_SQLITE_READONLY_'),
      Object.assign(new Error('errno 28'), { code: 28 }),
      new TypeError("Cannot read properties of undefined (reading 'step')"),
      'SQLITE_BUSY',
      null,
      undefined,
    ];
    for (const error of bugs) expect(storeFailureReason(error)).toBeNull();
  });

  it('quotes what is not an Error as text', () => {
    expect(storeFailureReason({ code: 'ENOSPC', toString: () => 'write failed' })?.message).toBe('the disk is full (write failed); free some space, then resume the run');
  });
});
