/** Versioned schema migrations of the SQLite store, applied in order inside one transaction each. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Fills rollups of every width from the points already stored. The widths are written out in the
 * migration (not imported) because a migration records history: they were ROLLUP_WIDTHS at v5.
 */
function backfillRollups(widths: readonly number[]): string {
  return widths
    .map(
      (w) => `INSERT INTO metric_rollups SELECT run_id, key, ${w}, step / ${w}, MAX(step), MIN(value), MAX(value), SUM(value), COUNT(value), MAX(time)
        FROM metrics WHERE value IS NOT NULL GROUP BY run_id, key, step / ${w};`,
    )
    .join('\n      ');
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
  {
    version: 3,
    name: 'preset a run started from',
    sql: `ALTER TABLE runs ADD COLUMN preset TEXT;`,
  },
  {
    version: 4,
    name: 'dataset content fingerprint for re-import detection',
    sql: `
      ALTER TABLE datasets ADD COLUMN source_fingerprint TEXT NOT NULL DEFAULT '';
      CREATE INDEX datasets_by_fingerprint ON datasets(source_fingerprint);
    `,
  },
  {
    version: 5,
    name: 'metric rollups for chart queries',
    // Widths must match ROLLUP_WIDTHS in metric-rollups.ts.
    sql: `
      CREATE TABLE metric_rollups (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        width INTEGER NOT NULL,
        bucket INTEGER NOT NULL, -- step / width
        step INTEGER NOT NULL,   -- last step with a value
        min REAL NOT NULL,
        max REAL NOT NULL,
        sum REAL NOT NULL,
        n INTEGER NOT NULL,
        time REAL NOT NULL,
        PRIMARY KEY (run_id, key, width, bucket)
      ) WITHOUT ROWID;
      ${backfillRollups([4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096])}
    `,
  },
  {
    version: 6,
    name: 'settings',
    // One row per setting; a key left out takes the default of the Settings schema.
    sql: `CREATE TABLE settings (key TEXT PRIMARY KEY, value_json TEXT NOT NULL) WITHOUT ROWID;`,
  },
  {
    version: 7,
    name: 'structured run reasons and run owners',
    sql: `
      ALTER TABLE runs ADD COLUMN reason_json TEXT;
      ALTER TABLE runs ADD COLUMN owner_json TEXT;
      UPDATE runs SET reason_json = json_object('code', 'LEGACY', 'message', error) WHERE error IS NOT NULL;
      ALTER TABLE runs DROP COLUMN error;
      ALTER TABLE events ADD COLUMN reason_json TEXT;
    `,
  },
  {
    version: 8,
    name: 'config versions',
    // Runs stored before this have version 1 (common/config-version.ts migrates them when read).
    sql: `ALTER TABLE runs ADD COLUMN config_version INTEGER NOT NULL DEFAULT 1;`,
  },
  {
    version: 9,
    name: 'raw generator grids beside warming EMA samples',
    // NULL for every older sample: it was written without one.
    sql: `ALTER TABLE samples ADD COLUMN raw_path TEXT;`,
  },
  {
    version: 10,
    name: 'quality evaluations of checkpoints; the best checkpoint by KID',
    // One evaluation per checkpoint (a new one replaces it), kept after the checkpoint is pruned: the
    // Quality chart draws them all. The best checkpoint is now the lowest KID among the evaluated ones,
    // else the newest, worked out when read: checkpoints.metric and checkpoints.best (a loss's choice)
    // are no longer written or read.
    sql: `
      CREATE TABLE evaluations (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step INTEGER NOT NULL,
        dataset_id TEXT NOT NULL,
        seed INTEGER NOT NULL,
        weights TEXT NOT NULL,          -- 'ema' or 'generator'
        network TEXT NOT NULL,          -- the feature network's id: weights and layer
        network_name TEXT NOT NULL,
        preprocessing TEXT NOT NULL,
        backend TEXT NOT NULL,
        n_generated INTEGER NOT NULL,
        n_real INTEGER NOT NULL,
        fd REAL NOT NULL,
        kid_mean REAL NOT NULL,
        kid_std REAL NOT NULL,
        kid_se REAL NOT NULL,
        precision REAL NOT NULL,
        recall REAL NOT NULL,
        copy_ratio REAL NOT NULL,
        flagged INTEGER NOT NULL,
        seconds REAL NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (run_id, step)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 11,
    name: 'synthetic datasets and where their images came from; held-out splits',
    // NULL for every older dataset: their images are real. 0 held out: they were imported before the split.
    sql: `
      ALTER TABLE datasets ADD COLUMN synthetic_json TEXT;
      ALTER TABLE datasets ADD COLUMN held_out_count INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 12,
    name: 'in-domain classifiers of datasets; coverage and in-domain measures of evaluations',
    // NULL for every older dataset (no classifier yet) and evaluation (measured before these existed).
    sql: `
      ALTER TABLE datasets ADD COLUMN classifier_json TEXT;
      ALTER TABLE evaluations ADD COLUMN coverage REAL;
      ALTER TABLE evaluations ADD COLUMN in_domain_json TEXT;
    `,
  },
  {
    version: 13,
    name: 'paired datasets: the partner of each half of a paired import',
    // NULL for every older dataset: none was imported as half of a pair.
    sql: `
      ALTER TABLE datasets ADD COLUMN pair_dataset_id TEXT;
      ALTER TABLE datasets ADD COLUMN pair_role TEXT;
    `,
  },
];
