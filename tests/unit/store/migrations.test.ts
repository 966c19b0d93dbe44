/**
 * Databases left by every older schema version open and upgrade with their rows intact (their best
 * checkpoint then the newest, until one is evaluated), and one
 * written by a newer version is refused by name and left untouched. Each old database is built by
 * that version's own migrations, then given the rows a user of that version had.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { WorkbenchError } from '../../../src-main/common/errors';
import { SCHEMA_VERSION, migrate } from '../../../src-main/core/store/database';
import { migrations } from '../../../src-main/core/store/migrations';
import { Store } from '../../../src-main/core/store/store';
import { tempDir } from '../../fixtures/workbench';

const V1_CONFIG = readFileSync(join(import.meta.dirname, '../../fixtures/configs/v1-wgan-gp-minibatch-stddev.json'), 'utf8');

/** A data directory's database as version `version` left it: a dataset, a run that failed, its metrics, a sample, a checkpoint and an event. */
function databaseOfVersion(version: number): string {
  const file = join(tempDir(`schema-v${version}`), 'workbench.sqlite');
  const db = new Database(file);
  migrate(db, migrations.filter((m) => m.version <= version));
  db.prepare(
    `INSERT INTO datasets (id, name, source_path, size, channels, count, classes_json, rejected_count, preview_path, created_at)
     VALUES ('ds_old000001', 'digits', '/data/digits', 28, 1, 60, '["0","1"]', 2, NULL, '2025-01-01T00:00:00Z')`,
  ).run();
  // The failure's text went into `error` until version 7 made reasons structured.
  const failure = version < 7 ? { column: 'error', value: 'out of memory' } : { column: 'reason_json', value: JSON.stringify({ code: 'LEGACY', message: 'out of memory' }) };
  db.prepare(
    `INSERT INTO runs (id, name, dataset_id, status, config_json, step, ${failure.column}, created_at)
     VALUES ('run_old00001', 'first try', 'ds_old000001', 'failed', ?, 30, ?, '2025-01-01T00:00:01Z')`,
  ).run(V1_CONFIG, failure.value);
  const point = db.prepare(`INSERT INTO metrics (run_id, key, step, value, time) VALUES ('run_old00001', ?, ?, ?, ?)`);
  for (const step of [10, 20, 30]) {
    point.run('d_loss', step, step / 10, step);
    point.run('g_loss', step, step === 30 ? null : 2 * step, step);
  }
  if (version >= 5) {
    // From version 5 on, the store kept rollups beside its points: build them as migration 5's backfill does.
    const v5 = migrations.find((m) => m.version === 5)!.sql;
    db.exec(v5.slice(v5.indexOf('INSERT')));
  }
  db.prepare(`INSERT INTO samples (run_id, step, path) VALUES ('run_old00001', 20, 'runs/run_old00001/samples/20.png')`).run();
  db.prepare(`INSERT INTO checkpoints (run_id, step, path, created_at) VALUES ('run_old00001', 20, 'runs/run_old00001/checkpoints/20', '2025-01-01T00:00:02Z')`).run();
  if (version >= 2) {
    // From version 2 to 9 a loss chose the best checkpoint: here an older one.
    db.prepare(
      `INSERT INTO checkpoints (run_id, step, path, created_at, metric, best) VALUES ('run_old00001', 10, 'runs/run_old00001/checkpoints/10', '2025-01-01T00:00:01Z', 0.5, 1)`,
    ).run();
  }
  db.prepare(`INSERT INTO events (run_id, kind, message, created_at) VALUES ('run_old00001', 'failed', 'out of memory', '2025-01-01T00:00:03Z')`).run();
  db.close();
  return file;
}

describe('schema migrations', () => {
  for (let version = 1; version < SCHEMA_VERSION; version++) {
    it(`upgrades a version ${version} database to ${SCHEMA_VERSION}, and its runs list, open and chart as before`, () => {
      const store = Store.open(databaseOfVersion(version));
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(store.db.prepare('SELECT version FROM migrations ORDER BY version').all().map((r) => (r as { version: number }).version)).toEqual(
        Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1),
      );
      expect(store.datasets.get('ds_old000001')).toMatchObject({ name: 'digits', count: 60, classes: ['0', '1'], rejectedCount: 2 });
      // Imported before paired imports existed: no partner.
      expect(store.datasets.get('ds_old000001')?.pair).toBeNull();
      const [run] = store.runs.list();
      expect(run).toMatchObject({ id: 'run_old00001', status: 'failed', step: 30, lastCheckpointStep: 20, reason: { code: 'LEGACY', message: 'out of memory' } });
      // The version-1 config reads back as stored, without the rules added since.
      expect(run!.config.loss.type).toBe('wgan-gp');
      expect(run!.config.model.minibatchStddev).toBe(true);
      const series = store.metrics.series('run_old00001', { maxPoints: 100 });
      const byKey = Object.fromEntries(series.map((s) => [s.key, s.points.map((p) => [p.step, p.mean])]));
      expect(byKey['d_loss']).toEqual([
        [10, 1],
        [20, 2],
        [30, 3],
      ]);
      expect(byKey['g_loss']?.slice(0, 2)).toEqual([
        [10, 20],
        [20, 40],
      ]);
      // No evaluation yet: the best is the newest checkpoint, with no quality metric, whatever loss chose before.
      expect(store.checkpoints.list('run_old00001').map((c) => [c.step, c.kid, c.best, c.bestBy])).toEqual([
        ...(version >= 2 ? [[10, null, false, 'newest']] : []),
        [20, null, true, 'newest'],
      ]);
      expect(store.evaluations.list('run_old00001')).toEqual([]);
      // Samples written before version 9 have no raw G grid beside them.
      expect(store.samples.list('run_old00001')).toEqual([{ runId: 'run_old00001', step: 20, path: 'runs/run_old00001/samples/20.png', rawPath: null }]);
      expect(store.events.list('run_old00001').map((e) => e.message)).toContain('out of memory');
      store.close();
    });
  }

  it('refuses a database from a newer version by name, for writing and for reading, and changes nothing in it', () => {
    const file = join(tempDir('schema-newer'), 'workbench.sqlite');
    Store.open(file).close();
    const db = new Database(file);
    db.prepare('INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)').run(SCHEMA_VERSION + 1, 'from the future', '2030-01-01T00:00:00Z');
    const tables = () => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
    const before = tables();
    db.close();
    for (const readonly of [false, true]) {
      const error = (() => {
        try {
          Store.open(file, { readonly });
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(error).toBeInstanceOf(WorkbenchError);
      expect((error as WorkbenchError).code).toBe('CONFLICT');
      expect((error as WorkbenchError).message).toContain(`written by a newer version of GAN Workbench (schema ${SCHEMA_VERSION + 1}; this version knows up to ${SCHEMA_VERSION})`);
    }
    const after = new Database(file, { readonly: true });
    expect(after.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all()).toEqual(before);
    expect(after.prepare('SELECT MAX(version) AS v FROM migrations').get()).toEqual({ v: SCHEMA_VERSION + 1 });
    after.close();
  });
});
