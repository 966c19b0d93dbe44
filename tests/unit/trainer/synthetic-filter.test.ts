/**
 * The synthetic dataset export filtered by the dataset's in-domain classifier (issue 12), with the real
 * trainer process: every image kept is one the classifier, loaded again here, is sure enough of for its
 * folder's class; the manifest counts the draws; a threshold the generator cannot reach fails with the
 * acceptance rate and leaves no folder; a dataset without a ready classifier is refused on the field.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods } from '../../../src-main/common/contract';
import type { Dataset } from '../../../src-main/common/domain';
import { WorkbenchError } from '../../../src-main/common/errors';
import { SYNTHETIC_MANIFEST, syntheticImport, type SyntheticManifest } from '../../../src-main/common/synthetic';
import { resolveBackend } from '../../../src-main/engine/backends/resolve-backend';
import { classifyPixels } from '../../../src-main/engine/evaluators/quality';
import { loadClassifier } from '../../../src-main/utility/classifier-job';
import { writeMnistFolder } from '../../fixtures/mnist-folder';
import { makeWorkbench, parsed, tempDir, tinyConfig } from '../../fixtures/workbench';

/**
 * The trainer judged on wasm with its own thread count and batches of 64; read again here, one image
 * may sum in another order. A kept image must still clear the threshold to within this.
 */
const REREAD_TOLERANCE = 1e-5;

/** Each PNG of each class folder with the probabilities the dataset's classifier gives it, read again from disk. */
async function reread(dir: string, classes: string[], classifierDir: string): Promise<{ cls: number; p: Float32Array }[]> {
  await resolveBackend('wasm');
  const { net } = await loadClassifier(classifierDir);
  try {
    const images: { cls: number; pixels: Buffer }[] = [];
    for (const [cls, name] of classes.entries()) {
      for (const file of readdirSync(join(dir, name)).sort()) images.push({ cls, pixels: await sharp(join(dir, name, file)).greyscale().raw().toBuffer() });
    }
    const { probabilities } = await classifyPixels(net, Buffer.concat(images.map((i) => i.pixels)), images.length, 28, 1);
    return images.map((image, i) => ({ cls: image.cls, p: probabilities.subarray(i * classes.length, (i + 1) * classes.length) }));
  } finally {
    net.dispose();
  }
}

describe('the synthetic dataset export filtered by classifier confidence', () => {
  const { workbench } = makeWorkbench();
  let source: Dataset;
  let conditional: string;
  let unconditional: string;
  let classifierDir: string;

  beforeAll(async () => {
    const folder = tempDir('filter-mnist');
    // 1000 digits: a held-out split of 100, so the import trains the dataset's classifier.
    await writeMnistFolder(folder, 100);
    source = (await workbench.handlers['datasets.import'](parsed('datasets.import', { path: folder, size: 28, channels: 1 }))).dataset;
    await workbench.datasets.classifierSettled(source.id);
    expect(workbench.datasets.get(source.id).classifier?.status).toBe('ready');
    classifierDir = join(workbench.dataDir.dataset(source.id), 'classifier');
    const cond = workbench.runs.create(parsed('runs.create', { datasetId: source.id, config: tinyConfig(10, { model: { gWidth: 8, dWidth: 8, gConditioning: 'cbn' } }), start: true }));
    const plain = workbench.runs.create(parsed('runs.create', { datasetId: source.id, config: tinyConfig(10), start: true }));
    expect((await workbench.host.whenSettled(cond.id)).status).toBe('completed');
    expect((await workbench.host.whenSettled(plain.id)).status).toBe('completed');
    [conditional, unconditional] = [cond.id, plain.id];
  }, 300_000);
  afterAll(() => workbench.close());

  const exportDataset = (id: string, options: Record<string, unknown>) => workbench.handlers['runs.export'](parsed('runs.export', { id, format: 'dataset', ...options }));
  const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, SYNTHETIC_MANIFEST), 'utf8')) as SyntheticManifest;

  it('keeps only the images a conditional run made that the classifier reads as their class, and counts the draws', async () => {
    // Ten steps in, the generator makes one blur the classifier reads as a 3 (p ≈ 0.33) whatever the class asked for:
    // only the images made as 3s pass, about one draw in ten.
    const exported = await exportDataset(conditional, { count: 20, balanced: false, minConfidence: 0.3 });
    expect(exported.path).toBe(`runs/${conditional}/exports/step-10-dataset-20-seed0-unbalanced-conf0.3`);
    const manifest = manifestOf(exported.absolutePath);
    console.log(`conditional at 0.3: ${JSON.stringify(manifest.filter)}; per class ${manifest.perClass.join(' ')}`);
    const classifier = workbench.datasets.get(source.id).classifier;
    if (classifier?.status !== 'ready') throw new Error('not ready');
    expect(manifest).toMatchObject({ count: 20, balanced: false, classes: source.classes });
    expect(manifest.filter).toMatchObject({ minConfidence: 0.3, network: classifier.network, accuracy: classifier.accuracy, labels: 'generator', kept: 20 });
    const { drawn, acceptanceRate } = manifest.filter!;
    expect(drawn).toBeGreaterThan(20);
    expect(acceptanceRate).toBe(20 / drawn);
    expect(manifest.perClass.reduce((a, b) => a + b, 0)).toBe(20);
    expect(source.classes.map((c) => readdirSync(join(exported.absolutePath, c)).length)).toEqual(manifest.perClass);
    const images = await reread(exported.absolutePath, source.classes, classifierDir);
    expect(images).toHaveLength(20);
    for (const { cls, p } of images) expect(p[cls]!).toBeGreaterThanOrEqual(0.3 - REREAD_TOLERANCE);
    // Imported, the dataset keeps the filter in its provenance, in SQLite too.
    const { dataset } = await workbench.datasets.import(parsed('datasets.import', syntheticImport(exported.absolutePath, source, exported.step)));
    expect(dataset.synthetic?.filter).toEqual(manifest.filter);
    expect(workbench.store.datasets.get(dataset.id)?.synthetic?.filter).toEqual(manifest.filter);
  }, 120_000);

  it('draws from the same seeded noise as an unfiltered export: with nothing refused, balanced, the images are the same', async () => {
    const plain = await exportDataset(conditional, { count: 20, seed: 5 });
    const filtered = await exportDataset(conditional, { count: 20, seed: 5, minConfidence: 0 });
    expect(manifestOf(filtered.absolutePath)).toMatchObject({ perClass: manifestOf(plain.absolutePath).perClass, filter: { drawn: 20, kept: 20, acceptanceRate: 1 } });
    for (const c of source.classes) {
      const files = readdirSync(join(plain.absolutePath, c)).sort();
      expect(readdirSync(join(filtered.absolutePath, c)).sort()).toEqual(files);
      for (const f of files) {
        const [a, b] = await Promise.all([plain, filtered].map((e) => sharp(join(e.absolutePath, c, f)).raw().toBuffer()));
        expect(b).toEqual(a);
      }
    }
  }, 120_000);

  it('files an unconditional run’s images under the class the classifier reads in them', async () => {
    const exported = await exportDataset(unconditional, { count: 20, balanced: false, minConfidence: 0.3, seed: 2 });
    const manifest = manifestOf(exported.absolutePath);
    console.log(`unconditional at 0.3: ${JSON.stringify(manifest.filter)}; per class ${manifest.perClass.join(' ')}`);
    expect(manifest).toMatchObject({ count: 20, balanced: false, classes: source.classes });
    expect(manifest.filter).toMatchObject({ minConfidence: 0.3, labels: 'classifier', kept: 20 });
    expect(manifest.perClass.reduce((a, b) => a + b, 0)).toBe(20);
    expect(source.classes.map((c) => readdirSync(join(exported.absolutePath, c)).length)).toEqual(manifest.perClass);
    expect(readdirSync(exported.absolutePath).filter((f) => f.endsWith('.png'))).toEqual([]);
    for (const { cls, p } of await reread(exported.absolutePath, source.classes, classifierDir)) {
      expect(p[cls]!).toBeGreaterThanOrEqual(0.3 - REREAD_TOLERANCE);
      expect(Math.max(...p)).toBeCloseTo(p[cls]!, 5);
    }
  }, 120_000);

  it('gives up on a threshold the generator cannot reach, saying how far it got, and leaves no folder', async () => {
    const failed = exportDataset(conditional, { count: 10, minConfidence: 0.9999, seed: 1 });
    await expect(failed).rejects.toThrow(
      /kept \d of 10 images after 200 draws \(the limit, 20 per image\): \d+ \(\d+(\.\d+)?%\) had the classifier give the class it was made for a probability of at least 0\.9999; classes short of their share: 0 \(0 of 1\), .*Lower minConfidence/,
    );
    const exports = join(workbench.dataDir.run(conditional), 'exports');
    expect(readdirSync(exports).filter((d) => d.includes('seed1'))).toEqual([]);
  }, 120_000);

  it('refuses a dataset without a ready classifier, and a minConfidence that is not a probability, on the field', async () => {
    const small = tempDir('filter-small');
    await writeMnistFolder(small, 2);
    const { dataset: few } = await workbench.datasets.import(parsed('datasets.import', { path: small, size: 28, channels: 1 }));
    const run = workbench.runs.create(parsed('runs.create', { datasetId: few.id, config: tinyConfig(5), start: false }));
    try {
      await exportDataset(run.id, { count: 5, minConfidence: 0.9 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(WorkbenchError);
      expect(e).toMatchObject({ code: 'INVALID_REQUEST', details: { issues: [{ path: 'minConfidence', message: expect.stringMatching(/no held-out split/) }] } });
    }
    const issues = (req: object) => methods['runs.export'].request.safeParse({ id: 'run_abc', ...req }).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues({ format: 'dataset', minConfidence: 1.5 })).toEqual(['minConfidence: must be between 0 and 1 (a probability, e.g. 0.9)']);
    expect(issues({ format: 'onnx', minConfidence: 0.9 })).toEqual(['minConfidence: only a dataset export takes minConfidence (format is onnx)']);
    expect(existsSync(join(workbench.dataDir.run(run.id), 'exports'))).toBe(false);
  });
});
