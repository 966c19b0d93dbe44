/** Grow through the product path: a finished 14 × 14 run grown into 28 × 28 by the warm trainer worker, with its report, rows and files; then trained, fading the new blocks in; and the refusals, each naming its field. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../../../src-main/common/domain';
import { WorkbenchError } from '../../../src-main/common/errors';
import { writeMnistFolder } from '../../fixtures/mnist-folder';
import { makeWorkbench, parsed, tempDir, tinyConfig } from '../../fixtures/workbench';

describe('runs.grow', () => {
  const { workbench } = makeWorkbench();
  let small: Dataset;
  let large: Dataset;
  let parentId: string;

  beforeAll(async () => {
    const folder = tempDir('mnist');
    await writeMnistFolder(folder, 2);
    small = (await workbench.datasets.import(parsed('datasets.import', { path: folder, size: 14, channels: 1 }))).dataset;
    large = (await workbench.datasets.import(parsed('datasets.import', { path: folder, size: 28, channels: 1 }))).dataset;
    const parent = workbench.runs.create({ datasetId: small.id, config: tinyConfig(10, { model: { gWidth: 8, dWidth: 8, minibatchStddev: true } }), start: true });
    expect((await workbench.host.whenSettled(parent.id)).status).toBe('completed');
    parentId = parent.id;
  }, 120_000);
  afterAll(() => workbench.close());

  const refusal = async (request: Parameters<typeof workbench.grow.grow>[0]): Promise<WorkbenchError> => {
    try {
      await workbench.grow.grow(request);
    } catch (error) {
      return error as WorkbenchError;
    }
    throw new Error('expected a refusal');
  };

  it('grows a finished 14 × 14 run into 28 × 28: the report, the checkpoint at step 0, the event, grow.json; then it trains through the fade', async () => {
    const { run, report } = await workbench.grow.grow(parsed('runs.grow', { id: parentId, size: 28, datasetId: large.id, steps: 12, fadeImages: 48, start: false }));
    expect(run.parentRunId).toBe(parentId);
    expect(run.parentStep).toBe(10);
    expect(run.datasetId).toBe(large.id);
    expect(run.config.model.depth).toBe(2);
    expect(run.config.progressive).toMatchObject({ enabled: true, startSize: 14, firstPhaseImages: 0, fadeImages: 48 });
    expect(report.summary).toBe('14 × 14 → 28 × 28');
    expect(report.fade).toEqual({ from: 14, to: 28, images: 48 });
    const fate = Object.fromEntries(report.weights.map((w) => [w.name, w.fate]));
    expect(fate['generator/toImage@14/kernel']).toBe('widened');
    expect(fate['generator/toImage/kernel']).toBe('new');
    expect(fate['discriminator/fromImage@14/kernel']).toBe('widened');
    expect(report.copiedValues).toBeGreaterThan(0);
    expect(report.copiedValues).toBeLessThan(report.totalValues);
    expect(workbench.runs.checkpoints(run.id).map((c) => c.step)).toEqual([0]);
    expect(workbench.runs.events(run.id).find((e) => e.kind === 'grown')?.message).toMatch(/^grown from .* at step 10: 14 × 14 → 28 × 28/);
    expect(workbench.grow.growth(run.id)).toEqual(report);
    expect(workbench.grow.growth(parentId)).toBeNull();
    // The scratch folder the worker wrote into is gone.
    expect(readdirSync(join(workbench.dataDir.root, 'runs')).filter((n) => n.includes('.partial-'))).toEqual([]);

    workbench.runs.start(run.id);
    expect((await workbench.host.whenSettled(run.id)).status).toBe('completed');
    const [size, alpha] = workbench.runs.metrics(run.id, ['phase_size', 'fade_alpha'], 1000);
    // 48 images at batch 8: six steps of fade, from α = 0.
    expect(size?.points.map((p) => p.mean)).toEqual([28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28]);
    expect(alpha?.points.map((p) => p.mean).slice(0, 7)).toEqual([0, 1 / 6, 2 / 6, 3 / 6, 4 / 6, 5 / 6, 1]);
    expect(existsSync(join(workbench.dataDir.run(run.id), 'checkpoints', '12'))).toBe(true);
  }, 180_000);

  it('doubles the widths at the same size with nothing new', async () => {
    const { report, run } = await workbench.grow.grow(parsed('runs.grow', { id: parentId, widthFactor: 2, start: false }));
    expect(run.config.model.gWidth).toBe(16);
    expect(report.fade).toBeNull();
    expect(report.weights.filter((w) => w.fate === 'new')).toEqual([]);
  }, 60_000);

  it('refuses, naming the field: a larger size without a dataset of that size, a size that is not 2× or 4×, a depth the size cannot take, a run that is training', async () => {
    const noData = await refusal(parsed('runs.grow', { id: parentId, size: 28 }));
    expect(noData.code).toBe('INVALID_REQUEST');
    expect(noData.message).toMatch(/needs a dataset of 28 × 28 images.*is 14 × 14: import the same images at size 28/);
    expect(noData.details).toMatchObject({ issues: [{ path: 'datasetId' }] });
    const odd = await refusal(parsed('runs.grow', { id: parentId, size: 42, datasetId: large.id }));
    expect(odd.details).toMatchObject({ issues: [{ path: 'size' }] });
    const deep = await refusal(parsed('runs.grow', { id: parentId, depth: 1 }));
    expect(deep.details).toMatchObject({ issues: [{ path: 'depth' }] });
    const busy = workbench.runs.create({ datasetId: small.id, config: tinyConfig(400), start: true });
    const conflict = await refusal(parsed('runs.grow', { id: busy.id, widthFactor: 2 }));
    expect(conflict.code).toBe('CONFLICT');
    workbench.runs.stop(busy.id, true);
    await workbench.host.whenSettled(busy.id);
  }, 120_000);
});
