/** The fixed-kernel resizes against sharp (libvips) on random uint8 images, grey and RGB: bicubic and bilinear down, bicubic up, exact area means, gradients, leaks. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { Rng } from '../../../../src-main/common/rng';
import { downscale, upscaleBicubic } from '../../../../src-main/engine/translate/resize';

type Channels = 1 | 3;
type SharpImage = ReturnType<typeof sharp>;

beforeAll(async () => {
  await resolveBackend('wasm');
});

/**
 * sharp is compared at two depths. 8 bits is how images arrive, but libvips computes uchar in 12-bit
 * fixed point and rounds and clips to uchar after every pass, so it only bounds us to a level or two.
 * At 16 bits, with each level 128 units in the middle of the range (so a cubic overshoot between the
 * vertical and horizontal passes is never clipped), its rounding is ~1/128 of a level, which pins the
 * kernels, offsets and edges.
 */
const LEVEL16 = 128;
const BASE16 = 16384;
type Depth = 8 | 16;
type Pixels = Uint8Array | Uint16Array;

/** A seeded image of uniform random grey levels, HWC, at 8 bits or spread over 16. */
function randomImage(size: number, channels: Channels, seed: number, depth: Depth = 8): Pixels {
  const rng = new Rng(seed, 3);
  const levels = Array.from({ length: size * size * channels }, () => rng.nextInt(256));
  return depth === 8 ? Uint8Array.from(levels) : Uint16Array.from(levels, (v) => BASE16 + v * LEVEL16);
}

function load(image: Pixels, size: number, channels: Channels): SharpImage {
  return sharp(image, { raw: { width: size, height: size, channels } });
}

/** Raw pixels out at the input's depth (sharp would write grey as 8-bit sRGB otherwise). */
async function rawOut(image: SharpImage, channels: Channels, depth: Depth): Promise<Pixels> {
  if (depth === 16) {
    const { data, info } = await image.toColourspace(channels === 1 ? 'grey16' : 'rgb16').raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(channels);
    return new Uint16Array(data.buffer, data.byteOffset, data.length / 2).slice();
  }
  const { data, info } = await (channels === 1 ? image.extractChannel(0) : image).raw().toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(channels);
  return new Uint8Array(data);
}

async function sharpResize(image: Pixels, size: number, channels: Channels, out: number, kernel: 'cubic' | 'linear'): Promise<Pixels> {
  const depth: Depth = image instanceof Uint16Array ? 16 : 8;
  return rawOut(load(image, size, channels).resize(out, out, { kernel, fit: 'fill' }), channels, depth);
}

/**
 * libvips' bicubic enlargement with centre sampling, X = s·(x + idx) with idx = (1 − 1/s)/2, as
 * libvips ≥ 8.19 resizes up. sharp 0.35 bundles libvips 8.18, whose resize() passes idx = 0.5 for
 * every scale (fixed by libvips commit 4a24c7c, discussion #4843), shifting the result by half an
 * output pixel; so the reference is sharp's affine() with the interpolator resize() uses and the
 * corrected offset. affine() fills outside the image with black where resize() copies the edge, so
 * the image is first extended by copying its edge (2 px covers the 4-tap window) and the margin cropped after.
 */
async function sharpEnlarge(image: Pixels, size: number, channels: Channels, scale: number, idx = (1 - 1 / scale) / 2): Promise<Pixels> {
  const depth: Depth = image instanceof Uint16Array ? 16 : 8;
  const pad = 2;
  const wide = size + 2 * pad;
  const extended = await rawOut(load(image, size, channels).extend({ top: pad, bottom: pad, left: pad, right: pad, extendWith: 'copy' }), channels, depth);
  const enlarged = await rawOut(
    load(extended, wide, channels).affine([scale, 0, 0, scale], { idx, idy: idx, interpolator: sharp.interpolators.bicubic }),
    channels,
    depth,
  );
  const out = size * scale;
  const crop = depth === 8 ? new Uint8Array(out * out * channels) : new Uint16Array(out * out * channels);
  for (let y = 0; y < out; y++) {
    const from = ((y + pad * scale) * wide * scale + pad * scale) * channels;
    crop.set(enlarged.subarray(from, from + out * channels), y * out * channels);
  }
  return crop;
}

/** Our resize of the same pixels (the filters are linear, so any range works), clamped as libvips stores integers and rounded at 8 bits. */
function ours(image: Pixels, size: number, channels: Channels, fn: (x: tf.Tensor4D) => tf.Tensor4D): Float32Array {
  const top = image instanceof Uint16Array ? 65535 : 255;
  const out = tf.tidy(() => fn(tf.tensor4d(Float32Array.from(image), [1, size, size, channels])));
  const values = out.dataSync();
  out.dispose();
  return Float32Array.from(values, (v) => {
    const clamped = Math.min(top, Math.max(0, v));
    return top === 255 ? Math.round(clamped) : clamped;
  });
}

/** Mean and largest absolute difference, in 8-bit grey levels. */
function levels(a: ArrayLike<number>, b: Pixels): { mean: number; max: number } {
  expect(a.length).toBe(b.length);
  const unit = b instanceof Uint16Array ? LEVEL16 : 1;
  let sum = 0;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] ?? 0) - (b[i] ?? 0)) / unit;
    sum += d;
    max = Math.max(max, d);
  }
  return { mean: sum / a.length, max };
}

const CHANNELS: Channels[] = [1, 3];

describe('downscale against sharp', () => {
  /*
   * Measured on 32×32 random images, every pixel including the borders. 16 bits: max ≤ 0.011 level
   * (mean ≤ 0.005). 8 bits: ×2 max 1 level, mean ≈ 0.15; ×4 max 2, mean ≈ 0.5 (bicubic) and 0.6–0.67
   * (bilinear), and signed: sharp is ≈ 0.5 level brighter. At 16 bits the same ops agree, so that is
   * uchar rounding: libvips' reducing gap takes the 2×2 block means first, in two 2-pixel passes that
   * each round x.5 up (+0.25 each), while this module stays in float.
   */
  const CASES = [
    { scale: 2, kernel: 'cubic', filter: 'bicubic', max8: 1, mean8: 0.25 },
    { scale: 4, kernel: 'cubic', filter: 'bicubic', max8: 2, mean8: 0.7 },
    { scale: 2, kernel: 'linear', filter: 'bilinear', max8: 1, mean8: 0.25 },
    { scale: 4, kernel: 'linear', filter: 'bilinear', max8: 2, mean8: 0.75 },
  ] as const;
  for (const { scale, kernel, filter, max8, mean8 } of CASES) {
    for (const channels of CHANNELS) {
      it(`${filter} ×${scale}, ${channels} channel(s): sharp's '${kernel}' to 0.02 level at 16 bits, ${max8} at 8 bits`, async () => {
        const size = 32;
        for (const seed of [1, 2]) {
          const deep = randomImage(size, channels, seed, 16);
          const diff16 = levels(ours(deep, size, channels, (x) => downscale(x, scale, filter)), await sharpResize(deep, size, channels, size / scale, kernel));
          expect(diff16.max).toBeLessThan(0.02);
          const image = randomImage(size, channels, seed);
          const diff8 = levels(ours(image, size, channels, (x) => downscale(x, scale, filter)), await sharpResize(image, size, channels, size / scale, kernel));
          expect(diff8.max).toBeLessThanOrEqual(max8);
          expect(diff8.mean).toBeLessThan(mean8);
        }
      });
    }
  }

  it('bicubic is not bilinear, nor a plain block mean: each is many grey levels from sharp cubic', async () => {
    const size = 32;
    const image = randomImage(size, 1, 5);
    for (const scale of [2, 4]) {
      const cubic = await sharpResize(image, size, 1, size / scale, 'cubic');
      expect(levels(ours(image, size, 1, (x) => downscale(x, scale, 'bicubic')), cubic).max).toBeLessThanOrEqual(1);
      expect(levels(ours(image, size, 1, (x) => downscale(x, scale, 'bilinear')), cubic).mean).toBeGreaterThan(2);
      expect(levels(ours(image, size, 1, (x) => downscale(x, scale, 'area')), cubic).mean).toBeGreaterThan(2);
      // tfjs' own resize (no antialiasing) is the tempting shortcut.
      expect(levels(ours(image, size, 1, (x) => tf.image.resizeBilinear(x, [size / scale, size / scale], false, true)), cubic).mean).toBeGreaterThan(5);
    }
  });

  it("'area' is exactly the mean of each scale×scale block", () => {
    const size = 8;
    const image = randomImage(size, 3, 9);
    for (const scale of [2, 4]) {
      const out = tf.tidy(() => downscale(tf.tensor4d(Float32Array.from(image), [1, size, size, 3]), scale, 'area'));
      expect(out.shape).toEqual([1, size / scale, size / scale, 3]);
      const values = out.dataSync();
      out.dispose();
      const low = size / scale;
      for (let y = 0; y < low; y++) {
        for (let x = 0; x < low; x++) {
          for (let c = 0; c < 3; c++) {
            let sum = 0;
            for (let dy = 0; dy < scale; dy++) for (let dx = 0; dx < scale; dx++) sum += image[((y * scale + dy) * size + x * scale + dx) * 3 + c] ?? 0;
            expect(values[(y * low + x) * 3 + c]).toBeCloseTo(sum / scale ** 2, 4);
          }
        }
      }
    }
  });

  it('keeps a constant image constant (the kernels are normalised, edges replicated) and refuses a size the scale does not divide', () => {
    for (const filter of ['area', 'bilinear', 'bicubic'] as const) {
      const out = tf.tidy(() => downscale(tf.fill([2, 16, 16, 3], 0.3) as tf.Tensor4D, 4, filter));
      for (const v of out.dataSync()) expect(v).toBeCloseTo(0.3, 5);
      out.dispose();
    }
    expect(() => downscale(tf.zeros([1, 10, 10, 1]), 4, 'bicubic')).toThrow(/divisible/);
  });
});

describe('upscaleBicubic against sharp', () => {
  /* Measured on 16×16 random images, every pixel including the borders: 16 bits max 0.008 level; 8 bits max 1, mean ≈ 0.22. */
  for (const scale of [2, 4]) {
    for (const channels of CHANNELS) {
      it(`×${scale}, ${channels} channel(s): libvips' bicubic to 0.02 level at 16 bits, 1 level at 8 bits`, async () => {
        const size = 16;
        for (const seed of [3, 4]) {
          const deep = randomImage(size, channels, seed, 16);
          expect(levels(ours(deep, size, channels, (x) => upscaleBicubic(x, scale)), await sharpEnlarge(deep, size, channels, scale)).max).toBeLessThan(0.02);
          const image = randomImage(size, channels, seed);
          const diff = levels(ours(image, size, channels, (x) => upscaleBicubic(x, scale)), await sharpEnlarge(image, size, channels, scale));
          expect(diff.max).toBeLessThanOrEqual(1);
          expect(diff.mean).toBeLessThan(0.3);
        }
      });
    }
  }

  it("matches sharp's resize() but for libvips 8.18's half-pixel offset, and is not bilinear", async () => {
    const size = 16;
    const image = randomImage(size, 1, 6);
    const resized = await sharpResize(image, size, 1, size * 2, 'cubic');
    // If this fails, sharp now bundles a libvips that centre-samples; compare against resize() directly.
    expect(levels(resized, await sharpEnlarge(image, size, 1, 2, 0.5)).max).toBe(0);
    const ref = await sharpEnlarge(image, size, 1, 2);
    expect(levels(ours(image, size, 1, (x) => tf.image.resizeBilinear(x, [size * 2, size * 2], false, true)), ref).mean).toBeGreaterThan(2);
  });
});

describe('resizes in a graph', () => {
  it('are differentiable on wasm (finite gradients that add up as a normalised linear map implies) and leak no tensors', () => {
    const x = tf.randomUniform([2, 16, 16, 3], -1, 1) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    for (const filter of ['area', 'bilinear', 'bicubic'] as const) {
      const grad = tf.grad((t) => tf.sum(upscaleBicubic(downscale(t as tf.Tensor4D, 4, filter), 4)))(x);
      const values = Array.from(grad.dataSync());
      expect(values.every(Number.isFinite)).toBe(true);
      // Every output is a weighted sum with weights adding to 1, so the gradients add up to the output count.
      expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(2 * 16 * 16 * 3, 0);
      grad.dispose();
      downscale(x, 2, filter).dispose();
      upscaleBicubic(x, 2).dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
