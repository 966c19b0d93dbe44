/** The Store on a real SQLite file: schema, WAL, batched metrics, bucketed series, the best checkpoint by KID, crash recovery. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Store } from '../../../src-main/core/store/store';
import { migrate } from '../../../src-main/core/store/database';
import { migrations } from '../../../src-main/core/store/migrations';
import { defaultTrainingConfig } from '../../../src-main/common/training-config';
import { datasetRow, evaluationRow, insertRun } from '../../fixtures/store-rows';
import { tempDir } from '../../fixtures/workbench';

function openStore() {
  return Store.open(join(tempDir('store'), 'workbench.sqlite'));
}

const dataset = datasetRow('ds_test0001', { name: 'digits', sourcePath: '/data/digits', count: 10, classes: ['0', '1'] });

function addRun(store: Store, id = 'run_test0001', status: 'queued' | 'running' | 'paused' | 'completed' = 'queued') {
  store.datasets.insert(dataset);
  insertRun(store, id, dataset.id, status);
}

describe('Store', () => {
  it('opens in WAL mode with every migration applied once', () => {
    const store = openStore();
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    const applied = store.db.prepare('SELECT version FROM migrations').all();
    expect(applied).toHaveLength(migrations.length);
    expect(migrate(store.db, migrations)).toBe(0);
    store.close();
  });

  it('round-trips datasets and runs with their config', () => {
    const store = openStore();
    addRun(store);
    expect(store.datasets.get(dataset.id)).toEqual(dataset);
    const run = store.runs.get('run_test0001');
    expect(run?.config).toEqual(defaultTrainingConfig());
    expect(run?.lastCheckpointStep).toBeNull();
    store.checkpoints.insert({ runId: 'run_test0001', step: 40, path: 'runs/x/checkpoints/40', createdAt: 'now' });
    expect(store.runs.get('run_test0001')?.lastCheckpointStep).toBe(40);
    store.checkpoints.insert({ runId: 'run_test0001', step: 50, path: 'runs/x/checkpoints/50', createdAt: 'now' });
    store.checkpoints.insert({ runId: 'run_test0001', step: 60, path: 'runs/x/checkpoints/60', createdAt: 'now' });
    // Nothing evaluated: the best is the newest, with no quality metric.
    expect(store.checkpoints.list('run_test0001').map((c) => [c.step, c.kid, c.best, c.bestBy])).toEqual([
      [40, null, false, 'newest'],
      [50, null, false, 'newest'],
      [60, null, true, 'newest'],
    ]);
    store.checkpoints.reconcile('run_test0001', { remove: [40], add: [] });
    expect(store.checkpoints.list('run_test0001').map((c) => c.step)).toEqual([50, 60]);
    store.close();
  });

  it('makes the evaluated checkpoint with the lowest KID the best, keeps evaluations of pruned checkpoints, and deletes them with their run', () => {
    const store = openStore();
    addRun(store);
    for (const step of [10, 20, 30, 40]) store.checkpoints.insert({ runId: 'run_test0001', step, path: `runs/x/checkpoints/${step}`, createdAt: 'now' });
    store.evaluations.put(evaluationRow('run_test0001', 10, 0.3));
    store.evaluations.put(evaluationRow('run_test0001', 20, 0.1));
    store.evaluations.put(evaluationRow('run_test0001', 30, 0.2));
    const best = () => store.checkpoints.list('run_test0001').filter((c) => c.best).map((c) => [c.step, c.kid, c.bestBy]);
    // The lowest KID, not the newest (40 is not evaluated yet).
    expect(best()).toEqual([[20, 0.1, 'kid']]);
    expect(store.checkpoints.list('run_test0001').map((c) => c.bestBy)).toEqual(['kid', 'kid', 'kid', 'kid']);
    // A new evaluation of a checkpoint replaces its old one, and can take the best away.
    store.evaluations.put(evaluationRow('run_test0001', 20, 0.5, { provenance: { ...evaluationRow('run_test0001', 20, 0).provenance, nGenerated: 2000, nReal: 2000 } }));
    expect(best()).toEqual([[30, 0.2, 'kid']]);
    expect(store.evaluations.list('run_test0001').map((e) => [e.step, e.kid.mean, e.provenance.nGenerated])).toEqual([
      [10, 0.3, 50],
      [20, 0.5, 2000],
      [30, 0.2, 50],
    ]);
    // A pruned checkpoint keeps its evaluation (the chart draws it) but can no longer be the best.
    store.checkpoints.record({ runId: 'run_test0001', step: 50, path: 'runs/x/checkpoints/50', createdAt: 'now' }, [30]);
    expect(best()).toEqual([[10, 0.3, 'kid']]);
    expect(store.evaluations.list('run_test0001').map((e) => e.step)).toEqual([10, 20, 30]);
    expect(store.evaluations.list('run_test0001')[0]).toEqual(evaluationRow('run_test0001', 10, 0.3));
    store.runs.delete('run_test0001');
    expect(store.evaluations.list('run_test0001')).toEqual([]);
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM evaluations').get()).toEqual({ n: 0 });
    store.close();
  });

  it('writes a metrics batch in one transaction: all or nothing', () => {
    const store = openStore();
    addRun(store);
    // The second point references a run that does not exist: the foreign key fails and nothing stays.
    expect(() =>
      store.db.transaction(() => {
        store.metrics.insertBatch('run_test0001', [{ step: 1, time: 0, values: { d_loss: 1 } }]);
        store.metrics.insertBatch('run_missing', [{ step: 2, time: 0, values: { d_loss: 2 } }]);
      })(),
    ).toThrow();
    expect(store.metrics.keys('run_test0001')).toEqual([]);
    store.metrics.insertBatch('run_test0001', [
      { step: 1, time: 0.1, values: { d_loss: 1.5, g_loss: 0.5 } },
      { step: 2, time: 0.2, values: { d_loss: Number.NaN, g_loss: 0.7 } },
    ]);
    expect(store.metrics.keys('run_test0001')).toEqual(['d_loss', 'g_loss']);
    expect(store.metrics.last('run_test0001')).toEqual({ d_loss: null, g_loss: 0.7 });
    store.close();
  });

  it('buckets a long series to at most maxPoints, keeping the true min and max of each bucket', () => {
    const store = openStore();
    addRun(store);
    const values = Array.from({ length: 10_000 }, (_, i) => Math.sin(i / 37) * 3 + (i % 1000 === 500 ? 100 : 0));
    store.metrics.insertBatch(
      'run_test0001',
      values.map((v, i) => ({ step: i + 1, time: i, values: { g_loss: v } })),
    );
    const [series] = store.metrics.series('run_test0001', { keys: ['g_loss'], maxPoints: 300 });
    expect(series!.points.length).toBeLessThanOrEqual(300);
    expect(series!.points.length).toBeGreaterThan(250);
    // Every spike of 100 must survive downsampling as some bucket's max.
    expect(series!.points.filter((p) => p.max > 50)).toHaveLength(10);
    expect(Math.max(...series!.points.map((p) => p.max))).toBe(Math.max(...values));
    expect(Math.min(...series!.points.map((p) => p.min))).toBe(Math.min(...values));
    for (const p of series!.points) {
      expect(p.min).toBeLessThanOrEqual(p.mean);
      expect(p.mean).toBeLessThanOrEqual(p.max);
    }
    store.close();
  });

  it('deletes a run that was forked, and its forks forget their parent', () => {
    const store = openStore();
    addRun(store, 'run_parent01', 'completed');
    store.runs.insert({ ...store.runs.get('run_parent01')!, id: 'run_child001', parentRunId: 'run_parent01', parentStep: 40 });
    store.metrics.insertBatch('run_parent01', [{ step: 1, time: 0, values: { g_loss: 1 } }]);
    store.runs.delete('run_parent01');
    expect(store.runs.get('run_parent01')).toBeUndefined();
    expect(store.runs.get('run_child001')).toMatchObject({ parentRunId: null, parentStep: null });
    expect(store.metrics.keys('run_parent01')).toEqual([]);
    store.close();
  });

  it('recovers active runs whose owner is gone (running/paused → interrupted, queued → stopped), and leaves the others', () => {
    const store = openStore();
    const gone = { pid: 1, startTicks: null, startedAt: '2026-01-01T00:00:00.000Z', host: 'h' };
    const alive = { ...gone, pid: 2 };
    addRun(store, 'run_running1', 'running');
    store.runs.update('run_running1', { owner: gone });
    store.runs.insert({ ...store.runs.get('run_running1')!, id: 'run_queued01', status: 'queued' });
    store.runs.update('run_queued01', { owner: gone });
    store.runs.insert({ ...store.runs.get('run_running1')!, id: 'run_othersd1', status: 'paused' });
    store.runs.update('run_othersd1', { owner: alive });
    store.runs.insert({ ...store.runs.get('run_running1')!, id: 'run_done0001', status: 'completed' });
    const recovered = store.runs.recoverOrphans('2026-01-02T00:00:00.000Z', (owner) => owner?.pid !== 2);
    expect(recovered.sort()).toEqual(['run_queued01', 'run_running1']);
    expect(store.runs.get('run_running1')).toMatchObject({ status: 'interrupted', reason: { code: 'APP_STOPPED' } });
    expect(store.runs.get('run_queued01')).toMatchObject({ status: 'stopped', reason: { code: 'APP_STOPPED' } });
    expect(store.runs.get('run_othersd1')).toMatchObject({ status: 'paused', reason: null });
    expect(store.runs.get('run_done0001')?.status).toBe('completed');
    store.close();
  });
});
