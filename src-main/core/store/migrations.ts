/** Versioned schema migrations of the SQLite store, applied in order inside one transaction each. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE datasets (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        source_path TEXT NOT NULL,
        size INTEGER NOT NULL,
        channels INTEGER NOT NULL,
        count INTEGER NOT NULL,
        classes_json TEXT NOT NULL,
        rejected_count INTEGER NOT NULL,
        preview_path TEXT,
        created_at TEXT NOT NULL
      );
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        dataset_id TEXT NOT NULL REFERENCES datasets(id),
        status TEXT NOT NULL,
        config_json TEXT NOT NULL,
        step INTEGER NOT NULL DEFAULT 0,
        backend TEXT,
        error TEXT,
        parent_run_id TEXT REFERENCES runs(id),
        parent_step INTEGER,
        tags_json TEXT NOT NULL DEFAULT '[]',
        notes TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        started_at TEXT,
        ended_at TEXT
      );
      CREATE INDEX runs_by_dataset ON runs(dataset_id);
      CREATE TABLE metrics (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        step INTEGER NOT NULL,
        value REAL, -- NULL when the trainer measured NaN
        time REAL NOT NULL,
        PRIMARY KEY (run_id, key, step)
      ) WITHOUT ROWID;
      CREATE TABLE samples (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step INTEGER NOT NULL,
        path TEXT NOT NULL,
        PRIMARY KEY (run_id, step)
      ) WITHOUT ROWID;
      CREATE TABLE checkpoints (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step INTEGER NOT NULL,
        path TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (run_id, step)
      ) WITHOUT ROWID;
      CREATE TABLE events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id TEXT REFERENCES runs(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        message TEXT NOT NULL,
        data_json TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX events_by_run ON events(run_id, id);
    `,
  },
  {
    version: 2,
    name: 'best checkpoint by metric',
    sql: `
      ALTER TABLE checkpoints ADD COLUMN metric REAL;
      ALTER TABLE checkpoints ADD COLUMN best INTEGER NOT NULL DEFAULT 0;
    `,
  },
];
