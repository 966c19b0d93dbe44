/**
 * "Simplify, then grow" on MNIST through the product path (issue 13): a DCGAN trained on 14 × 14
 * digits is grown (runs.grow) into a 28 × 28 one, its new blocks fading in, and trained on; the same
 * 28 × 28 network trains from scratch for as many steps. At equal steps early on the grown run is closer to
 * the real digits, measured by the dataset's in-domain classifier (KID on its features) and by the
 * general features. A progressive run from 7 × 7 blocks (14 → 28) trains with finite losses as well.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName, RequestOf, ResponseOf } from '../../src-main/common/contract';
import type { Dataset } from '../../src-main/common/domain';
import type { Evaluation } from '../../src-main/common/quality';
import { writeMnistFolder } from '../fixtures/mnist-folder';
import { makeWorkbench, parsed, tempDir } from '../fixtures/workbench';

/** 1,500 digits: 100 per class stay out of training, so each import gets its in-domain classifier. */
const PER_CLASS = 150;
const NET = { batchSize: 64, latentSize: 64, model: { gWidth: 32, dWidth: 32 } };
/** Steps of the 14 × 14 parent, and of the grown and the scratch 28 × 28 runs. */
const PARENT_STEPS = 500;
const STEPS = 100;
/** The grown run's new blocks fade in over its 100 steps. */
const FADE_IMAGES = 100 * NET.batchSize;
/** Steps at which both 28 × 28 runs are scored; images per side. */
const AT = [50, 100];
const N = 300;

describe('Grow a 14 × 14 MNIST DCGAN into 28 × 28', () => {
  const { workbench } = makeWorkbench();
  const report: string[] = [];
  let large: Dataset;
  let grownId: string;
  let scratchId: string;

  async function call<M extends MethodName>(method: M, request: RequestOf<M>): Promise<ResponseOf<M>> {
    const handler = workbench.handlers[method] as (r: ReturnType<typeof parsed<M>>) => Promise<ResponseOf<M>> | ResponseOf<M>;
    return handler(parsed(method, request));
  }

  async function trained(run: { id: string }): Promise<void> {
    const settled = await workbench.host.whenSettled(run.id);
    expect(settled.status, `${run.id}: ${settled.reason?.message ?? ''}`).toBe('completed');
  }

  beforeAll(async () => {
    const t0 = performance.now();
    const since = () => ((performance.now() - t0) / 1000).toFixed(0);
    const folder = tempDir('mnist');
    await writeMnistFolder(folder, PER_CLASS);
    const small = (await call('datasets.import', { path: folder, size: 14, channels: 1 })).dataset;
    large = (await call('datasets.import', { path: folder, size: 28, channels: 1 })).dataset;
    const intervals = { metricsEvery: 10, sampleEvery: 100, checkpointEvery: 50 };
    const parent = await call('runs.create', { datasetId: small.id, config: { ...NET, seed: 1, steps: PARENT_STEPS, intervals }, start: true });
    // The scratch run trains beside the parent: the same final network, from its seed's initial weights.
    const scratch = await call('runs.create', { datasetId: large.id, config: { ...NET, seed: 2, steps: STEPS, intervals, model: { ...NET.model, depth: 2 } }, start: true });
    scratchId = scratch.id;
    await trained(parent);
    report.push(`parent 14 × 14: ${PARENT_STEPS} steps by ${since()} s`);
    const { run, report: grow } = await call('runs.grow', { id: parent.id, size: 28, datasetId: large.id, steps: STEPS, fadeImages: FADE_IMAGES, start: true });
    grownId = run.id;
    const counts = { kept: 0, widened: 0, new: 0 };
    for (const w of grow.weights) counts[w.fate] += 1;
    report.push(`grown: ${grow.summary}; ${counts.kept} kept, ${counts.widened} widened, ${counts.new} new; ${grow.copiedValues} of ${grow.totalValues} values from the parent`);
    await trained(scratch);
    await trained(run);
    report.push(`both 28 × 28 runs: ${STEPS} steps by ${since()} s`);
    await workbench.datasets.classifierSettled(large.id);
    expect(workbench.datasets.get(large.id).classifier?.status).toBe('ready');
  }, 1_200_000);
  afterAll(() => {
    console.log(report.join('\n'));
    workbench.close();
  });

  it('at equal steps, the grown run is closer to the real digits than the same network trained from scratch, and it starts closer than scratch gets in 50 steps', async () => {
    const line = (e: Evaluation) => `in-domain KID ${e.inDomain!.kid.mean.toFixed(4)}, recall ${e.inDomain!.recall.toFixed(2)}; KID ${e.kid.mean.toFixed(4)}, FD ${e.fd.value.toFixed(1)}`;
    const start = await call('quality.evaluate', { source: { runId: grownId, step: 0 }, n: N, seed: 0 });
    report.push(`step 0: grown (the parent's images, upsampled) ${line(start)}`);
    const scores: { step: number; grown: Evaluation; scratch: Evaluation }[] = [];
    for (const step of AT) {
      const grown = await call('quality.evaluate', { source: { runId: grownId, step }, n: N, seed: 0 });
      const scratch = await call('quality.evaluate', { source: { runId: scratchId, step }, n: N, seed: 0 });
      scores.push({ step, grown, scratch });
      report.push(`step ${step}: grown ${line(grown)} | scratch ${line(scratch)}`);
    }
    // The in-domain classifier's KID (the measure): lower for the grown run at every step scored.
    for (const { step, grown, scratch } of scores) {
      expect(grown.inDomain!.kid.mean, `in-domain KID at step ${step}`).toBeLessThan(scratch.inDomain!.kid.mean);
    }
    expect(start.inDomain!.kid.mean, 'the grown run at step 0 against scratch at step 50').toBeLessThan(scores[0]!.scratch.inDomain!.kid.mean);
    // Measured (seeds 1 and 2, n 300): in-domain KID grown 0.310 at step 0 (the parent's images upsampled),
    // 0.830 at 50, 0.622 at 100; scratch 2.359 at 50, 1.664 at 100. The fade costs the grown run some of
    // its start (the new block learns from scratch as α rises) but it stays far ahead.
    // Not asserted, measured once with 300 steps (seeds 1 and 2): by then the scratch run had caught
    // up on in-domain KID (grown 0.075, scratch 0.052) though not on recall (0.44, 0.27) nor general KID (0.091, 0.116).
  }, 600_000);

  it('the grown run faded 28 × 28 in over its 100 steps, with finite losses throughout', () => {
    const [alpha, dLoss, gLoss] = workbench.runs.metrics(grownId, ['fade_alpha', 'd_loss', 'g_loss'], 10_000);
    const alphas = alpha!.points.map((p) => p.mean);
    // Metrics every 10 steps: the update of step s is made after s − 1 updates, at α = (s − 1) / 100.
    expect(alphas.map((a) => Math.round(a * 100))).toEqual([9, 19, 29, 39, 49, 59, 69, 79, 89, 99]);
    for (const series of [dLoss!, gLoss!]) expect(series.points.every((p) => Number.isFinite(p.mean))).toBe(true);
  });

  it('a progressive run grows from 14 × 14 (7 × 7 feature blocks) to 28 × 28 with finite losses, its early samples upscaled', async () => {
    const config = { ...NET, seed: 3, steps: 60, intervals: { metricsEvery: 1, sampleEvery: 20, checkpointEvery: 60 }, progressive: { enabled: true, startSize: 14, phaseImages: 20 * 64, fadeImages: 20 * 64 } };
    const run = await call('runs.create', { datasetId: large.id, config, start: true });
    await trained(run);
    const [size, dLoss, gLoss] = workbench.runs.metrics(run.id, ['phase_size', 'd_loss', 'g_loss'], 10_000);
    expect(size!.points.filter((p) => p.mean === 14).length).toBe(20);
    expect(size!.points.filter((p) => p.mean === 28).length).toBe(40);
    for (const series of [dLoss!, gLoss!]) expect(series.points.every((p) => Number.isFinite(p.mean))).toBe(true);
    // The grid of step 0 and of the 14 × 14 phase are stored at the full size, upscaled.
    expect(workbench.runs.samples(run.id).map((s) => s.step)).toEqual([0, 20, 40, 60]);
  }, 300_000);
});
