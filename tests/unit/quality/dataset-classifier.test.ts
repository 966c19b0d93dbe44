/**
 * The in-domain classifier through the workbench (issue 12), with the real trainer process: an import
 * of MNIST with a held-out split trains it in the background and stores its held-out accuracy; an
 * evaluation then adds the in-domain measures, on which real test digits pass and ten class
 * prototypes repeated fail recall and coverage; a conditional run gets per-class scores; datasets
 * that cannot have one are refused with the reason; a training cut off by a stop is failed at start-up.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../src-main/common/contract';
import type { Dataset } from '../../../src-main/common/domain';
import type { Evaluation } from '../../../src-main/common/quality';
import { WorkbenchError } from '../../../src-main/common/errors';
import { writeMnistFolder } from '../../fixtures/mnist-folder';
import { readMnist } from '../../fixtures/mnist-idx';
import { makeWorkbench, parsed, tempDir, tinyConfig } from '../../fixtures/workbench';

/** Images per side: enough for k-NN manifolds to mean something, few enough to embed in seconds. */
const N = 100;

/** Ten test digits, one per class, each written N / 10 times. */
async function writePrototypes(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const test = readMnist('test', 200);
  for (let digit = 0; digit < 10; digit++) {
    const index = test.labels.indexOf(digit);
    const png = await sharp(Buffer.from(test.images.subarray(index * 784, (index + 1) * 784)), { raw: { width: 28, height: 28, channels: 1 } }).png().toBuffer();
    for (let copy = 0; copy < N / 10; copy++) await sharp(png).toFile(join(dir, `${digit}-${copy}.png`));
  }
}

describe('the in-domain classifier of a dataset', () => {
  const dataDir = tempDir('classifier');
  let wb: ReturnType<typeof makeWorkbench>;
  let dataset: Dataset;
  const updates: EventPayload<'dataset.updated'>[] = [];
  const digits = tempDir('classifier-test-digits');
  const prototypes = tempDir('classifier-prototypes');
  let folder: string;

  beforeAll(async () => {
    wb = makeWorkbench(dataDir);
    wb.hub.subscribe((event, payload) => {
      if (event === 'dataset.updated') updates.push(payload as EventPayload<'dataset.updated'>);
    });
    folder = tempDir('classifier-mnist');
    // 1000 digits: 100 held out, the classifier learns from the other 900.
    await writeMnistFolder(folder, 100);
    await writeMnistFolder(digits, N / 10, { split: 'test' });
    await writePrototypes(prototypes);
    ({ dataset } = await wb.workbench.handlers['datasets.import'](parsed('datasets.import', { path: folder, size: 28, channels: 1 })));
    await wb.workbench.datasets.classifierSettled(dataset.id);
  }, 300_000);
  afterAll(() => wb.workbench.close());

  it('trains once after the import, on the training part, and stores its accuracy on the held-out split', () => {
    expect(dataset).toMatchObject({ count: 1000, heldOut: 100, classifier: { status: 'training' } });
    expect(updates.map((d) => d.classifier?.status)).toEqual(['training', 'ready']);
    const classifier = wb.workbench.datasets.get(dataset.id).classifier;
    expect(classifier).toMatchObject({ status: 'ready', heldOutImages: 100, trainImages: 900, backend: 'wasm', network: expect.stringMatching(/^in-domain-cnn64-[0-9a-f]{12}$/) });
    if (classifier?.status !== 'ready') throw new Error('not ready');
    console.log(`classifier: ${classifier.trainImages} images, ${classifier.epochs} epochs, ${classifier.steps} steps in ${classifier.seconds.toFixed(1)} s, held-out accuracy ${classifier.accuracy}`);
    expect(classifier.accuracy).toBeGreaterThanOrEqual(0.85);
    expect(classifier.classAccuracy).toHaveLength(10);
    for (const file of ['model.json', 'weights.bin', 'classifier.json']) expect(existsSync(join(wb.workbench.dataDir.dataset(dataset.id), 'classifier', file))).toBe(true);
  });

  it('an evaluation measures on it too: real test digits pass, ten class prototypes repeated fail recall and coverage', async () => {
    const evaluate = (folder: string) => wb.workbench.handlers['quality.evaluate'](parsed('quality.evaluate', { datasetId: dataset.id, source: { folder }, n: N })) as Promise<Evaluation>;
    const real = await evaluate(digits);
    const repeated = await evaluate(prototypes);
    const show = (name: string, e: Evaluation) =>
      `${name}: in-domain KID ${e.inDomain!.kid.mean.toFixed(4)} P ${e.inDomain!.precision} R ${e.inDomain!.recall} C ${e.inDomain!.coverage} reached ${e.inDomain!.classesReached} conf ${e.inDomain!.meanConfidence.toFixed(3)}; general R ${e.precisionRecall.recall} C ${e.precisionRecall.coverage}`;
    console.log(`${show('test digits', real)}\n${show('prototypes', repeated)}`);
    const classifier = wb.workbench.datasets.get(dataset.id).classifier!;
    if (classifier.status !== 'ready') throw new Error('not ready');
    for (const e of [real, repeated]) {
      expect(e.inDomain).toMatchObject({
        name: 'in-domain classifier, 64-d',
        accuracy: classifier.accuracy,
        classes: dataset.classes,
        perClass: null,
        provenance: { network: classifier.network, backend: 'wasm', nGenerated: N, nReal: N },
      });
      expect(e.inDomain!.histogram.reduce((a, b) => a + b, 0)).toBe(N);
      expect(e.inDomain!.realHistogram.reduce((a, b) => a + b, 0)).toBe(N);
    }
    // Every class is there in both: the class histogram alone cannot tell them apart.
    expect(real.inDomain!.classesReached).toBeGreaterThanOrEqual(9);
    expect(repeated.inDomain!.classesReached).toBeGreaterThanOrEqual(9);
    // Recall and coverage can: ten images cover little of the real digits' variety.
    expect(real.inDomain!.recall).toBeGreaterThan(0.5);
    expect(real.inDomain!.coverage).toBeGreaterThan(0.5);
    expect(repeated.inDomain!.recall).toBeLessThan(0.2);
    expect(repeated.inDomain!.coverage).toBeLessThan(0.3);
    expect(repeated.precisionRecall.coverage).toBeLessThan(real.precisionRecall.coverage);
    expect(repeated.inDomain!.kid.mean).toBeGreaterThan(real.inDomain!.kid.mean + 3 * real.inDomain!.kid.standardError);
    // Unseen digits are new: not flagged by the memorization check against every training image.
    expect(real.inDomain!.memorization).toMatchObject({ flagged: false, nTraining: 900, nHeldOut: 100 });
    expect(real.inDomain!.memorization!.copyRatio).toBeGreaterThan(0.8);
  }, 300_000);

  it('a "generator" that returns training images is flagged by the in-domain memorization check, which searches every training image', async () => {
    // The imported folder itself: 9 in 10 of its images are training images, the rest held out.
    const copies = (await wb.workbench.handlers['quality.evaluate'](parsed('quality.evaluate', { datasetId: dataset.id, source: { folder }, n: N }))) as Evaluation;
    console.log(`copies: in-domain copy ratio ${copies.inDomain!.memorization!.copyRatio}; general ${copies.memorization.copyRatio}`);
    expect(copies.inDomain!.memorization).toMatchObject({ flagged: true, nTraining: 900 });
    // Most copies sit exactly on a training image: the median distance is 0.
    expect(copies.inDomain!.memorization!.copyRatio).toBe(0);
  }, 300_000);

  it('a conditional run’s evaluation scores each class: how often its images are read as that class', async () => {
    const run = await wb.workbench.handlers['runs.create'](
      parsed('runs.create', { datasetId: dataset.id, config: tinyConfig(5, { model: { gWidth: 8, dWidth: 8, gConditioning: 'embedding', dConditioning: 'projection' } }) }),
    );
    expect((await wb.workbench.host.whenSettled(run.id)).status).toBe('completed');
    const e = await wb.workbench.handlers['quality.evaluate'](parsed('quality.evaluate', { source: { runId: run.id }, n: N }));
    const perClass = e.inDomain!.perClass!;
    expect(perClass.map((c) => c.class)).toEqual(dataset.classes);
    // The generator is asked for the real images' class mix.
    expect(perClass.map((c) => c.n)).toEqual(e.inDomain!.realHistogram);
    for (const c of perClass) {
      expect(c.accuracy).toBeGreaterThanOrEqual(0);
      expect(c.accuracy).toBeLessThanOrEqual(1);
    }
    // The stored evaluation keeps the summary, per class included.
    const stored = wb.workbench.store.evaluations.list(run.id)[0]!;
    expect(stored.inDomain).toMatchObject({ network: e.inDomain!.provenance.network, perClass, histogram: e.inDomain!.histogram });
    expect(stored.coverage).toBe(e.precisionRecall.coverage);
  }, 300_000);

  it('refuses a second training while one runs, and datasets that cannot have a classifier, with the reason', async () => {
    const started = wb.workbench.handlers['datasets.trainClassifier']({ id: dataset.id });
    expect(started).toMatchObject({ classifier: { status: 'training' } });
    expect(() => wb.workbench.handlers['datasets.trainClassifier']({ id: dataset.id })).toThrow(/already training/);
    expect(() => wb.workbench.datasets.delete(dataset.id)).toThrow(/is training/);
    await wb.workbench.datasets.classifierSettled(dataset.id);
    expect(wb.workbench.datasets.get(dataset.id).classifier?.status).toBe('ready');
    const small = tempDir('classifier-small');
    await writeMnistFolder(small, 20);
    const { dataset: few } = await wb.workbench.handlers['datasets.import'](parsed('datasets.import', { path: small, size: 28, channels: 1 }));
    expect(few.classifier).toBeNull();
    try {
      wb.workbench.handlers['datasets.trainClassifier']({ id: few.id });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(WorkbenchError);
      expect((e as WorkbenchError).code).toBe('INVALID_REQUEST');
      expect((e as Error).message).toMatch(/no held-out split/);
    }
  }, 300_000);

  it('a training cut off when the workbench stopped is failed at the next start, and can be trained again', async () => {
    wb.workbench.store.datasets.setClassifier(dataset.id, { status: 'training', startedAt: '2026-01-01T00:00:00.000Z' });
    wb.workbench.close();
    wb = makeWorkbench(dataDir);
    expect(wb.workbench.datasets.get(dataset.id).classifier).toMatchObject({ status: 'failed', error: expect.stringMatching(/stopped while the classifier trained/) });
  });
});
