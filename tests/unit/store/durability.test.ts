/** Durable commits on a real SQLite file: which writes are fsynced (synchronous=FULL), and checkpoint rows changed all or nothing. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { durableTransaction } from '../../../src-main/core/store/database';
import type { NewCheckpoint } from '../../../src-main/core/store/samples-repo';
import { Store } from '../../../src-main/core/store/store';
import { datasetRow, evaluationRow, insertRun } from '../../fixtures/store-rows';
import { tempDir } from '../../fixtures/workbench';

/** PRAGMA synchronous: 1 is NORMAL, 2 is FULL. */
const NORMAL = 1;
const FULL = 2;

const dataset = datasetRow('ds_durable01');

function openStore(): Store {
  const store = Store.open(join(tempDir('durable'), 'workbench.sqlite'));
  store.datasets.insert(dataset);
  insertRun(store, 'run_durable1', dataset.id, 'stopped');
  return store;
}

const synchronous = (store: Store) => store.db.pragma('synchronous', { simple: true });

function checkpoint(step: number): NewCheckpoint {
  return { runId: 'run_durable1', step, path: `runs/run_durable1/checkpoints/${step}`, createdAt: 'now' };
}

describe('durable commits', () => {
  it('commits a durable transaction with synchronous=FULL and goes back to NORMAL, also after a failure that rolls it back', () => {
    const store = openStore();
    expect(synchronous(store)).toBe(NORMAL);
    expect(store.durably(() => synchronous(store))).toBe(FULL);
    expect(synchronous(store)).toBe(NORMAL);
    expect(() =>
      store.durably(() => {
        store.events.insert('run_durable1', 'test', 'written, then rolled back');
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(store.events.list('run_durable1')).toEqual([]);
    expect(synchronous(store)).toBe(NORMAL);
    // Nested durable writes join the outer transaction.
    expect(store.durably(() => durableTransaction(store.db, () => synchronous(store)))).toBe(FULL);
    // SQLite cannot raise the level inside a plain transaction: refused loudly rather than silently NORMAL.
    expect(() => store.db.transaction(() => store.durably(() => 0))()).toThrow('a durable transaction cannot run inside a plain transaction');
    store.close();
  });

  it('makes checkpoint rows, dataset rows and run status durable, and leaves metric points NORMAL', () => {
    const store = openStore();
    const levels: number[] = [];
    // Observe the level each write is prepared at (repositories prepare inside their transaction).
    const original = store.db.prepare.bind(store.db);
    store.db.prepare = ((sql: string) => {
      if (/^\s*(INSERT|UPDATE|DELETE)/i.test(sql)) levels.push(Number(store.db.pragma('synchronous', { simple: true })));
      return original(sql);
    }) as typeof store.db.prepare;
    const levelOf = (write: () => void) => {
      levels.length = 0;
      write();
      return [...new Set(levels)];
    };
    expect(levelOf(() => store.checkpoints.record(checkpoint(10), []))).toEqual([FULL]);
    expect(levelOf(() => store.evaluations.put(evaluationRow('run_durable1', 10, 0.1)))).toEqual([FULL]);
    expect(levelOf(() => store.datasets.insert({ ...dataset, id: 'ds_durable02' }))).toEqual([FULL]);
    expect(levelOf(() => store.runs.update('run_durable1', { status: 'running' }))).toEqual([FULL]);
    expect(levelOf(() => store.runs.update('run_durable1', { step: 12 }))).toEqual([NORMAL]);
    expect(levelOf(() => store.metrics.insertBatch('run_durable1', [{ step: 12, time: 1, values: { g_loss: 1 } }]))).toEqual([NORMAL]);
    store.close();
  });

  it('records a checkpoint and its pruned steps in one transaction: a failed insert prunes nothing', () => {
    const store = openStore();
    store.checkpoints.record(checkpoint(10), []);
    store.checkpoints.record(checkpoint(20), []);
    store.checkpoints.record(checkpoint(30), [20]);
    expect(store.checkpoints.list('run_durable1').map((c) => [c.step, c.best])).toEqual([
      [10, false],
      [30, true],
    ]);
    // A row that violates the schema (path is NOT NULL): nothing of the call remains.
    const broken = { ...checkpoint(40), path: null as unknown as string };
    expect(() => store.checkpoints.record(broken, [10])).toThrow(/NOT NULL/);
    expect(store.checkpoints.list('run_durable1').map((c) => [c.step, c.best])).toEqual([
      [10, false],
      [30, true],
    ]);
    store.close();
  });

  it('reconciles rows in one call: removes and adds; the best follows from the rows and the evaluations', () => {
    const store = openStore();
    for (const c of [checkpoint(10), checkpoint(20), checkpoint(30)]) store.checkpoints.record(c, []);
    store.evaluations.put(evaluationRow('run_durable1', 20, 0.1));
    store.checkpoints.reconcile('run_durable1', { remove: [20], add: [checkpoint(40)] });
    expect(store.checkpoints.list('run_durable1').map((c) => [c.step, c.best, c.bestBy])).toEqual([
      [10, false, 'newest'],
      [30, false, 'newest'],
      [40, true, 'newest'],
    ]);
    store.checkpoints.reconcile('run_durable1', { remove: [], add: [checkpoint(20)] });
    expect(store.checkpoints.list('run_durable1').map((c) => [c.step, c.kid, c.best])).toEqual([
      [10, null, false],
      [20, 0.1, true],
      [30, null, false],
      [40, null, false],
    ]);
    store.close();
  });
});
