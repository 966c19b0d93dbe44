/** Opens the workbench SQLite file in WAL mode and brings its schema up to date (or, read-only, checks it is current). */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { WorkbenchError } from '../../common/errors';
import { migrations, type Migration } from './migrations';

export type Db = Database.Database;

/** The safety level of ordinary commits (see durableTransaction for the ones that need more). */
const SYNCHRONOUS = 'NORMAL';

export interface OpenOptions {
  /** Path of a better_sqlite3.node built for another ABI (the Electron build of the desktop app). */
  nativeBinding?: string;
  /** Open without writing anything: no migrations, no journal changes (read-only CLI commands). */
  readonly?: boolean;
}

export const SCHEMA_VERSION = Math.max(...migrations.map((m) => m.version));

export function openDatabase(file: string, opts: OpenOptions = {}): Db {
  if (opts.readonly && !existsSync(file)) {
    throw new WorkbenchError('NOT_FOUND', `there is no workbench database at ${file} yet: import a dataset first`);
  }
  const db = new Database(file, {
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
    ...(opts.readonly ? { readonly: true, fileMustExist: true } : {}),
  });
  try {
    db.pragma('busy_timeout = 5000');
    if (opts.readonly) {
      const version = schemaVersion(db);
      refuseNewer(version, file);
      if (version < SCHEMA_VERSION) {
        throw new WorkbenchError(
          'READ_ONLY',
          `the database at ${file} has schema version ${version}, older than this version's ${SCHEMA_VERSION}; ` +
            'open it once with the app, `serve` or a writing command (import, train) to upgrade it',
        );
      }
      return db;
    }
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${SYNCHRONOUS}`);
    db.pragma('foreign_keys = ON');
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function schemaVersion(db: Db): number {
  const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'migrations'").get();
  if (!table) return 0;
  return (db.prepare('SELECT MAX(version) AS v FROM migrations').get() as { v: number | null }).v ?? 0;
}

/** A database written by a newer workbench may hold what this one cannot read: never touch it. */
function refuseNewer(version: number, file: string, known = SCHEMA_VERSION): void {
  if (version > known) {
    throw new WorkbenchError(
      'CONFLICT',
      `the database at ${file} was written by a newer version of GAN Workbench (schema ${version}; this version knows up to ${known}); ` +
        'update the workbench, or use another --data-dir',
    );
  }
}

/** Databases now inside a durableTransaction: nested calls join the outer one, which commits with FULL. */
const durableDepth = new WeakMap<Db, number>();

/**
 * Runs `fn` in one transaction committed with synchronous=FULL, so a power cut cannot roll it back
 * once it returns. For rows that must never roll back while their files exist (checkpoints, datasets,
 * run status). Everything else commits with NORMAL: WAL keeps it safe from a killed process, and a
 * power cut may lose only the last transactions.
 */
export function durableTransaction<T>(db: Db, fn: () => T): T {
  const depth = durableDepth.get(db) ?? 0;
  if (depth > 0) return db.transaction(fn)();
  // SQLite refuses to change the safety level inside a transaction, and this one must be FULL.
  if (db.inTransaction) throw new Error('a durable transaction cannot run inside a plain transaction');
  db.pragma('synchronous = FULL');
  durableDepth.set(db, 1);
  try {
    return db.transaction(fn)();
  } finally {
    durableDepth.delete(db);
    db.pragma(`synchronous = ${SYNCHRONOUS}`);
  }
}

export function migrate(db: Db, all: readonly Migration[]): number {
  db.exec(`CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const current = schemaVersion(db);
  refuseNewer(current, db.name, Math.max(0, ...all.map((m) => m.version)));
  const pending = all.filter((m) => m.version > current).sort((a, b) => a.version - b.version);
  for (const m of pending) {
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
    })();
  }
  return pending.length;
}
