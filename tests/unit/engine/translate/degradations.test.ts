/** degrade for each kind: the inpainting input (masked image + mask channel), super-resolution's bicubic round trip, colorization's luma, channel counts and their errors, reproducibility and leaks. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { Rng } from '../../../../src-main/common/rng';
import { degrade, degradedChannels, downscale, drawMasks, maskOfInput, upscaleBicubic, type Degradation } from '../../../../src-main/engine/translate/degradations';

beforeAll(async () => {
  await resolveBackend('wasm');
});

/** A batch of seeded values uniform in [-1, 1). */
function randomBatch(shape: [number, number, number, number], seed = 1): tf.Tensor4D {
  const rng = new Rng(seed, 9);
  return tf.tensor4d(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => 2 * rng.nextFloat() - 1), shape);
}

const ALL: Degradation[] = [
  { kind: 'inpaint', mask: 'rect' },
  { kind: 'inpaint', mask: 'strokes' },
  { kind: 'superres', scale: 2, filter: 'area' },
  { kind: 'superres', scale: 4, filter: 'bilinear' },
  { kind: 'superres', scale: 4, filter: 'bicubic' },
  { kind: 'colorize' },
];

describe('degradedChannels', () => {
  it('inpaint C + 1, superres C, colorize 1', () => {
    expect(degradedChannels({ kind: 'inpaint', mask: 'rect' }, 3, 32)).toBe(4);
    expect(degradedChannels({ kind: 'inpaint', mask: 'strokes' }, 1, 28)).toBe(2);
    expect(degradedChannels({ kind: 'superres', scale: 2, filter: 'bicubic' }, 3, 32)).toBe(3);
    expect(degradedChannels({ kind: 'superres', scale: 4, filter: 'area' }, 1, 16)).toBe(1);
    expect(degradedChannels({ kind: 'colorize' }, 3, 64)).toBe(1);
  });

  it('refuses colorization of greyscale data and super-resolution the size cannot carry, with messages a user can act on', () => {
    expect(() => degradedChannels({ kind: 'colorize' }, 1, 28)).toThrow('colorization needs colour images; this dataset is greyscale');
    expect(() => degradedChannels({ kind: 'superres', scale: 4, filter: 'bicubic' }, 1, 30)).toThrow(/divisible by 4.*30×30/);
    expect(() => degradedChannels({ kind: 'superres', scale: 4, filter: 'bicubic' }, 3, 12)).toThrow(/under 4×4/);
    expect(() => degradedChannels({ kind: 'superres', scale: 2, filter: 'area' }, 3, 6)).toThrow(/under 4×4/);
    // degrade checks the same before drawing anything.
    const grey = randomBatch([1, 8, 8, 1]);
    expect(() => degrade({ kind: 'colorize' }, grey, new Rng(1))).toThrow('colorization needs colour images; this dataset is greyscale');
    grey.dispose();
  });

  it('matches the channels degrade produces for every kind', () => {
    const target = randomBatch([2, 16, 16, 3]);
    for (const d of ALL) {
      const input = degrade(d, target, new Rng(1));
      expect(input.shape).toEqual([2, 16, 16, degradedChannels(d, 3, 16)]);
      input.dispose();
    }
    target.dispose();
  });
});

describe('degrade: inpaint', () => {
  for (const mask of ['rect', 'strokes'] as const) {
    it(`${mask}: zeroes exactly the masked pixels, keeps the rest, and carries the mask as the last channel in [-1, 1]`, () => {
      const [n, size, c] = [3, 32, 3];
      const target = randomBatch([n, size, size, c], 2);
      const input = degrade({ kind: 'inpaint', mask }, target, new Rng(5, 2));
      // Drawn from the given stream and nothing else: the masks drawMasks makes from the same state.
      const expected = drawMasks(mask, n, size, new Rng(5, 2));
      const [t, v, m] = [target.dataSync(), input.dataSync(), maskOfInput(input)];
      const recovered = m.dataSync();
      expect(m.shape).toEqual([n, size, size, 1]);
      for (let p = 0; p < n * size * size; p++) {
        const hole = expected[p] === 1;
        // `+ 0` folds -0 (from 0·negative) into 0.
        expect((recovered[p] ?? NaN) + 0).toBe(expected[p]);
        expect(v[p * (c + 1) + c]).toBe(hole ? 1 : -1);
        for (let k = 0; k < c; k++) expect((v[p * (c + 1) + k] ?? NaN) + 0).toBe(hole ? 0 : t[p * c + k]);
      }
      tf.dispose([target, input, m]);
    });
  }

  it('is reproducible from the rng, differs for another seed, and advances the stream so batches differ', () => {
    const target = randomBatch([2, 16, 16, 1]);
    const d: Degradation = { kind: 'inpaint', mask: 'strokes' };
    const rng = new Rng(9, 3);
    const [a, b] = [degrade(d, target, rng), degrade(d, target, rng)];
    const again = degrade(d, target, new Rng(9, 3));
    const other = degrade(d, target, new Rng(10, 3));
    expect(again.dataSync()).toEqual(a.dataSync());
    expect(other.dataSync()).not.toEqual(a.dataSync());
    expect(b.dataSync()).not.toEqual(a.dataSync());
    tf.dispose([target, a, b, again, other]);
  });
});

describe('degrade: superres', () => {
  it('is the bicubic upscale of the filtered downscale, at the target size, and draws nothing from the rng', () => {
    const target = randomBatch([2, 16, 16, 3], 3);
    for (const filter of ['area', 'bilinear', 'bicubic'] as const) {
      const rng = new Rng(4);
      const before = rng.getState();
      const input = degrade({ kind: 'superres', scale: 4, filter }, target, rng);
      expect(rng.getState()).toEqual(before);
      const expected = tf.tidy(() => upscaleBicubic(downscale(target, 4, filter), 4));
      expect(input.shape).toEqual(target.shape);
      expect(Array.from(input.dataSync())).toEqual(Array.from(expected.dataSync()));
      // It has lost detail: far from the target, but a smooth version of it.
      const err = tf.tidy(() => tf.mean(tf.abs(tf.sub(input, target))).dataSync()[0] ?? 0);
      expect(err).toBeGreaterThan(0.2);
      tf.dispose([input, expected]);
    }
    target.dispose();
  });

  it('leaves smooth content nearly untouched: a horizontal ramp survives ×2 within 1%', () => {
    const size = 16;
    const ramp = tf.tidy(() => tf.tile(tf.reshape(tf.linspace(-0.9, 0.9, size), [1, 1, size, 1]), [1, size, 1, 3]) as tf.Tensor4D);
    const input = degrade({ kind: 'superres', scale: 2, filter: 'bicubic' }, ramp, new Rng(1));
    // Away from the edges, where replication bends the ramp.
    const inner = tf.tidy(() => tf.max(tf.abs(tf.sub(tf.slice(input, [0, 0, 3, 0], [1, size, size - 6, 3]), tf.slice(ramp, [0, 0, 3, 0], [1, size, size - 6, 3])))).dataSync()[0] ?? 1);
    expect(inner).toBeLessThan(0.01);
    tf.dispose([ramp, input]);
  });
});

describe('degrade: colorize', () => {
  it('gives the BT.601 luma 0.299 R + 0.587 G + 0.114 B as one channel', () => {
    const pixel = tf.tensor4d([0.5, -0.2, 1], [1, 1, 1, 3]);
    const input = degrade({ kind: 'colorize' }, pixel, new Rng(1));
    expect(input.shape).toEqual([1, 1, 1, 1]);
    expect(input.dataSync()[0]).toBeCloseTo(0.299 * 0.5 + 0.587 * -0.2 + 0.114 * 1, 6); // 0.1461
    const white = tf.ones([1, 1, 1, 3]) as tf.Tensor4D;
    const lum = degrade({ kind: 'colorize' }, white, new Rng(1));
    expect(lum.dataSync()[0]).toBeCloseTo(1, 6); // weights sum to 1: the range stays [-1, 1]
    tf.dispose([pixel, input, white, lum]);
  });
});

describe('degrade: memory', () => {
  it('returns a new tensor, leaves the target alive, and leaks nothing over repeated calls of every kind', () => {
    const target = randomBatch([2, 16, 16, 3]);
    const rng = new Rng(2);
    for (const d of ALL) degrade(d, target, rng).dispose(); // warm up any cached kernels
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      for (const d of ALL) {
        const input = degrade(d, target, rng);
        expect(input).not.toBe(target);
        if (d.kind === 'inpaint') maskOfInput(input).dispose();
        input.dispose();
      }
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(target.isDisposed).toBe(false);
    target.dispose();
  });
});
