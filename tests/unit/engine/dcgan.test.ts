/** Generator and Discriminator shapes, output range and seeded initialization. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../../../src-main/engine/backend';
import { buildDiscriminator, buildGenerator, planDcgan } from '../../../src-main/engine/dcgan';

beforeAll(async () => {
  await resolveBackend('wasm');
});

describe('planDcgan', () => {
  it('starts each size at a side from 3 to 8', () => {
    expect(planDcgan(16)).toEqual({ startSide: 4, upsamplings: 2 });
    expect(planDcgan(28)).toEqual({ startSide: 7, upsamplings: 2 });
    expect(planDcgan(32)).toEqual({ startSide: 4, upsamplings: 3 });
    expect(planDcgan(64)).toEqual({ startSide: 4, upsamplings: 4 });
    expect(planDcgan(128)).toEqual({ startSide: 4, upsamplings: 5 });
    expect(planDcgan(24)).toEqual({ startSide: 3, upsamplings: 3 });
  });

  it('rejects sizes that never halve into 3..8', () => {
    expect(() => planDcgan(30)).toThrow(/not supported/);
    expect(() => planDcgan(5)).toThrow(/not supported/);
  });
});

describe('buildGenerator / buildDiscriminator', () => {
  for (const size of [16, 28, 32, 64]) {
    for (const channels of [1, 3] as const) {
      it(`size ${size}, ${channels} channel(s): G gives [N,${size},${size},${channels}] in [-1,1], D gives [N,1]`, () => {
        const opts = { size, channels, latentSize: 8, width: 4, seed: 1 };
        const generator = buildGenerator(opts);
        const discriminator = buildDiscriminator(opts);
        tf.tidy(() => {
          const images = generator.apply(tf.randomNormal([3, 8], 0, 1, 'float32', 2), { training: true }) as tf.Tensor;
          expect(images.shape).toEqual([3, size, size, channels]);
          const values = images.dataSync();
          expect(values.every((v) => v >= -1 && v <= 1)).toBe(true);
          // tanh of a batch-normed layer is not constant.
          expect(tf.moments(images).variance.dataSync()[0]).toBeGreaterThan(0);
          const logits = discriminator.apply(images, { training: true }) as tf.Tensor;
          expect(logits.shape).toEqual([3, 1]);
          expect(Array.from(logits.dataSync()).every(Number.isFinite)).toBe(true);
        });
        generator.dispose();
        discriminator.dispose();
      });
    }
  }

  it('the same seed gives the same weights, another seed different ones', () => {
    const opts = { size: 28, channels: 1 as const, latentSize: 8, width: 4, seed: 11 };
    const weights = (seed: number): Float32Array[] => {
      const g = buildGenerator({ ...opts, seed });
      const d = buildDiscriminator({ ...opts, seed });
      const out = [...g.getWeights(), ...d.getWeights()].map((w) => Float32Array.from(w.dataSync()));
      g.dispose();
      d.dispose();
      return out;
    };
    const a = weights(11);
    const b = weights(11);
    const c = weights(12);
    expect(b).toEqual(a);
    expect(c[0]).not.toEqual(a[0]);
    // Each layer has its own seed: with a shared one, two gammas would start with the same values.
    const g = buildGenerator(opts);
    const gammas = g.weights.filter((w) => w.originalName.endsWith('/gamma')).map((w) => Array.from(w.read().dataSync()).slice(0, 4));
    expect(gammas.length).toBe(2);
    expect(gammas[0]).not.toEqual(gammas[1]);
    g.dispose();
  });

  it('uses DCGAN initialization: conv kernels ~ N(0, 0.02), batch-norm gamma ~ N(1, 0.02)', () => {
    const g = buildGenerator({ size: 32, channels: 3, latentSize: 16, width: 8, seed: 3 });
    for (const w of g.weights) {
      const m = tf.tidy(() => tf.moments(w.read()));
      const mean = m.mean.dataSync()[0] ?? Number.NaN;
      const std = Math.sqrt(m.variance.dataSync()[0] ?? Number.NaN);
      tf.dispose([m.mean, m.variance]);
      if (w.originalName.endsWith('/kernel') && tf.util.sizeFromShape(w.shape as number[]) > 500) {
        expect(Math.abs(mean)).toBeLessThan(0.005);
        expect(std).toBeGreaterThan(0.015);
        expect(std).toBeLessThan(0.025);
      }
      if (w.originalName.endsWith('/gamma')) expect(Math.abs(mean - 1)).toBeLessThan(0.02);
    }
    g.dispose();
  });
});
