/** Opening the database: read-only for the CLI's reading commands (missing, older, current, foreign files), the native binding, migration order, closing. */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { WorkbenchError } from '../../../src-main/common/errors';
import { SCHEMA_VERSION, migrate } from '../../../src-main/core/store/database';
import { migrations } from '../../../src-main/core/store/migrations';
import { Store } from '../../../src-main/core/store/store';
import { datasetRow } from '../../fixtures/store-rows';
import { tempDir } from '../../fixtures/workbench';

/** What opening `file` throws (null when it opens; the store is closed again). */
function openError(file: string, opts: Parameters<typeof Store.open>[1]): unknown {
  try {
    Store.open(file, opts).close();
    return null;
  } catch (error) {
    return error;
  }
}

const databaseFile = (prefix: string) => join(tempDir(prefix), 'workbench.sqlite');

describe('openDatabase', () => {
  it('read-only, refuses a data directory without a database by name and creates nothing', () => {
    const file = databaseFile('ro-missing');
    const error = openError(file, { readonly: true });
    expect(error).toBeInstanceOf(WorkbenchError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', message: `there is no workbench database at ${file} yet: import a dataset first` });
    expect(existsSync(file)).toBe(false);
  });

  it('read-only, refuses an older schema with the versions and how to upgrade, and leaves the file at its version', () => {
    const file = databaseFile('ro-older');
    const old = new Database(file);
    migrate(old, migrations.filter((m) => m.version <= 6));
    old.close();
    const error = openError(file, { readonly: true });
    expect(error).toBeInstanceOf(WorkbenchError);
    expect(error).toMatchObject({
      code: 'READ_ONLY',
      message:
        `the database at ${file} has schema version 6, older than this version's ${SCHEMA_VERSION}; ` +
        'open it once with the app, `serve` or a writing command (import, train) to upgrade it',
    });
    const after = new Database(file, { readonly: true });
    expect(after.prepare('SELECT MAX(version) AS v FROM migrations').get()).toEqual({ v: 6 });
    after.close();
  });

  it('read-only, takes an SQLite file that is not a workbench database for schema version 0', () => {
    const file = databaseFile('ro-foreign');
    const foreign = new Database(file);
    foreign.exec('CREATE TABLE notes (text TEXT)');
    foreign.close();
    expect(openError(file, { readonly: true })).toMatchObject({ code: 'READ_ONLY', message: expect.stringContaining('has schema version 0, older than') });
  });

  it('read-only, reads a current database and refuses every write to it', () => {
    const file = databaseFile('ro-current');
    const writer = Store.open(file);
    writer.datasets.insert(datasetRow('ds_readonly1', { name: 'digits' }));
    writer.close();
    const reader = Store.open(file, { readonly: true });
    expect(reader.datasets.list().map((d) => d.name)).toEqual(['digits']);
    expect(() => reader.datasets.rename('ds_readonly1', 'renamed')).toThrow(expect.objectContaining({ code: 'SQLITE_READONLY' }));
    reader.close();
  });

  it('loads the native binding it is given', () => {
    const binding = createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node');
    expect(openError(databaseFile('binding'), { nativeBinding: binding })).toBeNull();
    expect(openError(databaseFile('binding-missing'), { nativeBinding: join(tempDir('no-binding'), 'better_sqlite3.node') })).toMatchObject({
      message: expect.stringContaining('Cannot find module'),
    });
  });

  it('applies pending migrations by version, whatever order they are listed in', () => {
    const db = new Database(':memory:');
    expect(migrate(db, [...migrations].reverse())).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT version FROM migrations ORDER BY version').all().map((r) => (r as { version: number }).version)).toEqual(
      Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1),
    );
    db.close();
  });

  it('closes the file: the store answers no more queries', () => {
    const store = Store.open(databaseFile('close'));
    store.close();
    expect(store.db.open).toBe(false);
    expect(() => store.datasets.list()).toThrow(/not open/);
  });
});
