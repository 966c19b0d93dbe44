/** Paired imports through the workbench: two datasets linked as a pair, progress under one import id, a `pairs` translation run trained on them, a deleted half unlinking its partner. */
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../src-main/common/contract';
import type { Dataset } from '../../../src-main/common/domain';
import { readPackedDataset } from '../../../src-main/core/datasets/packed-format';
import { makeWorkbench, parsed, tinyConfig } from '../../fixtures/workbench';
import { tempDirs } from './temp-dir';

const newDir = tempDirs();
const PAIRS = 10;
const SIZE = 16;

describe('paired imports through the workbench', () => {
  const { workbench, hub } = makeWorkbench();
  let folder = '';
  let a: Dataset;
  let b: Dataset;

  beforeAll(async () => {
    folder = await newDir();
    // pix2pix-style sources: a grey level on the left, its negative on the right.
    for (let k = 0; k < PAIRS; k++) {
      const level = 20 + k * 20;
      const px = Buffer.alloc(2 * SIZE * SIZE * 3);
      for (let y = 0; y < SIZE; y++) for (let x = 0; x < 2 * SIZE; x++) px.fill(x < SIZE ? level : 255 - level, (y * 2 * SIZE + x) * 3, (y * 2 * SIZE + x + 1) * 3);
      await sharp(px, { raw: { width: 2 * SIZE, height: SIZE, channels: 3 } }).png().toFile(join(folder, `${String(k).padStart(2, '0')}.png`));
    }
  });
  afterAll(() => workbench.close());

  it('imports two datasets naming each other, announced, with progress under its import id', async () => {
    const progress: EventPayload<'dataset.importProgress'>[] = [];
    const imported: Dataset[] = [];
    const off = hub.subscribe((event, payload) => {
      if (event === 'dataset.importProgress') progress.push(payload as never);
      if (event === 'dataset.imported') imported.push(payload as never);
    });
    ({ a, b } = await workbench.handlers['datasets.importPaired'](
      parsed('datasets.importPaired', { path: folder, layout: 'side-by-side', size: SIZE, name: 'negatives', importId: 'pair-import-1' }),
    ));
    off();
    expect(a).toMatchObject({ name: 'negatives · A', count: PAIRS, classes: [], pair: { datasetId: b.id, role: 'A' }, sourcePath: folder });
    expect(b).toMatchObject({ name: 'negatives · B', count: PAIRS, classes: [], pair: { datasetId: a.id, role: 'B' } });
    expect(imported.map((d) => d.id)).toEqual([a.id, b.id]);
    expect(progress.every((p) => p.importId === 'pair-import-1')).toBe(true);
    expect(progress.at(-1)).toMatchObject({ phase: 'done', done: PAIRS, total: PAIRS });
    expect(workbench.datasets.get(a.id).pair).toEqual({ datasetId: b.id, role: 'A' });
    // Both have what an import gives: details with thumbnails, and aligned pixels.
    const details = await workbench.handlers['datasets.details']({ id: b.id });
    expect(details.thumbs?.sheets).toHaveLength(1);
    const [packedA, packedB] = await Promise.all([readPackedDataset(workbench.dataDir.dataset(a.id)), readPackedDataset(workbench.dataDir.dataset(b.id))]);
    const bytes = SIZE * SIZE * 3;
    for (let k = 0; k < PAIRS; k++) expect(packedA.images[k * bytes]! + packedB.images[k * bytes]!).toBe(255);
  });

  it('trains a translation run on stored pairs (task.source pairs) for two steps', async () => {
    const config = tinyConfig(2, { task: { kind: 'paired', source: 'pairs', datasetB: b.id }, intervals: { metricsEvery: 1, sampleEvery: 2, checkpointEvery: 2 }, sampleGridSize: 2 });
    const run = workbench.runs.create({ datasetId: a.id, config, start: true });
    const settled = await workbench.host.whenSettled(run.id);
    expect(settled.status).toBe('completed');
    expect(workbench.runs.samples(run.id).map((s) => s.step)).toContain(2);
    // The targets' dataset is the run's too: not deleted from under it.
    expect(() => workbench.datasets.delete(b.id)).toThrow(/used by 1 run/);
    workbench.runs.delete(run.id);
  }, 60_000);

  it('deleting one half keeps the other as an ordinary dataset, announced without its pair', async () => {
    const updated: Dataset[] = [];
    const off = hub.subscribe((event, payload) => event === 'dataset.updated' && updated.push(payload as never));
    await workbench.handlers['datasets.delete']({ id: a.id });
    off();
    expect(workbench.datasets.get(b.id).pair).toBeNull();
    expect(updated).toEqual([expect.objectContaining({ id: b.id, pair: null })]);
  });
});
