/** The step's metric collector (means over critic steps, catalogue order, tensors freed) and the random streams (one per draw, exact draw counts, checked restore). */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../../src-main/common/rng';
import { StepMetrics } from '../../../../src-main/engine/session/metrics';
import { createStreams, parseStreamSnapshots, restoreStreams, snapshotStreams, STREAM_IDS, uniformLabels, uniforms } from '../../../../src-main/engine/session/streams';

describe('StepMetrics', () => {
  it('reports the mean of a key added once per critic step, tensors and numbers alike, in catalogue order', async () => {
    const m = new StepMetrics();
    m.addNumber('lr_d', 1e-3);
    m.add('g_loss', tf.scalar(0.5));
    m.add('d_loss', tf.scalar(1));
    m.add('d_loss', tf.scalar(4));
    m.addNumber('d_grad_norm', 2);
    m.addNumber('d_grad_norm', 5);
    m.addNumber('lr_d', 3e-3);
    const values = await m.read();
    expect(values).toEqual({ d_loss: 2.5, g_loss: 0.5, d_grad_norm: 3.5, lr_d: 2e-3 });
    expect(Object.keys(values)).toEqual(['d_loss', 'g_loss', 'd_grad_norm', 'lr_d']);
  });

  it('keeps a NaN of any critic step, reads plain numbers alone, and frees every tensor it kept', async () => {
    const before = tf.memory().numTensors;
    const m = new StepMetrics();
    tf.tidy(() => {
      m.add('d_loss', tf.scalar(1));
      m.add('d_loss', tf.scalar(Number.NaN));
    });
    expect(tf.memory().numTensors).toBe(before + 2);
    expect((await m.read())['d_loss']).toBeNaN();
    expect(tf.memory().numTensors).toBe(before);

    const numbers = new StepMetrics();
    numbers.addNumber('aug_p', 0.25);
    expect(await numbers.read()).toEqual({ aug_p: 0.25 });

    const dropped = new StepMetrics();
    dropped.add('g_loss', tf.scalar(1));
    dropped.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(await dropped.read()).toEqual({});
  });
});

describe('the random streams', () => {
  it('each draw kind has its own stream of the seed, by its fixed number', () => {
    const streams = createStreams(11);
    for (const [name, id] of Object.entries(STREAM_IDS)) {
      expect(streams[name as keyof typeof STREAM_IDS].nextFloat(), name).toBe(new Rng(11, id).nextFloat());
    }
  });

  it('uniforms and uniformLabels take exactly n draws', () => {
    const a = new Rng(5, 1);
    const b = new Rng(5, 1);
    const u = uniforms(a, 3);
    expect(Array.from(u)).toEqual([b.nextFloat(), b.nextFloat(), b.nextFloat()].map(Math.fround));
    expect(a.nextFloat()).toBe(b.nextFloat());
    const labels = uniformLabels(a, 4, 10);
    expect(Array.from(labels)).toEqual([b.nextInt(10), b.nextInt(10), b.nextInt(10), b.nextInt(10)]);
    expect(a.nextFloat()).toBe(b.nextFloat());
  });

  it('restores every stream from a snapshot, and refuses a missing or malformed one before setting any', () => {
    const streams = createStreams(2);
    const saved = JSON.parse(JSON.stringify(snapshotStreams(streams))) as unknown;
    const drawn = [streams.noise.nextFloat(), streams.smoothing.nextFloat()];
    restoreStreams(streams, parseStreamSnapshots(saved));
    expect([streams.noise.nextFloat(), streams.smoothing.nextFloat()]).toEqual(drawn);

    for (const bad of [null, undefined, 7, 'rng']) expect(() => parseStreamSnapshots(bad)).toThrow('checkpoint has no RNG states');
    const noSmoothing = { ...(saved as Record<string, unknown>), smoothing: { seed: 1 } };
    expect(() => parseStreamSnapshots(noSmoothing)).toThrow('checkpoint RNG state "smoothing" is missing or malformed');
  });
});
