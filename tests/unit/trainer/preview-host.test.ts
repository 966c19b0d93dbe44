/** Augmentation previews through the real preview worker process: data URLs, seeds, order, restart after a crash, latency during training. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../../src-main/common/domain';
import { AugmentSettings } from '../../../src-main/common/datasets';
import { writeMnistFolder } from '../../fixtures/mnist-folder';
import { makeWorkbench, tempDir, tinyConfig } from '../../fixtures/workbench';

const identity = AugmentSettings.parse({});
const busy = AugmentSettings.parse({ flip: 0.5, rotation: { p: 1, degrees: 25 }, cutout: { p: 1 }, noise: { p: 1 }, diffAugment: ['translation'] });

describe('PreviewHost with a real worker', () => {
  const { workbench, hub } = makeWorkbench();
  let dataset: Dataset;
  const preview = (augment = busy, seed = 1) => workbench.datasets.augmentPreview(dataset.id, { augment, seed, count: 4, variants: 3, diffAugmentP: 1 });

  beforeAll(async () => {
    const folder = tempDir('mnist');
    await writeMnistFolder(folder, 4);
    dataset = (await workbench.datasets.import({ path: folder, size: 28, channels: 1 })).dataset;
  });
  afterAll(() => workbench.close());

  it('shows originals next to variants as PNG data URLs; identity settings change nothing', async () => {
    const out = await preview(identity);
    expect(out.indices).toHaveLength(4);
    expect(out.originals).toHaveLength(4);
    expect(out.variants.map((v) => v.length)).toEqual([3, 3, 3, 3]);
    expect(out.originals[0]).toMatch(/^data:image\/png;base64,/);
    out.variants.forEach((row, i) => row.forEach((v) => expect(v).toBe(out.originals[i])));
  });

  it('gives the same images for the same seed, and answers concurrent requests each with its own', async () => {
    const [a, b, c] = await Promise.all([preview(busy, 1), preview(busy, 2), preview(busy, 1)]);
    expect(c!.variants).toEqual(a!.variants);
    expect(c!.indices).toEqual(a!.indices);
    expect(b!.indices).not.toEqual(a!.indices);
    expect(a!.variants[0]![0]).not.toBe(a!.originals[0]);
  });

  it('starts a new worker when the old one died', async () => {
    const host = workbench.previews;
    const pid = host.pid;
    expect(pid).toBeTypeOf('number');
    process.kill(pid!, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    const out = await preview(busy, 1);
    expect(out.originals).toHaveLength(4);
    expect(host.pid).not.toBe(pid);
  });

  it('answers while a run trains', async () => {
    const run = workbench.runs.create({ datasetId: dataset.id, config: tinyConfig(100_000), start: true });
    await new Promise<void>((resolve) => {
      const off = hub.subscribe((event, payload) => {
        if (event === 'run.metrics' && (payload as { runId: string }).runId === run.id) {
          off();
          resolve();
        }
      });
    });
    const times: number[] = [];
    for (let seed = 10; seed < 20; seed++) {
      const t0 = performance.now();
      await workbench.datasets.augmentPreview(dataset.id, { augment: busy, seed, count: 6, variants: 4, diffAugmentP: 1 });
      times.push(performance.now() - t0);
    }
    workbench.runs.stop(run.id);
    await workbench.host.whenSettled(run.id);
    times.sort((x, y) => x - y);
    console.log(`augmentation preview while training: median ${times[5]!.toFixed(0)} ms, max ${times[9]!.toFixed(0)} ms (6 images x 4 variants, 28x28)`);
    // No timing assertion (shared CI machines); the figure is printed and reported.
    expect(times[9]).toBeLessThan(30_000);
  });
});
