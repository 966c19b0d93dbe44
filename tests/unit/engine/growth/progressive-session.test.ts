/** Progressive growing in a session: the stages steps train at, what fades where (G's output, D's input, the reals), which layers learn, exact resume mid-fade, no leaks. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import type { CheckpointState } from '../../../../src-main/engine/checkpoint-state';
import { realsAtStage } from '../../../../src-main/engine/session/growth';
import { TrainingSession, type TrainingData } from '../../../../src-main/engine/training-session';
import { expectFinite, mnistData, run, tinyConfig, trainableSnapshot, unchanged } from '../session/helpers';

beforeAll(async () => {
  await resolveBackend('wasm');
});

/** MNIST digits padded to 32 × 32, so the nets have three sides to grow through: 8, 16, 32. */
function mnist32(): TrainingData {
  const src = mnistData();
  const images = new Uint8Array(src.count * 32 * 32);
  for (let i = 0; i < src.count; i++) {
    for (let y = 0; y < 28; y++) images.set(src.images.subarray((i * 28 + y) * 28, (i * 28 + y + 1) * 28), i * 1024 + (y + 2) * 32 + 2);
  }
  return { ...src, images, size: 32 };
}

/** 8 × 8 for 2 steps, 16 × 16 fading in over 2 steps and stable for 2, then 32 × 32 fading in over 2 steps. */
function growing(patch: Record<string, unknown> = {}) {
  return tinyConfig({ steps: 20, progressive: { enabled: true, startSize: 8, phaseImages: 16, fadeImages: 16 }, ...patch });
}

function throughDisk(state: CheckpointState): CheckpointState {
  return { meta: JSON.parse(JSON.stringify(state.meta)) as Record<string, unknown>, tensors: state.tensors.map((t) => ({ ...t, data: t.data.slice() })) };
}

describe('a progressive session', () => {
  it('trains at 8, then fades 16 and 32 in, with finite losses, and its grids are always the full size', async () => {
    const session = new TrainingSession({ config: growing(), data: mnist32() });
    const metrics = await run(session, 10);
    expectFinite(metrics);
    expect(metrics.map((m) => m['phase_size'])).toEqual([8, 8, 16, 16, 16, 16, 32, 32, 32, 32]);
    expect(metrics.map((m) => m['fade_alpha'])).toEqual([1, 1, 0, 0.5, 1, 1, 0, 0.5, 1, 1]);
    const grid = await session.sampleGrid();
    expect(grid.width).toBeGreaterThanOrEqual(2 * 32);
    session.dispose();
  });

  it('a phase trains only its own layers: at 8 × 8 the blocks of larger sides stay as they started', async () => {
    const session = new TrainingSession({ config: growing(), data: mnist32() });
    const before = trainableSnapshot(session);
    await run(session, 2);
    const still = unchanged(before, trainableSnapshot(session));
    // G at 8: project, then toImage@8; D at 8: fromImage@8 (in place of block 3, which reads 8 × 8 features), then the output.
    const waiting = ['g/block1/convT/kernel', 'g/block2/convT/kernel', 'g/toImage@16/kernel', 'g/toImage/kernel', 'd/block1/conv/kernel', 'd/block2/conv/kernel', 'd/block3/conv/kernel', 'd/fromImage@16/kernel'];
    for (const name of waiting) expect(still, name).toContain(name);
    for (const name of ['g/project/kernel', 'g/toImage@8/kernel', 'd/fromImage@8/kernel', 'd/output/kernel']) expect(still, name).not.toContain(name);
    await run(session, 2);
    // Fading 16 in: the new G block and output, and on D's side fromImage@16 and block 3, where the two paths meet.
    const fading = unchanged(before, trainableSnapshot(session));
    for (const name of ['g/block1/convT/kernel', 'g/toImage@16/kernel', 'd/fromImage@16/kernel', 'd/block3/conv/kernel']) expect(fading, name).not.toContain(name);
    for (const name of ['g/block2/convT/kernel', 'g/toImage/kernel', 'd/block1/conv/kernel', 'd/block2/conv/kernel']) expect(fading, name).toContain(name);
    session.dispose();
  });

  it('resumed from a checkpoint in the middle of a fade, it continues exactly as the uninterrupted run', async () => {
    const config = growing({ model: { minibatchStddev: true, equalizedLr: true, pixelNorm: true }, stabilizers: { ema: { enabled: true, halfLifeImages: 40 } } });
    const whole = new TrainingSession({ config, data: mnist32() });
    const wholeMetrics = await run(whole, 8);
    const first = new TrainingSession({ config, data: mnist32() });
    await run(first, 3);
    const state = throughDisk(await first.exportState());
    expect(state.meta['stage']).toEqual({ size: 16, alpha: 0.5 });
    first.dispose();
    const resumed = await TrainingSession.fromState({ config, data: mnist32() }, state);
    const rest = await run(resumed, 5);
    expect(rest).toEqual(wholeMetrics.slice(3));
    expect(trainableSnapshot(resumed)).toEqual(trainableSnapshot(whole));
    expect((await resumed.sampleGrid()).pixels).toEqual((await whole.sampleGrid()).pixels);
    whole.dispose();
    resumed.dispose();
  });

  it('per-phase batch sizes and learning rates apply in their phase, and the phase lengths count images at that batch', async () => {
    const config = growing({ progressive: { enabled: true, startSize: 8, phaseImages: 16, fadeImages: 16, phases: [{ size: 16, batchSize: 4, lrG: 1e-3, lrD: 5e-4 }] } });
    const session = new TrainingSession({ config, data: mnist32() });
    const metrics = await run(session, 12);
    // 8: 16 / 8 = 2 steps; 16 at batch 4: fade 4 steps, stable 4; then 32.
    expect(metrics.map((m) => m['phase_size'])).toEqual([8, 8, 16, 16, 16, 16, 16, 16, 16, 16, 32, 32]);
    expect(metrics.map((m) => m['lr_g'])).toEqual([2e-4, 2e-4, ...Array(8).fill(1e-3), 2e-4, 2e-4]);
    expect(metrics.map((m) => m['lr_d'])).toEqual([2e-4, 2e-4, ...Array(8).fill(5e-4), 2e-4, 2e-4]);
    session.dispose();
  });

  it('holds no tensor more across phase boundaries', async () => {
    // Plain SGD keeps no slots: Adam's would appear, rightly, as each new layer first learns.
    const sgd = { type: 'sgd', lr: 0.01 };
    const session = new TrainingSession({ config: growing({ model: { minibatchStddev: true }, optimizerG: sgd, optimizerD: sgd }), data: mnist32() });
    await run(session, 1);
    const tensors = tf.memory().numTensors;
    const ids = tf.engine().backend.numDataIds();
    await run(session, 8);
    await session.sampleGrid();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(ids);
    session.dispose();
  });

  it('refuses to export a generator that does not yet draw the full size, and exports it once it does', async () => {
    const session = new TrainingSession({ config: growing(), data: mnist32() });
    await run(session, 3);
    await expect(session.exportGenerator()).rejects.toThrow(/draws 16 × 16 while that side fades in \(α 0\.500\).*not the full 32 × 32/);
    await run(session, 5);
    const { artifacts } = await session.exportGenerator();
    expect(artifacts.modelTopology).toBeDefined();
    session.dispose();
  });
});

describe('the fade', () => {
  it('at α = 0 G draws the previous side upsampled; at α = 1 the new block alone; between, the blend', async () => {
    const session = new TrainingSession({ config: growing(), data: mnist32() });
    const g = session.generator;
    const z = tf.randomNormal([3, 8], 0, 1, 'float32', 5) as tf.Tensor2D;
    const at = (size: number, alpha: number) => {
      g.stage = { size, alpha };
      return g.apply(z, null, false);
    };
    const old = at(8, 1);
    const oldUp = tf.image.resizeNearestNeighbor(old, [16, 16]);
    const fresh = at(16, 1);
    expect(tf.max(tf.abs(tf.sub(at(16, 0), oldUp))).dataSync()[0]).toBe(0);
    const mid = at(16, 0.25);
    const blend = tf.add(tf.mul(oldUp, 0.75), tf.mul(fresh, 0.25));
    expect(tf.max(tf.abs(tf.sub(mid, blend))).dataSync()[0]).toBeLessThan(1e-6);
    tf.dispose([z, old, oldUp, fresh, mid, blend]);
    session.dispose();
  });

  it('at α = 0 D reads the image average-pooled through the previous side\'s input layer', async () => {
    const session = new TrainingSession({ config: growing(), data: mnist32() });
    const d = session.discriminator;
    const x = tf.randomUniform([3, 16, 16, 1], -1, 1, 'float32', 9) as tf.Tensor4D;
    d.stage = { size: 16, alpha: 0 };
    const faded = d.apply(x, null, false).logits;
    d.stage = { size: 8, alpha: 1 };
    const pooled = tf.avgPool(x, 2, 2, 'valid');
    const small = d.apply(pooled, null, false).logits;
    expect(tf.max(tf.abs(tf.sub(faded, small))).dataSync()[0]).toBeLessThan(1e-6);
    d.stage = { size: 16, alpha: 1 };
    const grown = d.apply(x, null, false).logits;
    expect(tf.max(tf.abs(tf.sub(grown, small))).dataSync()[0]).toBeGreaterThan(1e-4);
    tf.dispose([x, faded, pooled, small, grown]);
    session.dispose();
  });

  it('reals are pooled to the stage side and blended with the side below as G is', () => {
    // One 4 × 4 image: pooling by 2 gives the block means; at α the 2 × 2 means blend with their own 1 × 1 mean upsampled.
    const x = tf.tensor4d([1, 3, 5, 7, 1, 3, 5, 7, 9, 11, 13, 15, 9, 11, 13, 15], [1, 4, 4, 1]);
    expect(Array.from(realsAtStage(x, { size: 2, alpha: 1 }).dataSync())).toEqual([2, 6, 10, 14]);
    // mean 8; 0.25 · [2, 6, 10, 14] + 0.75 · 8
    expect(Array.from(realsAtStage(x, { size: 2, alpha: 0.25 }).dataSync())).toEqual([6.5, 7.5, 8.5, 9.5]);
    expect(realsAtStage(x, { size: 4, alpha: 1 })).toBe(x);
    x.dispose();
  });
});

describe('the schedule', () => {
  it('counts phases in images at each phase’s batch size, and the EMA forgets by the images of each step', async () => {
    const { progressivePhases, imagesBefore, phaseMarks, sizeAtStep } = await import('../../../../src-main/common/progressive');
    const config = growing({ progressive: { enabled: true, startSize: 8, phaseImages: 16, fadeImages: 16, phases: [{ size: 16, batchSize: 4 }] } });
    const phases = progressivePhases(config, 32)!;
    expect(phases.map((p) => [p.size, p.startStep, p.fadeSteps, p.stableSteps, p.batchSize])).toEqual([
      [8, 0, 0, 2, 8],
      [16, 2, 4, 4, 4],
      [32, 10, 2, Number.POSITIVE_INFINITY, 8],
    ]);
    expect([0, 1, 2, 3, 10, 11, 12].map((s) => imagesBefore(phases, s))).toEqual([0, 8, 16, 20, 48, 56, 64]);
    expect(phaseMarks(config, 32)).toEqual([
      { step: 2, size: 16, kind: 'fade-start' },
      { step: 6, size: 16, kind: 'fade-end' },
      { step: 10, size: 32, kind: 'fade-start' },
      { step: 12, size: 32, kind: 'fade-end' },
    ]);
    expect([0, 2, 9, 10].map((s) => sizeAtStep(config, 32, s))).toEqual([8, 16, 16, 32]);
    expect(sizeAtStep(tinyConfig({}), 28, 5)).toBe(28);
  });
});
