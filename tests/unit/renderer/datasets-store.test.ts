/** The datasets store with a real Pinia over a scripted transport: list, import with progress and cancel, scans, uploads, rename, drops. */
import { beforeEach, describe, expect, it } from 'vitest';
import { useDatasetsStore } from '../../../src-renderer/stores/datasets';
import { deferred, makeDataset, setupStores, type FakeTransport } from './fake-transport';

function progress(importId: string, done: number) {
  return { importId, path: '/data/faces', phase: 'decoding', done, total: 4, rejected: 1, etaSeconds: 2, perSecond: 1 };
}

function scanOf(name: string) {
  return { sourcePath: `/data/${name}`, name, files: 3, images: 2, wouldReject: 1, rejectReasons: {}, skipped: 0, formats: { png: 2 }, classes: [], unlabelled: 2, fingerprint: 'f', existing: [] };
}

function file(path: string, bytes: number): File {
  const f = new File([new Uint8Array(bytes)], path.split('/').pop()!);
  Object.defineProperty(f, 'webkitRelativePath', { value: path });
  return f;
}

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

  it('imports a folder under its own id: shows only its progress and keeps the result with its rejects', async () => {
    const store = useDatasetsStore();
    const imported = makeDataset({ id: 'ds_0002', name: 'faces', count: 3, rejectedCount: 1, createdAt: '2025-02-01T00:00:00.000Z' });
    const held = deferred<unknown>();
    transport.handlers['datasets.import'] = () => held.promise;

    const importing = store.importFolder({ path: '/data/faces', size: 64, channels: 3 });
    expect(store.importing).toBe(true);
    const id = store.importId!;
    expect(id).toMatch(/^imp-/);
    transport.emit('dataset.importProgress', progress('someone-else', 3));
    expect(store.importProgress).toBeNull();
    transport.emit('dataset.importProgress', progress(id, 2));
    expect(store.importProgress).toMatchObject({ done: 2, etaSeconds: 2 });

    held.resolve({ dataset: imported, rejected: [{ file: 'broken.png', reason: 'corrupt or truncated image' }] });
    const result = await importing;

    expect(result.dataset.id).toBe('ds_0002');
    expect(store.importing).toBe(false);
    expect(store.lastImport?.rejected).toEqual([{ file: 'broken.png', reason: 'corrupt or truncated image' }]);
    expect(store.byId('ds_0002')?.count).toBe(3);
    expect(transport.callsOf('datasets.import')).toEqual([{ path: '/data/faces', size: 64, channels: 3, importId: id }]);
  });

  it('imports pairs under its own id: both halves listed, the result kept apart from a folder import', async () => {
    const store = useDatasetsStore();
    const a = makeDataset({ id: 'ds_pa01', name: 'maps · A', classes: [], pair: { datasetId: 'ds_pb01', role: 'A' } });
    const b = makeDataset({ id: 'ds_pb01', name: 'maps · B', classes: [], pair: { datasetId: 'ds_pa01', role: 'B' } });
    const held = deferred<unknown>();
    transport.handlers['datasets.importPaired'] = () => held.promise;
    const importing = store.importPaired({ path: '/data/maps', layout: 'side-by-side', size: 64 });
    const id = store.importId!;
    transport.emit('dataset.importProgress', progress(id, 1));
    expect(store.importProgress).toMatchObject({ done: 1 });
    held.resolve({ a, b, rejected: [{ file: 'B/9.png', reason: 'no partner in A/' }] });
    await importing;
    expect(store.importing).toBe(false);
    expect(store.lastImport).toBeNull();
    expect(store.lastPairedImport?.rejected).toHaveLength(1);
    expect([store.byId('ds_pa01')?.pair, store.byId('ds_pb01')?.pair]).toEqual([a.pair, b.pair]);
    expect(transport.callsOf('datasets.importPaired')).toEqual([{ path: '/data/maps', layout: 'side-by-side', size: 64, importId: id }]);
    store.resetImport();
    expect(store.lastPairedImport).toBeNull();
  });

  it('cancels the running import by its id', async () => {
    const store = useDatasetsStore();
    const held = deferred<unknown>();
    transport.handlers['datasets.import'] = () => held.promise;
    transport.handlers['datasets.cancelImport'] = () => ({ cancelled: true });
    const importing = store.importFolder({ path: '/data/faces' }).catch((e: unknown) => e);
    await store.cancelImport();
    expect(store.cancelling).toBe(true);
    expect(transport.callsOf('datasets.cancelImport')).toEqual([{ importId: store.importId }]);
    held.resolve(Promise.reject(new Error('import cancelled')));
    expect(await importing).toBeInstanceOf(Error);
    expect(store.importError).toBe('import cancelled');
    expect(store.cancelling).toBe(false);
  });

  it('keeps only the latest scan when scans overlap', async () => {
    const store = useDatasetsStore();
    const slow = deferred<unknown>();
    transport.handlers['datasets.scan'] = (p: { path: string }) => (p.path === '/data/a' ? slow.promise : scanOf('b'));
    const first = store.scan({ path: '/data/a' });
    await store.scan({ path: '/data/b' });
    slow.resolve(scanOf('a'));
    await first;
    expect(store.scanResult?.name).toBe('b');
    expect(store.scanning).toBe(false);
  });

  it('uploads a chosen folder, telling the server about files over the size limit instead of sending them', async () => {
    const store = useDatasetsStore();
    const items = [file('holiday/a.png', 10), file('holiday/sub/b.png', 20)];
    const huge = file('holiday/huge.tif', 5);
    Object.defineProperty(huge, 'size', { value: 300 * 1024 * 1024 });
    const session = await store.uploadFolder([...items, huge].map((f) => ({ path: f.webkitRelativePath, file: f })));
    expect(session).toMatch(/^up-[0-9a-f]{24}$/);
    expect(store.upload).toMatchObject({ session, name: 'holiday', done: true, progress: { files: 3, totalFiles: 3 } });
    expect(transport.uploads.map((u) => [u.path, u.tooLarge ?? null])).toEqual(
      expect.arrayContaining([
        ['holiday/a.png', null],
        ['holiday/sub/b.png', null],
        ['holiday/huge.tif', 300 * 1024 * 1024],
      ]),
    );
  });

  it('gives up a failed upload, removing what reached the server', async () => {
    const store = useDatasetsStore();
    transport.handlers['upload'] = (p: { path: string }) => {
      if (p.path.endsWith('b.png')) throw new Error('upload of holiday/b.png failed (413): too large');
    };
    transport.handlers['datasets.discardUpload'] = () => ({ ok: true });
    const session = await store.uploadFolder([file('holiday/a.png', 1), file('holiday/b.png', 1)].map((f) => ({ path: f.webkitRelativePath, file: f })));
    expect(session).toBeNull();
    expect(store.uploadError).toContain('413');
    expect(store.upload).toBeNull();
    expect(transport.callsOf('datasets.discardUpload')).toHaveLength(1);
  });

  it('renames a dataset and follows renames made elsewhere', async () => {
    const store = useDatasetsStore();
    await store.list();
    transport.handlers['datasets.rename'] = (p: { id: string; name: string }) => ({ ...mnist, name: p.name });
    await store.rename(mnist.id, 'Digits');
    expect(store.byId(mnist.id)?.name).toBe('Digits');
    transport.emit('dataset.updated', { ...mnist, name: 'Renamed in another window' });
    expect(store.byId(mnist.id)?.name).toBe('Renamed in another window');
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

  it('holds dropped folders until the import dialog takes them', () => {
    const store = useDatasetsStore();
    transport.emit('ui.folderDropped', { paths: ['/home/me/cats', '/home/me/dogs'] });
    expect(store.pendingImportPaths).toEqual(['/home/me/cats', '/home/me/dogs']);
    expect(store.takePendingImports()).toEqual(['/home/me/cats', '/home/me/dogs']);
    expect(store.takePendingImports()).toEqual([]);
    transport.emit('ui.folderDropped', { paths: [] });
    expect(store.pendingImportPaths).toEqual([]);
  });
});
