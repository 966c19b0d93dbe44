/** The dataset service over a real Store: cancel leaves nothing, re-imports are recognised, uploads import and are removed, rename, details, delete. */
import { existsSync } from 'node:fs';
import { cp, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../src-main/common/contract';
import { WorkbenchError } from '../../../src-main/common/errors';
import { DatasetService } from '../../../src-main/core/datasets/dataset-service';
import { writeMnistFolder } from '../../fixtures/mnist-folder';
import { makeWorkbench, tinyConfig, parsed } from '../../fixtures/workbench';
import { tempDirs } from './temp-dir';

const newDir = tempDirs();

describe('DatasetService', () => {
  const { workbench, hub } = makeWorkbench();
  const { datasets } = workbench;
  let mnist = '';

  beforeAll(async () => {
    mnist = join(await newDir(), 'digits');
    await writeMnistFolder(mnist, 30);
  });
  afterAll(() => workbench.close());

  it('cancels an import mid-way: no dataset row, no dataset folder, no partial folder', async () => {
    let cancelledAt = -1;
    const seen: EventPayload<'dataset.importProgress'>[] = [];
    const off = hub.subscribe((event, payload) => {
      if (event !== 'dataset.importProgress') return;
      const p = payload as EventPayload<'dataset.importProgress'>;
      seen.push(p);
      if (cancelledAt < 0 && p.phase === 'decoding' && p.done > 0) {
        cancelledAt = p.done;
        expect(datasets.cancelImport('cancel-me')).toBe(true);
      }
    });
    const error = await datasets.import(parsed('datasets.import', { path: mnist, size: 28, channels: 1, importId: 'cancel-me' })).catch((e: unknown) => e);
    off();
    expect(error).toBeInstanceOf(WorkbenchError);
    expect((error as WorkbenchError).message).toBe('import cancelled');
    expect(cancelledAt).toBeGreaterThan(0);
    expect(cancelledAt).toBeLessThan(300);
    expect(seen.every((p) => p.importId === 'cancel-me')).toBe(true);
    expect(datasets.list()).toEqual([]);
    expect(await readdir(join(workbench.dataDir.root, 'datasets'))).toEqual([]);
    expect(datasets.cancelImport('cancel-me')).toBe(false);
  });

  it('reports progress with a rate and an ETA while decoding, both read from its clock', async () => {
    // A clock that moves 40 ms each time it is read: estimates come after a few files on any machine.
    const STEP_MS = 40;
    let t = 0;
    const timed = new DatasetService(workbench.store, workbench.dataDir, hub.emit, { now: () => (t += STEP_MS) });
    const seen: EventPayload<'dataset.importProgress'>[] = [];
    const off = hub.subscribe((event, payload) => event === 'dataset.importProgress' && seen.push(payload as never));
    const { dataset } = await timed.import(parsed('datasets.import', { path: mnist, size: 28, channels: 1, importId: 'with-eta' }));
    off();
    expect(dataset.count).toBe(300);
    const decoding = seen.filter((p) => p.phase === 'decoding');
    const estimated = decoding.filter((p) => p.etaSeconds !== null);
    // Reports thinned to one per 100 ms of this clock: many of the 300 files, and all but the first few estimated.
    expect(estimated.length).toBeGreaterThan(50);
    expect(decoding.at(-1)!.etaSeconds).not.toBeNull();
    for (const p of estimated) {
      expect(p.perSecond!).toBeGreaterThan(0);
      // The rate is files over elapsed clock time, a whole number of 40 ms reads of at least the 300 ms an estimate waits for…
      const elapsedMs = (p.done * 1000) / p.perSecond!;
      expect(elapsedMs).toBeGreaterThanOrEqual(300);
      expect(elapsedMs / STEP_MS).toBeCloseTo(Math.round(elapsedMs / STEP_MS), 6);
      // …and the ETA is the files left at that rate.
      expect(p.etaSeconds!).toBeCloseTo((p.total - p.done) / p.perSecond!, 9);
    }
    // Files left fall, so the ETA does, at a steady rate.
    expect(estimated.at(-1)!.etaSeconds!).toBeLessThan(estimated[0]!.etaSeconds!);
    expect(seen.at(-1)).toMatchObject({ phase: 'done', done: 300, total: 300, etaSeconds: 0 });
  });

  it('recognises a re-import by path and by content', async () => {
    const [first] = datasets.list();
    const again = await datasets.scan(parsed('datasets.scan', { path: mnist }));
    expect(again.existing.map((d) => d.id)).toEqual([first!.id]);
    expect(again).toMatchObject({ files: 300, images: 300, wouldReject: 0, unlabelled: 0, name: 'digits' });
    expect(again.classes).toHaveLength(10);
    const copy = join(await newDir(), 'copy-of-digits');
    await cp(mnist, copy, { recursive: true });
    expect((await datasets.scan(parsed('datasets.scan', { path: copy }))).existing.map((d) => d.id)).toEqual([first!.id]);
  });

  it('renames a dataset and announces it', async () => {
    const [first] = datasets.list();
    const events: unknown[] = [];
    const off = hub.subscribe((event, payload) => event === 'dataset.updated' && events.push(payload));
    const renamed = datasets.rename(first!.id, 'Handwritten digits');
    off();
    expect(renamed.name).toBe('Handwritten digits');
    expect(datasets.get(first!.id).name).toBe('Handwritten digits');
    expect(events).toEqual([renamed]);
  });

  it('returns details with labels, statistics and thumbnail sheets inside the data directory', async () => {
    const [first] = datasets.list();
    const details = await datasets.details(first!.id);
    expect(details.labels).toHaveLength(300);
    expect(new Set(details.labels)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expect(details.classHistogram).toEqual(new Array(10).fill(30));
    expect(details.stats.mean).toHaveLength(1);
    expect(details.sourceSizes.counts[0]).toBe(300);
    expect(details.thumbs).toMatchObject({ side: 28, columns: 16, perSheet: 256 });
    expect(details.thumbs!.sheets).toEqual([`datasets/${first!.id}/thumbs/sheet-0000.png`, `datasets/${first!.id}/thumbs/sheet-0001.png`]);
    for (const sheet of details.thumbs!.sheets) expect(existsSync(workbench.dataDir.resolveInside(sheet))).toBe(true);
  });

  it('refuses to delete a dataset a run uses, naming why', async () => {
    const [first] = datasets.list();
    const run = workbench.runs.create({ datasetId: first!.id, config: tinyConfig(2), start: false });
    const error = (() => {
      try {
        datasets.delete(first!.id);
      } catch (e) {
        return e as WorkbenchError;
      }
      throw new Error('expected a refusal');
    })();
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe('dataset “Handwritten digits” is used by 1 run; delete that run first');
    workbench.runs.delete(run.id);
    datasets.delete(first!.id);
    expect(datasets.list()).toEqual([]);
  });

  it('imports an upload session, lists files refused during upload, then removes the upload', async () => {
    const session = 'upload-test-1';
    const uploads = datasets.uploads;
    const png = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#804020' } }).png().toBuffer();
    await uploads.receive(session, 'pets/cats/a.png', Readable.from([png]), png.length);
    await uploads.receive(session, 'pets/dogs/b.png', Readable.from([Buffer.from('not an image')]), 12);
    uploads.recordTooLarge(session, 'pets/dogs/huge.png', 400 * 1024 * 1024);
    const scan = await datasets.scan(parsed('datasets.scan', { upload: session }));
    expect(scan).toMatchObject({ name: 'pets', sourcePath: 'upload:pets', files: 3, images: 1, wouldReject: 2 });
    const { dataset, rejected } = await datasets.import(parsed('datasets.import', { upload: session, size: 16, channels: 3 }));
    expect(dataset).toMatchObject({ name: 'pets', sourcePath: 'upload:pets', count: 1, classes: ['cats'] });
    expect(rejected).toEqual([
      { file: 'dogs/b.png', reason: 'not an image (unsupported format)' },
      { file: 'dogs/huge.png', reason: 'too large (400 MB file, limit 256 MB)' },
    ]);
    expect(existsSync(uploads.sessionDir(session))).toBe(false);
  });
});
