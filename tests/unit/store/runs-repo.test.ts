/** The runs table on a real SQLite file: labels and reasons stored at insert, every field a patch may change, and what recovery tells the user. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { reason } from '../../../src-main/common/run-reasons';
import type { ProcessIdentity } from '../../../src-main/core/process-identity';
import { Store } from '../../../src-main/core/store/store';
import { datasetRow, insertRun } from '../../fixtures/store-rows';
import { tempDir } from '../../fixtures/workbench';

function openStore(): Store {
  const store = Store.open(join(tempDir('runs-repo'), 'workbench.sqlite'));
  store.datasets.insert(datasetRow('ds_runs0001'));
  insertRun(store, 'run_repo0001', 'ds_runs0001', 'completed');
  return store;
}

describe('RunsRepo', () => {
  it('starts a run without labels with none, and keeps the preset, tags, notes and reason it is given', () => {
    const store = openStore();
    expect(store.runs.get('run_repo0001')).toMatchObject({ preset: null, tags: [], notes: '', reason: null });
    const failed = reason('TRAINER_ERROR', 'the trainer stopped: out of memory');
    store.runs.insert({ ...store.runs.get('run_repo0001')!, id: 'run_repo0002', status: 'failed', reason: failed, preset: 'dcgan-mnist', tags: ['baseline', 'gp'], notes: 'first try' });
    expect(store.runs.get('run_repo0002')).toMatchObject({ status: 'failed', reason: failed, preset: 'dcgan-mnist', tags: ['baseline', 'gp'], notes: 'first try' });
    store.close();
  });

  it('changes every field a patch names, several at once, and leaves the others', () => {
    const store = openStore();
    const before = store.runs.get('run_repo0001')!;
    const why = reason('DISK_FULL', 'the disk is full (ENOSPC); free some space, then resume the run');
    store.runs.update('run_repo0001', {
      status: 'paused',
      step: 120,
      backend: 'wasm',
      reason: why,
      startedAt: '2026-01-02T00:00:00.000Z',
      endedAt: '2026-01-03T00:00:00.000Z',
      name: 'renamed',
      notes: 'paused on a full disk',
      tags: ['disk'],
    });
    expect(store.runs.get('run_repo0001')).toEqual({
      ...before,
      status: 'paused',
      step: 120,
      backend: 'wasm',
      reason: why,
      startedAt: '2026-01-02T00:00:00.000Z',
      endedAt: '2026-01-03T00:00:00.000Z',
      name: 'renamed',
      notes: 'paused on a full disk',
      tags: ['disk'],
    });
    // null clears a reason and an end; fields the patch leaves undefined keep their values.
    store.runs.update('run_repo0001', { status: 'running', reason: null, endedAt: null, backend: undefined, name: undefined });
    expect(store.runs.get('run_repo0001')).toMatchObject({ status: 'running', reason: null, endedAt: null, backend: 'wasm', name: 'renamed' });
    store.runs.update('run_repo0001', {});
    store.runs.update('run_repo0001', { step: undefined });
    expect(store.runs.get('run_repo0001')).toMatchObject({ status: 'running', step: 120 });
    store.close();
  });

  it('hands recovery the owner it stored, and tells the user of a recovered run why it stopped', () => {
    const store = openStore();
    const owner: ProcessIdentity = { pid: 4242, startTicks: 99, startedAt: '2026-01-01T00:00:00.000Z', host: 'laptop' };
    store.runs.update('run_repo0001', { status: 'running', owner });
    const seen: (ProcessIdentity | null)[] = [];
    expect(store.runs.recoverOrphans('2026-01-02T00:00:00.000Z', (o) => (seen.push(o), true))).toEqual(['run_repo0001']);
    expect(seen).toEqual([owner]);
    expect(store.runs.get('run_repo0001')).toMatchObject({
      status: 'interrupted',
      endedAt: '2026-01-02T00:00:00.000Z',
      reason: { code: 'APP_STOPPED', message: 'the app or server that was training this run stopped while it was active' },
    });
    store.close();
  });
});
