/** Synthetic datasets: a conditional run's generator writes N images in class folders with a manifest, and importing that folder gives a dataset marked synthetic with its provenance. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { methods } from '../../../src-main/common/contract';
import type { Dataset } from '../../../src-main/common/domain';
import { classLabels, SYNTHETIC_MANIFEST, syntheticImport, type SyntheticManifest } from '../../../src-main/common/synthetic';
import { writeMnistFolder } from '../../fixtures/mnist-folder';
import { makeWorkbench, parsed, tempDir, tinyConfig } from '../../fixtures/workbench';

const pngsIn = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.png')).sort();

describe('classLabels', () => {
  it('gives equal shares, the first classes one more, or uniform draws', () => {
    expect([...classLabels(7, 3, true, () => 0)]).toEqual([0, 1, 2, 0, 1, 2, 0]);
    const draws = [0, 0.34, 0.67, 0.999];
    expect([...classLabels(4, 3, false, () => draws.shift()!)]).toEqual([0, 1, 2, 2]);
  });
});

describe('the synthetic dataset export', () => {
  const { workbench } = makeWorkbench();
  let source: Dataset;
  let runId: string;

  beforeAll(async () => {
    const folder = tempDir('mnist-synthetic');
    await writeMnistFolder(folder, 3);
    source = (await workbench.datasets.import(parsed('datasets.import', { path: folder, size: 28, channels: 1 }))).dataset;
    const run = workbench.runs.create({ datasetId: source.id, config: tinyConfig(12, { model: { gConditioning: 'cbn' } }), start: true });
    expect((await workbench.host.whenSettled(run.id)).status).toBe('completed');
    runId = run.id;
  }, 120_000);
  afterAll(() => workbench.close());

  it('writes N images in balanced class folders with a manifest of where they came from', async () => {
    const exported = await workbench.exporter.export(runId, undefined, 'dataset', { count: 25, truncation: { psi: 0.8, mode: 'resample' } });
    expect(exported.path).toBe(`runs/${runId}/exports/step-12-dataset-25-seed0-psi0.8`);
    const dir = exported.absolutePath;
    // 25 over 10 classes: 3 each for the first five, 2 for the rest; nothing else in the folder.
    expect(readdirSync(dir).sort()).toEqual([...source.classes, SYNTHETIC_MANIFEST].sort());
    const counts = source.classes.map((c) => pngsIn(join(dir, c)).length);
    expect(counts).toEqual([3, 3, 3, 3, 3, 2, 2, 2, 2, 2]);
    const manifest = JSON.parse(readFileSync(join(dir, SYNTHETIC_MANIFEST), 'utf8')) as SyntheticManifest;
    expect(manifest).toMatchObject({ format: 'gan-workbench/synthetic-dataset', runId, step: 12, weights: 'generator', seed: 0, balanced: true, count: 25, classes: source.classes, perClass: counts });
    expect(manifest.truncation).toEqual({ psi: 0.8, mode: 'resample' });
    // Image i is class i mod 10: 00.png in class 0, 10.png and 20.png too.
    expect(pngsIn(join(dir, '0'))).toEqual(['00.png', '10.png', '20.png']);
    const image = await sharp(join(dir, '3', '13.png')).greyscale().raw().toBuffer({ resolveWithObject: true });
    expect([image.info.width, image.info.height]).toEqual([28, 28]);
    expect(new Set(image.data).size).toBeGreaterThan(5);
    // Asked again, the same folder comes back; another seed draws other images.
    expect(await workbench.exporter.export(runId, undefined, 'dataset', { count: 25, truncation: { psi: 0.8, mode: 'resample' } })).toEqual(exported);
    const other = await workbench.exporter.export(runId, undefined, 'dataset', { count: 25, seed: 4, truncation: { psi: 0.8, mode: 'resample' } });
    expect(readFileSync(join(other.absolutePath, '3', '13.png'))).not.toEqual(readFileSync(join(dir, '3', '13.png')));
  });

  it('draws classes at random when not balanced, and counts them in the manifest', async () => {
    const exported = await workbench.exporter.export(runId, 12, 'dataset', { count: 40, balanced: false, seed: 7 });
    expect(exported.path).toBe(`runs/${runId}/exports/step-12-dataset-40-seed7-unbalanced`);
    const manifest = JSON.parse(readFileSync(join(exported.absolutePath, SYNTHETIC_MANIFEST), 'utf8')) as SyntheticManifest;
    const counts = source.classes.map((c) => pngsIn(join(exported.absolutePath, c)).length);
    expect(manifest.perClass).toEqual(counts);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(40);
    expect(counts).not.toEqual([4, 4, 4, 4, 4, 4, 4, 4, 4, 4]);
    expect(manifest).toMatchObject({ balanced: false, seed: 7, truncation: null });
  });

  it('round-trips: the folder imports as a dataset marked synthetic, with the manifest as its provenance', async () => {
    const exported = await workbench.exporter.export(runId, undefined, 'dataset', { count: 25, truncation: { psi: 0.8, mode: 'resample' } });
    const manifest = JSON.parse(readFileSync(join(exported.absolutePath, SYNTHETIC_MANIFEST), 'utf8')) as SyntheticManifest;
    const { dataset, rejected } = await workbench.datasets.import(parsed('datasets.import', syntheticImport(exported.absolutePath, source, exported.step)));
    expect(rejected).toEqual([]);
    expect(dataset).toMatchObject({ name: `${source.name} · synthetic (step 12)`, count: 25, classes: source.classes, size: 28, channels: 1 });
    const { format: _f, version: _v, ...provenance } = manifest;
    expect(dataset.synthetic).toEqual(provenance);
    // Stored: it survives a read back from SQLite, and the manifest was passed over as a file, not refused as an image.
    expect(workbench.store.datasets.get(dataset.id)?.synthetic).toEqual(provenance);
    const details = await workbench.handlers['datasets.details']({ id: dataset.id });
    expect(details.classHistogram).toEqual([3, 3, 3, 3, 3, 2, 2, 2, 2, 2]);
    // A folder of real images stays real.
    expect(source.synthetic).toBeNull();
  });

  it('refuses count, balanced and seed for the model formats, naming the field', () => {
    const refusal = methods['runs.export'].request.safeParse({ id: 'run_abc', format: 'onnx', count: 10 });
    expect(refusal.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(['count: only a dataset export takes count (format is onnx)']);
    expect(methods['runs.export'].request.safeParse({ id: 'run_abc', format: 'dataset', count: 20_001 }).success).toBe(false);
  });
});
