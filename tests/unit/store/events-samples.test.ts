/** A run's log (events with and without reasons, their data), its samples and its checkpoints looked up by step, on a real SQLite file. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { reason } from '../../../src-main/common/run-reasons';
import { Store } from '../../../src-main/core/store/store';
import { datasetRow, evaluationRow, insertRun } from '../../fixtures/store-rows';
import { tempDir } from '../../fixtures/workbench';

const RUN = 'run_log00001';

function openStore(): Store {
  const store = Store.open(join(tempDir('events-samples'), 'workbench.sqlite'));
  store.datasets.insert(datasetRow('ds_log00001'));
  insertRun(store, RUN, 'ds_log00001', 'running');
  insertRun(store, 'run_other001', 'ds_log00001', 'running');
  return store;
}

describe('EventsRepo', () => {
  it("lists a run's events in the order they happened, each with its reason or null, and stores their data as JSON", () => {
    const store = openStore();
    const paused = reason('DISK_FULL', 'the disk is full (ENOSPC); free some space, then resume the run');
    store.events.insert(RUN, 'started', 'training on wasm from step 0', { name: 'wasm', threads: 1 });
    store.events.insert('run_other001', 'started', 'another run');
    store.events.insertReason(RUN, 'paused', paused);
    store.events.insert(RUN, 'warn', 'checkpoint at step 10 removed');
    expect(store.events.list(RUN).map((e) => [e.runId, e.kind, e.message, e.reason])).toEqual([
      [RUN, 'started', 'training on wasm from step 0', null],
      [RUN, 'paused', paused.message, paused],
      [RUN, 'warn', 'checkpoint at step 10 removed', null],
    ]);
    const data = store.db.prepare('SELECT data_json FROM events WHERE run_id = ? ORDER BY id').pluck().all(RUN);
    expect(data).toEqual([JSON.stringify({ name: 'wasm', threads: 1 }), null, null]);
    store.close();
  });
});

describe('SamplesRepo', () => {
  it("lists a run's samples by step, with the raw grid where one was written; a sample written again replaces the old one", () => {
    const store = openStore();
    store.samples.insert({ runId: RUN, step: 20, path: 'samples/20.png', rawPath: null });
    store.samples.insert({ runId: RUN, step: 10, path: 'samples/10.png', rawPath: 'samples/10-raw.png' });
    store.samples.insert({ runId: 'run_other001', step: 5, path: 'other/5.png', rawPath: null });
    store.samples.insert({ runId: RUN, step: 20, path: 'samples/20-again.png', rawPath: null });
    expect(store.samples.list(RUN)).toEqual([
      { runId: RUN, step: 10, path: 'samples/10.png', rawPath: 'samples/10-raw.png' },
      { runId: RUN, step: 20, path: 'samples/20-again.png', rawPath: null },
    ]);
    store.close();
  });
});

describe('CheckpointsRepo lookups', () => {
  it('finds the latest checkpoint, one by step, and the best by KID; none for a run without checkpoints', () => {
    const store = openStore();
    for (const step of [30, 10, 20]) store.checkpoints.insert({ runId: RUN, step, path: `checkpoints/${step}`, createdAt: 'now' });
    store.evaluations.put(evaluationRow(RUN, 20, 0.05));
    store.evaluations.put(evaluationRow(RUN, 30, 0.2));
    expect(store.checkpoints.latest(RUN)).toMatchObject({ step: 30, path: 'checkpoints/30', kid: 0.2, best: false });
    expect(store.checkpoints.get(RUN, 10)).toMatchObject({ step: 10, kid: null, best: false, bestBy: 'kid' });
    expect(store.checkpoints.get(RUN, 15)).toBeUndefined();
    expect(store.checkpoints.best(RUN)).toMatchObject({ step: 20, kid: 0.05, bestBy: 'kid' });
    expect(store.evaluations.kids(RUN)).toEqual([
      { step: 20, kid: 0.05 },
      { step: 30, kid: 0.2 },
    ]);
    expect(store.checkpoints.latest('run_other001')).toBeUndefined();
    expect(store.checkpoints.best('run_other001')).toBeUndefined();
    store.close();
  });
});
