/** Store answers at the edges: a flagged evaluation, a run that trained 0 seconds, keys asked of a run without points, the advice for a newer database. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from '../../../src-main/core/store/database';
import { Store } from '../../../src-main/core/store/store';
import { datasetRow, evaluationRow, insertRun } from '../../fixtures/store-rows';
import { tempDir } from '../../fixtures/workbench';

const RUN = 'run_edge0001';

function openStore(file = join(tempDir('edge-cases'), 'workbench.sqlite')): Store {
  const store = Store.open(file);
  store.datasets.insert(datasetRow('ds_edge0001'));
  insertRun(store, RUN, 'ds_edge0001', 'running');
  return store;
}

describe('store edge cases', () => {
  it('reads back an evaluation that flagged copies of the training images as flagged', () => {
    const store = openStore();
    store.evaluations.put(evaluationRow(RUN, 10, 0.1, { flagged: true, copyRatio: 0.9 }));
    store.evaluations.put(evaluationRow(RUN, 20, 0.1));
    expect(store.evaluations.list(RUN).map((e) => [e.step, e.flagged])).toEqual([
      [10, true],
      [20, false],
    ]);
    store.close();
  });

  it('tells a run measured only at second 0 (it trained 0 s) from a run without points (no time)', () => {
    const store = openStore();
    expect(store.metrics.timeAt(RUN)).toBeNull();
    store.metrics.insertBatch(RUN, [{ step: 1, time: 0, values: { d_loss: 1, g_loss: 1 } }]);
    expect(store.metrics.timeAt(RUN)).toBe(0);
    store.close();
  });

  it('answers keys asked of a run without points with empty series', () => {
    const store = openStore();
    expect(store.metrics.series(RUN, { keys: ['g_loss', 'd_loss'], maxPoints: 100 })).toEqual([
      { key: 'g_loss', points: [] },
      { key: 'd_loss', points: [] },
    ]);
    store.close();
  });

  it('tells the user how to get past a database from a newer version', () => {
    const file = join(tempDir('edge-newer'), 'workbench.sqlite');
    openStore(file).close();
    const db = new Database(file);
    db.prepare('INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)').run(SCHEMA_VERSION + 1, 'from the future', '2030-01-01T00:00:00Z');
    db.close();
    expect(() => Store.open(file)).toThrow(
      `the database at ${file} was written by a newer version of GAN Workbench (schema ${SCHEMA_VERSION + 1}; this version knows up to ${SCHEMA_VERSION}); ` +
        'update the workbench, or use another --data-dir',
    );
  });
});
