/** Translation runs through the product path: created with their task checks, trained by a real trainer process (triplet samples, validation metrics in SQLite), Try it by the warm worker (resize and tile), `cli translate` on a folder, the perceptual loss on the dataset's classifier, and the refusals, each naming its field. */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../../src-main/common/domain';
import type { Evaluation } from '../../../src-main/common/quality';
import type { WorkbenchError } from '../../../src-main/common/errors';
import { GRID_BORDER } from '../../../src-main/common/grid-layout';
import { CLASSIFIER_DIR, CLASSIFIER_REPORT_FILE } from '../../../src-main/core/datasets/packed-format';
import { buildDomainClassifier } from '../../../src-main/engine/evaluators/feature-nets/domain-classifier';
import { saveArtifacts } from '../../../src-main/utility/save-artifacts';
import { cliIn } from '../../fixtures/cli';
import { writeMnistFolder } from '../../fixtures/mnist-folder';
import { makeWorkbench, parsed, tempDir, tinyConfig } from '../../fixtures/workbench';

/** A grey PNG of side × side: a bright square on black, the shape of a digit's stroke. */
async function squarePng(side: number): Promise<string> {
  const pixels = new Uint8Array(side * side);
  for (let y = side >> 2; y < (3 * side) >> 2; y++) for (let x = side >> 2; x < (3 * side) >> 2; x++) pixels[y * side + x] = 255;
  return (await sharp(Buffer.from(pixels), { raw: { width: side, height: side, channels: 1 } }).png().toBuffer()).toString('base64');
}

describe('translation runs', () => {
  const dataDir = tempDir('data');
  const { workbench } = makeWorkbench(dataDir);
  let digits: Dataset;
  let small: Dataset;
  let runId: string;
  const mnistFolder = tempDir('mnist');
  const translation = (steps: number, task: Record<string, unknown>) => tinyConfig(steps, { task, intervals: { metricsEvery: 1, sampleEvery: 3, checkpointEvery: 3 }, sampleGridSize: 3 });

  beforeAll(async () => {
    await writeMnistFolder(mnistFolder, 2);
    digits = (await workbench.datasets.import(parsed('datasets.import', { path: mnistFolder, size: 28, channels: 1 }))).dataset;
    small = (await workbench.datasets.import(parsed('datasets.import', { path: mnistFolder, size: 16, channels: 1 }))).dataset;
    const run = workbench.runs.create({ datasetId: digits.id, config: translation(6, { kind: 'paired', source: 'superres', scale: 2 }), start: true });
    expect((await workbench.host.whenSettled(run.id)).status).toBe('completed');
    runId = run.id;
  }, 180_000);
  afterAll(() => workbench.close());

  const refusal = async (fn: () => unknown): Promise<WorkbenchError> => {
    try {
      await fn();
    } catch (error) {
      return error as WorkbenchError;
    }
    throw new Error('expected a refusal');
  };

  it('trains a paired super-resolution run in a trainer process: triplet samples, validation metrics beside the bicubic baseline, checkpoints', async () => {
    const samples = workbench.runs.samples(runId);
    expect(samples.map((s) => s.step)).toEqual([0, 3, 6]);
    const meta = await sharp(join(dataDir, samples.at(-1)!.path)).metadata();
    // Three rows of input | output | target at 28 × 28.
    expect(meta.width).toBe(3 * 28 + 4 * GRID_BORDER);
    expect(meta.height).toBe(3 * 28 + 4 * GRID_BORDER);
    const series = workbench.runs.metrics(runId, ['val_psnr', 'baseline_psnr', 'g_l1', 'sample_diversity'], 1000);
    const byKey = Object.fromEntries(series.map((s) => [s.key, s.points]));
    expect(byKey['val_psnr']?.map((p) => p.step)).toEqual([0, 3, 6]);
    expect(byKey['baseline_psnr']?.every((p) => p.mean! > 10)).toBe(true);
    expect(byKey['g_l1']).toHaveLength(6);
    // A translation has no noise samples to measure the variety of.
    expect(byKey['sample_diversity'] ?? []).toEqual([]);
    expect(workbench.runs.checkpoints(runId).map((c) => c.step)).toEqual([3, 6]);
  });

  it('translates a dropped image with the newest checkpoint: resized to the training size, or in tiles at its own size ×2', async () => {
    const resized = await workbench.handlers['runs.translate'](parsed('runs.translate', { id: runId, image: { name: 'square.png', data: await squarePng(40) } }));
    expect(resized).toMatchObject({ step: 6, mode: 'resize', direction: 'ab', width: 28, height: 28 });
    for (const file of [resized.input, resized.output]) expect((await sharp(join(dataDir, file)).metadata()).width).toBe(28);
    expect((await sharp(Buffer.from(resized.outputPng, 'base64')).metadata()).height).toBe(28);
    // Tile mode: the 20 × 20 image is the small one; upscaled ×2 it is 40 × 40, translated in blended 28 × 28 tiles.
    const tiled = await workbench.handlers['runs.translate'](parsed('runs.translate', { id: runId, step: 3, image: { name: 'small.png', data: await squarePng(20) }, mode: 'tile' }));
    expect(tiled).toMatchObject({ step: 3, mode: 'tile', width: 40, height: 40 });
    expect(readdirSync(join(workbench.dataDir.run(runId), 'translated')).filter((n) => n.endsWith('.png'))).toHaveLength(4);
  }, 60_000);

  it('refuses, naming the field: Try it on a generate run, B → A on a paired run, an unreadable file, a missing checkpoint', async () => {
    const generate = workbench.runs.create({ datasetId: digits.id, config: tinyConfig(2), start: false });
    const call = (req: Parameters<typeof parsed<'runs.translate'>>[1]) => () => workbench.handlers['runs.translate'](parsed('runs.translate', req));
    const data = await squarePng(28);
    expect((await refusal(call({ id: generate.id, image: { name: 'a.png', data } }))).details).toMatchObject({ issues: [{ path: 'id' }] });
    expect((await refusal(call({ id: runId, image: { name: 'a.png', data }, direction: 'ba' }))).details).toMatchObject({ issues: [{ path: 'direction' }] });
    const broken = await refusal(call({ id: runId, image: { name: 'notes.png', data: Buffer.from('not an image').toString('base64') } }));
    expect(broken.message).toMatch(/notes\.png/);
    expect(broken.details).toMatchObject({ issues: [{ path: 'image.data' }] });
    expect((await refusal(call({ id: runId, step: 4, image: { name: 'a.png', data } }))).details).toMatchObject({ issues: [{ path: 'step' }] });
  });

  it("refuses translation configs the datasets can't train, naming both datasets", async () => {
    const unpaired = await refusal(() => workbench.runs.create({ datasetId: digits.id, config: translation(2, { kind: 'unpaired', datasetB: small.id }), start: false }));
    expect(unpaired.message).toContain(digits.id);
    expect(unpaired.message).toContain(small.id);
    expect(unpaired.details).toMatchObject({ issues: [{ path: 'config.task.datasetB' }] });
    const colour = await refusal(() => workbench.runs.create({ datasetId: digits.id, config: translation(2, { kind: 'paired', source: 'colorize' }), start: false }));
    expect(colour.message).toMatch(/colorization needs colour images/);
  });

  it('trains an unpaired run and measures its A → B outputs against the images of domain B (FD, KID), and refuses that for a paired run', async () => {
    const other = (await workbench.datasets.import(parsed('datasets.import', { path: mnistFolder, size: 28, channels: 1 }))).dataset;
    const run = workbench.runs.create({ datasetId: digits.id, config: translation(3, { kind: 'unpaired', datasetB: other.id, poolSize: 8 }), start: true });
    expect((await workbench.host.whenSettled(run.id)).status).toBe('completed');
    expect(workbench.runs.metrics(run.id, ['val_cycle'], 100)[0]?.points.map((p) => p.step)).toEqual([0, 3]);
    const evaluation = (await workbench.handlers['quality.evaluate'](parsed('quality.evaluate', { source: { runId: run.id }, n: 50 }))) as Evaluation;
    expect(evaluation.datasetId).toBe(other.id);
    expect(evaluation.kid.provenance.nGenerated).toBe(20);
    expect(Number.isFinite(evaluation.fd.value)).toBe(true);
    expect(workbench.runs.get(run.id).status).toBe('completed');
    // A paired run is measured at each sample step instead.
    const paired = await refusal(() => workbench.handlers['quality.evaluate'](parsed('quality.evaluate', { source: { runId }, n: 50 })));
    expect(paired.message).toMatch(/L1, PSNR and SSIM/);
  }, 120_000);

  it('trains a paired run with the perceptual loss on the classifier of its dataset, and refuses it while the dataset has none', async () => {
    const own = (await workbench.datasets.import(parsed('datasets.import', { path: mnistFolder, size: 28, channels: 1 }))).dataset;
    const config = translation(2, { kind: 'paired', source: 'superres', perceptualWeight: 2 });
    const none = await refusal(() => workbench.runs.create({ datasetId: own.id, config, start: false }));
    expect(none.details).toMatchObject({ issues: [{ path: 'config.task.perceptualWeight', message: expect.stringContaining(`dataset ${own.id} has no classifier: the dataset has no held-out split`) }] });
    // A seeded, untrained classifier stands in for the one an import of 1,000 digits would train: the trainer reads it from the dataset's folder.
    const model = buildDomainClassifier({ size: 28, channels: 1, classes: own.classes.length }, 3);
    let artifacts: tf.io.ModelArtifacts | null = null;
    await model.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    model.dispose();
    const dir = join(workbench.dataDir.dataset(own.id), CLASSIFIER_DIR);
    await saveArtifacts(artifacts!, dir);
    const report = { network: 'in-domain-cnn64-test', accuracy: 0.1, classAccuracy: [], heldOutImages: 0, featureScale: 1, trainImages: 0, epochs: 0, steps: 0, seconds: 0, backend: 'wasm', trainedAt: new Date().toISOString() };
    writeFileSync(join(dir, CLASSIFIER_REPORT_FILE), JSON.stringify(report));
    workbench.store.datasets.setClassifier(own.id, { status: 'ready', ...report });
    const run = workbench.runs.create({ datasetId: own.id, config, start: true });
    expect((await workbench.host.whenSettled(run.id)).status).toBe('completed');
    const series = Object.fromEntries(workbench.runs.metrics(run.id, ['perceptual', 'g_loss', 'g_loss_adv', 'g_l1'], 100).map((s) => [s.key, s.points.map((p) => p.mean!)]));
    expect(series['perceptual']).toHaveLength(2);
    series['perceptual']!.forEach((value, i) => {
      expect(value).toBeGreaterThan(0);
      expect(series['g_loss']![i]).toBeCloseTo(series['g_loss_adv']![i]! + 100 * series['g_l1']![i]! + 2 * value, 3);
    });
  }, 120_000);

  it('translates a folder from the command line into the same relative names', async () => {
    workbench.close();
    const inDir = tempDir('translate-in');
    mkdirSync(join(inDir, 'nested'));
    await sharp(Buffer.from(await squarePng(28), 'base64')).toFile(join(inDir, 'one.png'));
    await sharp(Buffer.from(await squarePng(50), 'base64')).jpeg().toFile(join(inDir, 'nested', 'two.jpg'));
    const outDir = tempDir('translate-out');
    const result = await cliIn(dataDir)('--json', 'translate', runId, '--in', inDir, '--out', outDir);
    expect(result.code).toBe(0);
    expect((result.json as { written: unknown[] }).written).toHaveLength(2);
    expect(existsSync(join(outDir, 'one.png'))).toBe(true);
    expect((await sharp(join(outDir, 'nested', 'two.png')).metadata()).width).toBe(28);
  }, 120_000);
});
