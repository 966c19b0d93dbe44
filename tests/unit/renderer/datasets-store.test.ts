import { beforeEach, describe, expect, it } from 'vitest';
import { useDatasetsStore } from '../../../src-renderer/stores/datasets';
import { deferred, makeDataset, setupStores, type FakeTransport } from './fake-transport';

describe('useDatasetsStore', () => {
  let transport: FakeTransport;
  const mnist = makeDataset();

  beforeEach(() => {
    ({ transport } = setupStores({ 'datasets.list': () => [mnist] }));
  });

  it('lists datasets', async () => {
    const store = useDatasetsStore();
    await store.list();
    expect(store.datasets.map((d) => d.id)).toEqual([mnist.id]);
    expect(store.loaded).toBe(true);
  });

  it('records a failed list as an error', async () => {
    transport.handlers['datasets.list'] = () => {
      throw new Error('boom');
    };
    const store = useDatasetsStore();
    await store.list();
    expect(store.error).toBe('boom');
  });

  it('imports a folder: shows progress meanwhile and keeps the result with its rejects', async () => {
    const store = useDatasetsStore();
    const imported = makeDataset({ id: 'ds_0002', name: 'faces', count: 3, rejectedCount: 1, createdAt: '2025-02-01T00:00:00.000Z' });
    const held = deferred<unknown>();
    transport.handlers['datasets.import'] = () => held.promise;

    const importing = store.importFolder({ path: '/data/faces', size: 64, channels: 3 });
    expect(store.importing).toBe(true);
    transport.emit('dataset.importProgress', { path: '/data/faces', phase: 'decoding', done: 2, total: 4, rejected: 1 });
    expect(store.importProgress).toEqual({ path: '/data/faces', phase: 'decoding', done: 2, total: 4, rejected: 1 });

    held.resolve({ dataset: imported, rejected: [{ file: 'broken.png', reason: 'cannot decode' }] });
    const result = await importing;

    expect(result.dataset.id).toBe('ds_0002');
    expect(store.importing).toBe(false);
    expect(store.lastImport?.rejected).toEqual([{ file: 'broken.png', reason: 'cannot decode' }]);
    expect(store.byId('ds_0002')?.count).toBe(3);
    expect(transport.callsOf('datasets.import')).toEqual([{ path: '/data/faces', size: 64, channels: 3 }]);
  });

  it('keeps the error of a failed import and rethrows it', async () => {
    const store = useDatasetsStore();
    transport.handlers['datasets.import'] = () => {
      throw new Error('no images in /tmp/empty');
    };
    await expect(store.importFolder({ path: '/tmp/empty' })).rejects.toThrow('no images');
    expect(store.importError).toBe('no images in /tmp/empty');
    expect(store.importing).toBe(false);
    store.resetImport();
    expect(store.importError).toBeNull();
  });

  it('ignores progress of imports it did not start', () => {
    const store = useDatasetsStore();
    transport.emit('dataset.importProgress', { path: '/x', phase: 'scanning', done: 0, total: 0, rejected: 0 });
    expect(store.importProgress).toBeNull();
  });

  it('adds datasets imported elsewhere', async () => {
    const store = useDatasetsStore();
    await store.list();
    transport.emit('dataset.imported', makeDataset({ id: 'ds_0003', name: 'cli import', createdAt: '2025-03-01T00:00:00.000Z' }));
    expect(store.sorted.map((d) => d.id)).toEqual(['ds_0003', mnist.id]);
  });

  it('deletes a dataset', async () => {
    const store = useDatasetsStore();
    await store.list();
    transport.handlers['datasets.delete'] = () => ({ ok: true });
    await store.remove(mnist.id);
    expect(store.datasets).toEqual([]);
    expect(transport.callsOf('datasets.delete')).toEqual([{ id: mnist.id }]);
  });

  it('holds the first dropped folder until the import dialog takes it', () => {
    const store = useDatasetsStore();
    transport.emit('ui.folderDropped', { paths: ['/home/me/cats', '/home/me/dogs'] });
    expect(store.pendingImportPath).toBe('/home/me/cats');
    expect(store.takePendingImport()).toBe('/home/me/cats');
    expect(store.takePendingImport()).toBeNull();
    transport.emit('ui.folderDropped', { paths: [] });
    expect(store.pendingImportPath).toBeNull();
  });
});
