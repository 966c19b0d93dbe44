/** Grow's transplant: a grown net keeps what its parent learned (exactly, in function, while the new blocks have α = 0), widens what grew, and reports every weight's fate. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { grownConfig } from '../../../../src-main/common/grow';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { transplant } from '../../../../src-main/engine/grow/transplant';
import { TrainingSession, type TrainingData } from '../../../../src-main/engine/training-session';
import { mnistData, run, tinyConfig } from '../session/helpers';

beforeAll(async () => {
  await resolveBackend('wasm');
});

/** The MNIST digits average-pooled to 14 × 14, as an import at size 14 would give (near enough). */
function mnist14(): TrainingData {
  const src = mnistData();
  const images = new Uint8Array(src.count * 196);
  for (let i = 0; i < src.count; i++) {
    for (let y = 0; y < 14; y++) {
      for (let x = 0; x < 14; x++) {
        const at = (dy: number, dx: number) => src.images[i * 784 + (2 * y + dy) * 28 + 2 * x + dx] ?? 0;
        images[i * 196 + y * 14 + x] = Math.round((at(0, 0) + at(0, 1) + at(1, 0) + at(1, 1)) / 4);
      }
    }
  }
  return { ...src, images, size: 14 };
}

function fates(weights: { name: string; fate: string }[]): Record<string, string> {
  return Object.fromEntries(weights.map((w) => [w.name, w.fate]));
}

async function trainedParent(patch: Record<string, unknown> = {}): Promise<TrainingSession> {
  const parent = new TrainingSession({ config: tinyConfig({ steps: 50, ...patch }), data: mnist14() });
  await run(parent, 4);
  return parent;
}

describe('Grow to larger images', () => {
  it('keeps and widens every weight that fits, starts the new blocks fresh, and says which', async () => {
    const parent = await trainedParent();
    const grown = grownConfig(parent.config, 14, { size: 28, fadeImages: 64 });
    const child = new TrainingSession({ config: grown.config, data: mnistData() });
    const result = transplant(await parent.exportState(), { config: parent.config, size: 14 }, { config: grown.config, size: 28 }, { generator: child.generator, discriminator: child.discriminator });
    const fate = fates(result.weights);
    // G: z → project (7 × 7 × 4 at 14; 7 × 7 × 8 at 28) → toImage. Grown: the projection widens, the old toImage draws at 14.
    expect(fate['generator/project/kernel']).toBe('widened');
    expect(fate['generator/project/norm/gamma']).toBe('widened');
    expect(fate['generator/toImage@14/kernel']).toBe('widened');
    expect(fate['generator/toImage@14/bias']).toBe('kept');
    expect(fate['generator/block1/convT/kernel']).toBe('new');
    expect(fate['generator/toImage/kernel']).toBe('new');
    // D: its first conv read 14 × 14 images, as fromImage@14 does; the new blocks read 28.
    expect(fate['discriminator/fromImage@14/kernel']).toBe('widened');
    expect(fate['discriminator/block1/conv/kernel']).toBe('new');
    expect(fate['discriminator/block2/conv/kernel']).toBe('new');
    expect(fate['discriminator/output/kernel']).toBe('widened');
    expect(fate['discriminator/output/bias']).toBe('kept');
    expect(result.dropped).toEqual([]);
    const widened = result.weights.find((w) => w.name === 'generator/toImage@14/kernel');
    expect(widened?.from).toBe('generator/toImage/kernel');
    expect(widened?.how).toMatch(/inputs 4 → 8.*zero/);
    parent.dispose();
    child.dispose();
  });

  it('with α = 0 the grown G draws the parent’s images upsampled, and the grown D scores images as the parent scores them pooled', async () => {
    const parent = await trainedParent({ model: { minibatchStddev: true } });
    const grown = grownConfig(parent.config, 14, { size: 28, fadeImages: 64 });
    const child = new TrainingSession({ config: grown.config, data: mnistData() });
    transplant(await parent.exportState(), { config: parent.config, size: 14 }, { config: grown.config, size: 28 }, { generator: child.generator, discriminator: child.discriminator });
    expect(child.generator.stage).toEqual({ size: 28, alpha: 0 });
    const z = tf.randomNormal([4, 8], 0, 1, 'float32', 2) as tf.Tensor2D;
    const before = parent.generator.apply(z, null, false);
    const after = child.generator.apply(z, null, false);
    const up = tf.image.resizeNearestNeighbor(before, [28, 28]);
    expect(tf.max(tf.abs(tf.sub(after, up))).dataSync()[0]).toBeLessThan(1e-5);
    const x = tf.randomUniform([4, 28, 28, 1], -1, 1, 'float32', 3) as tf.Tensor4D;
    const scored = child.discriminator.apply(x, null, false).logits;
    const pooled = parent.discriminator.apply(tf.avgPool(x, 2, 2, 'valid'), null, false).logits;
    expect(tf.max(tf.abs(tf.sub(scored, pooled))).dataSync()[0]).toBeLessThan(1e-5);
    tf.dispose([z, before, after, up, x, scored, pooled]);
    parent.dispose();
    child.dispose();
  });

  it('trains on from the transplant with finite losses, fading 28 in over its fade images', async () => {
    const parent = await trainedParent();
    const grown = grownConfig(parent.config, 14, { size: 28, fadeImages: 32 });
    const child = new TrainingSession({ config: grown.config, data: mnistData() });
    transplant(await parent.exportState(), { config: parent.config, size: 14 }, { config: grown.config, size: 28 }, { generator: child.generator, discriminator: child.discriminator });
    const metrics = await run(child, 6);
    expect(metrics.map((m) => m['fade_alpha'])).toEqual([0, 0.25, 0.5, 0.75, 1, 1]);
    for (const m of metrics) for (const v of Object.values(m)) expect(Number.isFinite(v)).toBe(true);
    parent.dispose();
    child.dispose();
  });
});

describe('Grow wider and deeper', () => {
  it('doubling the widths keeps the function of the parent exactly (new channels read zero weights)', async () => {
    const parent = await trainedParent({ model: { equalizedLr: true } });
    const grown = grownConfig(parent.config, 14, { widthFactor: 2, fadeImages: 1 });
    expect(grown.config.model.gWidth).toBe(8);
    const child = new TrainingSession({ config: grown.config, data: mnist14() });
    const result = transplant(await parent.exportState(), { config: parent.config, size: 14 }, { config: grown.config, size: 14 }, { generator: child.generator, discriminator: child.discriminator });
    expect(result.weights.every((w) => w.fate !== 'new')).toBe(true);
    const z = tf.randomNormal([4, 8], 0, 1, 'float32', 2) as tf.Tensor2D;
    const before = parent.generator.apply(z, null, false);
    const after = child.generator.apply(z, null, false);
    expect(tf.max(tf.abs(tf.sub(after, before))).dataSync()[0]).toBeLessThan(1e-5);
    const x = tf.randomUniform([4, 14, 14, 1], -1, 1, 'float32', 3) as tf.Tensor4D;
    const a = parent.discriminator.apply(x, null, false).logits;
    const b = child.discriminator.apply(x, null, false).logits;
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-5);
    tf.dispose([z, before, after, x, a, b]);
    parent.dispose();
    child.dispose();
  });

  it('one block deeper at 32 × 32 keeps the image-side blocks under their new numbers and starts the projection and D’s output fresh', async () => {
    const data32: TrainingData = { images: new Uint8Array(16 * 1024).map((_, i) => (i * 37) % 256), count: 16, size: 32, channels: 1 };
    const parent = new TrainingSession({ config: tinyConfig({ steps: 50, model: { depth: 2 } }), data: data32 });
    await run(parent, 2);
    const grown = grownConfig(parent.config, 32, { depth: 1, fadeImages: 1 });
    expect(grown.config.model.depth).toBe(3);
    const child = new TrainingSession({ config: grown.config, data: data32 });
    const result = transplant(await parent.exportState(), { config: parent.config, size: 32 }, { config: grown.config, size: 32 }, { generator: child.generator, discriminator: child.discriminator });
    const fate = fates(result.weights);
    expect(fate['generator/project/kernel']).toBe('new');
    expect(fate['generator/block1/convT/kernel']).toBe('new');
    expect(fate['generator/block2/convT/kernel']).toBe('kept');
    expect(result.weights.find((w) => w.name === 'generator/block2/convT/kernel')?.from).toBe('generator/block1/convT/kernel');
    expect(fate['generator/toImage/kernel']).toBe('kept');
    expect(fate['discriminator/block1/conv/kernel']).toBe('kept');
    expect(fate['discriminator/block2/conv/kernel']).toBe('kept');
    expect(fate['discriminator/block3/conv/kernel']).toBe('new');
    expect(fate['discriminator/output/kernel']).toBe('new');
    expect(result.dropped).toContain('generator/project/kernel');
    expect(result.dropped).toContain('discriminator/output/kernel');
    parent.dispose();
    child.dispose();
  });

  it('refuses what cannot grow, naming the field', () => {
    const config = tinyConfig({});
    expect(() => grownConfig(config, 14, { size: 21, fadeImages: 1 })).toThrow(/times 2, 4/);
    expect(() => grownConfig(config, 14, { depth: 1, fadeImages: 1 })).toThrow(/at most 1 blocks/);
    expect(() => grownConfig(tinyConfig({ model: { arch: 'resnet' } }), 14, { size: 28, fadeImages: 1 })).toThrow(/DCGAN/);
  });
});
