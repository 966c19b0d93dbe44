/**
 * evaluate in-process against a real data directory (issue 12): real MNIST test digits score near the
 * training digits and uniform noise far from them, on the bundled feature network, every value with
 * its provenance; a corrupt file is skipped and listed; a tiny run that evaluates its checkpoints
 * ends train with its last evaluation, and another checkpoint scores finite values;
 * the text names the measures honestly; a command line missing what the contract needs exits 2.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../../src-main/common/domain';
import type { Evaluation, MeasureProvenance, RunEvaluations } from '../../../src-main/common/quality';
import { Rng } from '../../../src-main/common/rng';
import { cliIn } from '../../fixtures/cli';
import { writeMnistFolder } from '../../fixtures/mnist-folder';
import { tempDir, tinyConfig } from '../../fixtures/workbench';

/** Images per side: small, so that each evaluation takes well under a minute (FD's 1792-d eigendecompositions cost the same at any N). */
const N = 200;
/** Scored images per folder: 19 test digits per class, and as many noise images. */
const SCORED = 190;

async function writeNoiseFolder(dir: string, count: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const rng = new Rng(7, 0);
  for (let i = 0; i < count; i++) {
    const pixels = Buffer.from(Array.from({ length: 28 * 28 }, () => rng.nextInt(256)));
    await sharp(pixels, { raw: { width: 28, height: 28, channels: 1 } })
      .png()
      .toFile(join(dir, `noise-${i}.png`));
  }
}

/** Every value carries what it depends on: network, preprocessing, N and backend. */
function provenanceOf(e: Evaluation): MeasureProvenance[] {
  return [e.fd.provenance, e.kid.provenance, e.precisionRecall.provenance, e.memorization.provenance];
}

describe('evaluate', () => {
  const dataDir = tempDir('cli-quality');
  const cli = cliIn(dataDir);
  const digits = tempDir('cli-quality-test-digits');
  const noise = tempDir('cli-quality-noise');
  let datasetId: string;
  let realOnce: Promise<{ code: number; json: unknown }> | undefined;
  /** The test digits scored once, by whichever test first needs them: no test relies on another having run before it. */
  const scoreDigits = () => (realOnce ??= cli('--json', 'evaluate', '--folder', digits, '--dataset', datasetId, '--n', String(N)));
  const realScore = async () => (await scoreDigits()).json as Evaluation;

  beforeAll(async () => {
    const train = tempDir('cli-quality-train');
    await writeMnistFolder(train, 30);
    // Other digits: MNIST's test split, never in the dataset.
    await writeMnistFolder(digits, SCORED / 10, { split: 'test' });
    writeFileSync(join(digits, 'broken.png'), Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(40, 7)]));
    await writeNoiseFolder(noise, SCORED);
    const imported = await cli('--json', 'import', train, '--size', '28', '--channels', '1');
    expect(imported.code).toBe(0);
    datasetId = (imported.json as { dataset: { id: string; count: number } }).dataset.id;
  });

  it('scores a folder of real test digits near the training digits, skipping and listing a corrupt file', async () => {
    const scored = await scoreDigits();
    expect(scored.code).toBe(0);
    const real = scored.json as Evaluation;
    expect(real.source).toEqual({
      kind: 'folder',
      folder: digits,
      files: SCORED + 1,
      tried: SCORED + 1,
      rejected: [{ file: 'broken.png', reason: expect.stringMatching(/corrupt/) }],
    });
    expect(real).toMatchObject({ datasetId, seed: 0 });
    for (const p of provenanceOf(real)) {
      expect(p).toEqual({
        network: 'nsfwjs-mobilenet_v2_mid-1792',
        networkName: 'nsfwjs MobileNetV2 (1792-d)',
        preprocessing: expect.stringMatching(/224/),
        backend: 'wasm',
        nGenerated: SCORED,
        nReal: N,
      });
    }
    expect(real.fd.name).toBe('FD (nsfwjs MobileNetV2, 1792-d)');
    expect(real.kid.name).toBe('KID (nsfwjs MobileNetV2, 1792-d)');
    expect(real.kid).toMatchObject({ subsets: 50, subsetSize: SCORED / 2 });
    // The same distribution: KID is unbiased, so its mean sits within a few spreads of 0.
    expect(Math.abs(real.kid.mean)).toBeLessThan(3 * real.kid.std);
    expect(real.precisionRecall.precision).toBeGreaterThan(0.6);
    expect(real.precisionRecall.recall).toBeGreaterThan(0.6);
    // New digits sit as far from the training digits as held-out training digits do: no copying.
    expect(real.memorization).toMatchObject({ comparedWith: 'training', nTraining: N, nHeldOut: 60, flagged: false });
    expect(real.memorization.copyRatio).toBeGreaterThan(0.7);
    expect(real.memorization.copyRatio).toBeLessThan(1.5);
    expect(real.seconds.total).toBeGreaterThan(0);
  }, 240_000);

  it('scores uniform noise far away, and says so in words that never call it FID', async () => {
    const real = await realScore();
    const scored = await cli('evaluate', '--folder', noise, '--dataset', datasetId, '--n', String(N));
    expect(scored.code).toBe(0);
    const text = scored.stdout;
    const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1]);
    const fd = value(/^FD \(nsfwjs MobileNetV2, 1792-d\) +(\S+)$/m);
    const kid = value(/^KID \(nsfwjs MobileNetV2, 1792-d\) +(\S+) ± \S+ \(50 subsets of 95\)$/m);
    const precision = value(/^precision +(\S+) /m);
    const recall = value(/^recall +(\S+) /m);
    expect(kid).toBeGreaterThan(100 * (Math.abs(real.kid.mean) + real.kid.std));
    expect(fd).toBeGreaterThan(10 * real.fd.value);
    expect(precision).toBeLessThan(0.05);
    expect(recall).toBeLessThan(0.05);
    expect(text).toMatch(/^memorization +copy ratio (\S+): not flagged/m);
    expect(text).toContain('images drawn aside from the training images, as the dataset has no held-out split');
    expect(text).toMatch(/^coverage +(\S+) \(share of the real images with an image inside their own k-NN ball\)$/m);
    // 300 images: no held-out split, so no classifier, and the text says why there is no in-domain line.
    expect(text).toContain('no in-domain measures: the dataset has no trained classifier');
    expect(text).toMatch(
      new RegExp(`^measured on nsfwjs-mobilenet_v2_mid-1792 \\(nsfwjs MobileNetV2 \\(1792-d\\)\\) · preprocessing: .*224.* · N = ${SCORED} scored, ${N} real · backend wasm · seed 0 · `, 'm'),
    );
    expect(text).toContain('compare only with values measured the same way (network, N, preprocessing, backend), never with published FID');
    expect(text).not.toMatch(/\bFID\b(?! or KID\.)/);
  }, 240_000);

  it('scores the generator of a run’s checkpoint, its step and weights recorded, and names the steps it has when asked for another', async () => {
    const configFile = join(tempDir('cli-quality-config'), 'tiny.json');
    // Evaluation every second checkpoint: step 4, the last, which train waits for before it ends.
    writeFileSync(configFile, JSON.stringify(tinyConfig(4, { intervals: { metricsEvery: 1, sampleEvery: 4, checkpointEvery: 2 }, evaluation: { everyCheckpoints: 2, n: 50 } })));
    const trained = await cli('--json', 'train', '--dataset', datasetId, '--config', configFile);
    expect(trained.code).toBe(0);
    const { run, quality } = trained.json as { run: Run; quality: RunEvaluations };
    expect(quality).toMatchObject({ runId: run.id, pending: [], best: { step: 4, by: 'kid' } });
    expect(quality.evaluations.map((e) => [e.step, e.provenance.nGenerated, e.provenance.backend])).toEqual([[4, 50, 'wasm']]);
    expect(quality.evaluations[0]!.seconds).toBeGreaterThan(0);
    const scored = await cli('--json', 'evaluate', run.id, '--step', '2', '--n', '50');
    expect(scored.code).toBe(0);
    const e = scored.json as Evaluation;
    expect(e.source).toEqual({ kind: 'run', runId: run.id, step: 2, weights: run.config.stabilizers.ema.enabled ? 'ema' : 'generator' });
    expect(e.datasetId).toBe(datasetId);
    for (const p of provenanceOf(e)) expect(p).toMatchObject({ network: 'nsfwjs-mobilenet_v2_mid-1792', backend: 'wasm', nGenerated: 50, nReal: 50 });
    for (const v of [e.fd.value, e.kid.mean, e.kid.std, e.precisionRecall.precision, e.precisionRecall.recall, e.memorization.copyRatio]) {
      expect(Number.isFinite(v)).toBe(true);
    }
    // Four steps of a tiny generator are far from digits.
    const real = await realScore();
    expect(e.kid.mean).toBeGreaterThan(10 * (Math.abs(real.kid.mean) + real.kid.std));
    const missing = await cli('--json', 'evaluate', run.id, '--step', '3');
    expect(missing).toMatchObject({ code: 2, json: { error: { code: 'NOT_FOUND', message: `run ${run.id} has no checkpoint at step 3 (it has 2, 4)` } } });
  }, 240_000);

  it('refuses a folder without a dataset, a run and a folder at once, and --n out of the contract’s bounds, with exit code 2', async () => {
    const noDataset = await cli('--json', 'evaluate', '--folder', digits);
    expect(noDataset).toMatchObject({ code: 2, json: { error: { code: 'INVALID_REQUEST', details: { issues: [{ path: 'datasetId' }] } } } });
    const text = await cli('evaluate', '--folder', digits);
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(/^error: .*datasetId: give the dataset whose images the folder is measured against/);
    const both = await cli('--json', 'evaluate', 'run_aaaaaaaaaa', '--folder', digits, '--dataset', datasetId);
    expect(both).toMatchObject({ code: 2, json: { error: { code: 'INVALID_REQUEST', message: expect.stringContaining('not both or neither') } } });
    const neither = await cli('--json', 'evaluate');
    expect(neither).toMatchObject({ code: 2, json: { error: { code: 'INVALID_REQUEST' } } });
    const small = await cli('--json', 'evaluate', '--folder', digits, '--dataset', datasetId, '--n', '5');
    expect(small).toMatchObject({ code: 2, json: { error: { code: 'INVALID_REQUEST', details: { issues: [{ path: 'n' }] } } } });
    const relative = await cli('--json', 'evaluate', '--folder', 'no-such-folder', '--dataset', datasetId);
    expect(relative).toMatchObject({ code: 2, json: { error: { code: 'NOT_FOUND', message: expect.stringContaining('no-such-folder') } } });
  });
});
