/** Durable commits on a real SQLite file: which writes are fsynced (synchronous=FULL), and checkpoint rows changed all or nothing. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Checkpoint } from '../../../src-main/common/domain';
import { durableTransaction } from '../../../src-main/core/store/database';
import { Store } from '../../../src-main/core/store/store';
import { datasetRow, insertRun } from '../../fixtures/store-rows';
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

function checkpoint(step: number, metric: number | null, best = false): Checkpoint {
  return { runId: 'run_durable1', step, path: `runs/run_durable1/checkpoints/${step}`, createdAt: 'now', metric, best };
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
    expect(levelOf(() => store.checkpoints.record(checkpoint(10, 1, true), []))).toEqual([FULL]);
    expect(levelOf(() => store.datasets.insert({ ...dataset, id: 'ds_durable02' }))).toEqual([FULL]);
    expect(levelOf(() => store.runs.update('run_durable1', { status: 'running' }))).toEqual([FULL]);
    expect(levelOf(() => store.runs.update('run_durable1', { step: 12 }))).toEqual([NORMAL]);
    expect(levelOf(() => store.metrics.insertBatch('run_durable1', [{ step: 12, time: 1, values: { g_loss: 1 } }]))).toEqual([NORMAL]);
    store.close();
  });

  it('records a checkpoint and its pruned steps in one transaction: a failed insert prunes nothing', () => {
    const store = openStore();
    store.checkpoints.record(checkpoint(10, 1.0, true), []);
    store.checkpoints.record(checkpoint(20, 2.0), []);
    store.checkpoints.record(checkpoint(30, 0.5, true), [20]);
    expect(store.checkpoints.list('run_durable1').map((c) => [c.step, c.best])).toEqual([
      [10, false],
      [30, true],
    ]);
    // A row that violates the schema (path is NOT NULL): nothing of the call remains.
    const broken = { ...checkpoint(40, 0.1, true), path: null as unknown as string };
    expect(() => store.checkpoints.record(broken, [10])).toThrow(/NOT NULL/);
    expect(store.checkpoints.list('run_durable1').map((c) => [c.step, c.best])).toEqual([
      [10, false],
      [30, true],
    ]);
    store.close();
  });

  it('reconciles rows in one call: removes, adds, and moves the best flag to best.json’s step', () => {
    const store = openStore();
    for (const c of [checkpoint(10, 1, true), checkpoint(20, 2), checkpoint(30, 3)]) store.checkpoints.record(c, []);
    store.checkpoints.reconcile('run_durable1', { remove: [20], add: [checkpoint(40, 0.5)], bestStep: 40 });
    expect(store.checkpoints.list('run_durable1').map((c) => [c.step, c.metric, c.best])).toEqual([
      [10, 1, false],
      [30, 3, false],
      [40, 0.5, true],
    ]);
    // bestStep undefined (best.json unreadable): flags stay as they are.
    store.checkpoints.reconcile('run_durable1', { remove: [30], add: [] });
    expect(store.checkpoints.list('run_durable1').map((c) => [c.step, c.best])).toEqual([
      [10, false],
      [40, true],
    ]);
    store.close();
  });
});
