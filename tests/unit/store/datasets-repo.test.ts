/** The datasets table on a real SQLite file: colour datasets, the list's order, re-import lookups by path or content, rename, delete, runs using one. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Store } from '../../../src-main/core/store/store';
import { datasetRow, insertRun } from '../../fixtures/store-rows';
import { tempDir } from '../../fixtures/workbench';

function openStore(): Store {
  return Store.open(join(tempDir('datasets-repo'), 'workbench.sqlite'));
}

const at = (day: number) => `2026-01-0${day}T00:00:00.000Z`;

describe('DatasetsRepo', () => {
  it('stores both halves of a pair together, each naming the other; deleting one leaves the other without a pair', () => {
    const store = openStore();
    const a = datasetRow('ds_pairA0001', { pair: { datasetId: 'ds_pairB0001', role: 'A' } });
    const b = datasetRow('ds_pairB0001', { pair: { datasetId: 'ds_pairA0001', role: 'B' } });
    store.datasets.insertPair(a, b);
    store.datasets.insert(datasetRow('ds_single001'));
    expect(store.datasets.get('ds_pairA0001')).toEqual(a);
    expect(store.datasets.get('ds_pairB0001')?.pair).toEqual({ datasetId: 'ds_pairA0001', role: 'B' });
    expect(store.datasets.get('ds_single001')?.pair).toBeNull();
    expect(store.datasets.delete('ds_pairA0001')).toEqual(['ds_pairB0001']);
    expect(store.datasets.get('ds_pairB0001')?.pair).toBeNull();
    expect(store.datasets.delete('ds_single001')).toEqual([]);
    store.close();
  });

  it('inserts neither half of a pair when the second cannot be stored', () => {
    const store = openStore();
    store.datasets.insert(datasetRow('ds_taken0001'));
    const a = datasetRow('ds_pairA0002', { pair: { datasetId: 'ds_taken0001', role: 'A' } });
    expect(() => store.datasets.insertPair(a, datasetRow('ds_taken0001'))).toThrow();
    expect(store.datasets.get('ds_pairA0002')).toBeUndefined();
    store.close();
  });

  it('reads colour and greyscale datasets back as stored', () => {
    const store = openStore();
    const colour = datasetRow('ds_colour001', { channels: 3, size: 64, classes: ['cat', 'dog'], rejectedCount: 4, previewPath: 'datasets/ds_colour001/preview.png' });
    store.datasets.insert(colour);
    store.datasets.insert(datasetRow('ds_grey00001', { channels: 1 }));
    expect(store.datasets.get('ds_colour001')).toEqual(colour);
    expect(store.datasets.get('ds_grey00001')?.channels).toBe(1);
    expect(store.datasets.get('ds_missing01')).toBeUndefined();
    store.close();
  });

  it('keeps a synthetic dataset’s provenance and a held-out split’s size; real datasets read back with none', () => {
    const store = openStore();
    const synthetic = {
      runId: 'run_source01',
      step: 400,
      weights: 'ema' as const,
      seed: 3,
      truncation: { psi: 0.7, mode: 'resample' as const },
      balanced: false,
      count: 30,
      classes: ['0', '1'],
      perClass: [14, 16],
      filter: { minConfidence: 0.9, network: 'in-domain-cnn64-0123456789ab', accuracy: 0.95, labels: 'classifier' as const, drawn: 40, kept: 30, acceptanceRate: 0.75 },
      createdAt: at(2),
    };
    const made = datasetRow('ds_synth0001', { synthetic, heldOut: 0, classes: ['0', '1'] });
    const real = datasetRow('ds_real00001', { count: 2000, heldOut: 200 });
    store.datasets.insert(made);
    store.datasets.insert(real);
    expect(store.datasets.get('ds_synth0001')).toEqual(made);
    expect(store.datasets.get('ds_real00001')).toMatchObject({ synthetic: null, heldOut: 200 });
    // A provenance stored before exports could be filtered reads back as unfiltered.
    const { filter: _filter, ...older } = synthetic;
    store.datasets.insert(datasetRow('ds_synth0002', { synthetic: { ...older, filter: null }, heldOut: 0, classes: ['0', '1'] }));
    store.db.prepare('UPDATE datasets SET synthetic_json = ? WHERE id = ?').run(JSON.stringify(older), 'ds_synth0002');
    expect(store.datasets.get('ds_synth0002')?.synthetic).toEqual({ ...older, filter: null });
    store.close();
  });

  it('lists the newest first, ties by id', () => {
    const store = openStore();
    store.datasets.insert(datasetRow('ds_b0000001', { createdAt: at(1) }));
    store.datasets.insert(datasetRow('ds_c0000001', { createdAt: at(2) }));
    store.datasets.insert(datasetRow('ds_a0000001', { createdAt: at(1) }));
    expect(store.datasets.list().map((d) => d.id)).toEqual(['ds_c0000001', 'ds_a0000001', 'ds_b0000001']);
    store.close();
  });

  it('finds earlier imports of the same folder or of the same content elsewhere, newest first; no fingerprint matches nothing', () => {
    const store = openStore();
    store.datasets.insert(datasetRow('ds_folder001', { sourcePath: '/data/digits', createdAt: at(1) }), 'abc');
    store.datasets.insert(datasetRow('ds_copy0001', { sourcePath: '/backup/digits', createdAt: at(2) }), 'abc');
    store.datasets.insert(datasetRow('ds_other001', { sourcePath: '/data/faces', createdAt: at(3) }), 'def');
    store.datasets.insert(datasetRow('ds_nofprint', { sourcePath: '/data/letters', createdAt: at(4) }));
    expect(store.datasets.findRelated('/data/digits', 'abc').map((d) => d.id)).toEqual(['ds_copy0001', 'ds_folder001']);
    expect(store.datasets.findRelated('/elsewhere', 'def').map((d) => d.id)).toEqual(['ds_other001']);
    // A dataset imported without a fingerprint is found by its folder only.
    expect(store.datasets.findRelated('/elsewhere', '').map((d) => d.id)).toEqual([]);
    expect(store.datasets.findRelated('/data/letters', 'xyz').map((d) => d.id)).toEqual(['ds_nofprint']);
    store.close();
  });

  it('finds the newest import of a folder at a size and channel count', () => {
    const store = openStore();
    store.datasets.insert(datasetRow('ds_old00028', { sourcePath: '/data/digits', size: 28, createdAt: at(1) }));
    store.datasets.insert(datasetRow('ds_new00028', { sourcePath: '/data/digits', size: 28, createdAt: at(2) }));
    store.datasets.insert(datasetRow('ds_new00032', { sourcePath: '/data/digits', size: 32, createdAt: at(3) }));
    expect(store.datasets.findBySource('/data/digits', 28, 1)?.id).toBe('ds_new00028');
    expect(store.datasets.findBySource('/data/digits', 32, 1)?.id).toBe('ds_new00032');
    expect(store.datasets.findBySource('/data/digits', 28, 3)).toBeUndefined();
    store.close();
  });

  it('renames one dataset, counts the runs using it, and deletes it only when none does', () => {
    const store = openStore();
    store.datasets.insert(datasetRow('ds_keep0001', { name: 'keep' }));
    store.datasets.insert(datasetRow('ds_used0001', { name: 'used' }));
    insertRun(store, 'run_uses0001', 'ds_used0001');
    insertRun(store, 'run_uses0002', 'ds_used0001');
    store.datasets.rename('ds_used0001', 'digits, cleaned');
    expect(store.datasets.list().map((d) => d.name).sort()).toEqual(['digits, cleaned', 'keep']);
    expect(store.runs.countUsingDataset('ds_used0001')).toBe(2);
    expect(store.runs.countUsingDataset('ds_keep0001')).toBe(0);
    // Runs reference their dataset: the foreign key refuses to orphan them.
    expect(() => store.datasets.delete('ds_used0001')).toThrow(/FOREIGN KEY/);
    store.datasets.delete('ds_keep0001');
    expect(store.datasets.list().map((d) => d.id)).toEqual(['ds_used0001']);
    store.close();
  });
});
