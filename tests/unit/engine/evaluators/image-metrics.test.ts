/** L1, PSNR and SSIM of translated images against their targets, checked against values worked by hand and a direct loop-based SSIM. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src-main/common/rng';
import { l1Error, psnr, PSNR_CAP_DB, ssim, type ImageBatch, type PixelRange } from '../../../../src-main/engine/evaluators/image-metrics';

function batch(values: ArrayLike<number>, n: number, size: number, channels: number, range: PixelRange = 'unit'): ImageBatch {
  return { data: range === 'uint8' && !(values instanceof Float32Array) ? Uint8Array.from(values) : Float32Array.from(values), n, size, channels, range };
}

const C1 = 0.01 ** 2;
const C2 = 0.03 ** 2;

/**
 * SSIM the long way: for each valid window position, Gaussian-weighted means, variances and covariance
 * from centred sums with a 2-D weight normalised over the window. No separable filtering, no E[x²] − μ².
 */
function directSsim(a: ImageBatch, b: ImageBatch): number {
  const { n, size, channels } = a;
  const unit = (v: number, r: PixelRange): number => (r === 'unit' ? v : r === 'signed' ? (v + 1) / 2 : v / 255);
  const win = Math.min(11, size);
  const centre = (win - 1) / 2;
  const w: number[][] = [];
  let wsum = 0;
  for (let i = 0; i < win; i++) {
    w.push([]);
    for (let j = 0; j < win; j++) {
      const v = Math.exp(-((i - centre) ** 2 + (j - centre) ** 2) / (2 * 1.5 * 1.5));
      w[i]!.push(v);
      wsum += v;
    }
  }
  const at = (img: ImageBatch, k: number, r: number, c: number, ch: number): number => unit(img.data[((k * size + r) * size + c) * channels + ch]!, img.range);
  let total = 0;
  for (let k = 0; k < n; k++) {
    for (let ch = 0; ch < channels; ch++) {
      let mapSum = 0;
      let windows = 0;
      for (let r0 = 0; r0 + win <= size; r0++) {
        for (let c0 = 0; c0 + win <= size; c0++) {
          let mx = 0;
          let my = 0;
          for (let i = 0; i < win; i++) {
            for (let j = 0; j < win; j++) {
              mx += (w[i]![j]! / wsum) * at(a, k, r0 + i, c0 + j, ch);
              my += (w[i]![j]! / wsum) * at(b, k, r0 + i, c0 + j, ch);
            }
          }
          let vx = 0;
          let vy = 0;
          let cxy = 0;
          for (let i = 0; i < win; i++) {
            for (let j = 0; j < win; j++) {
              const dx = at(a, k, r0 + i, c0 + j, ch) - mx;
              const dy = at(b, k, r0 + i, c0 + j, ch) - my;
              const wt = w[i]![j]! / wsum;
              vx += wt * dx * dx;
              vy += wt * dy * dy;
              cxy += wt * dx * dy;
            }
          }
          mapSum += ((2 * mx * my + C1) * (2 * cxy + C2)) / ((mx * mx + my * my + C1) * (vx + vy + C2));
          windows++;
        }
      }
      total += mapSum / windows;
    }
  }
  return total / (n * channels);
}

function uniformImage(rng: Rng, n: number, size: number, channels: number): Float32Array {
  return Float32Array.from({ length: n * size * size * channels }, () => rng.nextFloat());
}

describe('l1Error', () => {
  it('is the mean absolute difference in [0, 1] units', () => {
    // |0 − 0.5| + |0.5 − 0.5| + |1 − 0| + |0.25 − 1| = 2.25 over 4 values.
    expect(l1Error(batch([0, 0.5, 1, 0.25], 1, 2, 1), batch([0.5, 0.5, 0, 1], 1, 2, 1))).toBe(0.5625);
  });

  it('with a mask counts only the selected pixels, all their channels, pooled over images', () => {
    // Two 1×1 images of 2 channels: differences (1, 0.5) in the first, (0, 1) in the second.
    const a = batch([0, 0, 1, 1], 2, 1, 2);
    const b = batch([1, 0.5, 1, 0], 2, 1, 2);
    expect(l1Error(a, b)).toBe(0.625);
    expect(l1Error(a, b, Float32Array.from([1, 0]))).toBe(0.75);
    expect(l1Error(a, b, Float32Array.from([0, 1]))).toBe(0.5);
    expect(l1Error(a, b, Float32Array.from([1, 1]))).toBe(0.625);
    // A 2×2 image with two of four pixels selected: (0.5 + 1) / 2.
    expect(l1Error(batch([0, 0.5, 1, 0.25], 1, 2, 1), batch([0.5, 0.5, 0, 1], 1, 2, 1), Float32Array.from([1, 0, 1, 0]))).toBe(0.75);
  });

  it('is NaN when the mask selects nothing', () => {
    expect(l1Error(batch([0, 1], 2, 1, 1), batch([1, 0], 2, 1, 1), Float32Array.from([0, 0]))).toBeNaN();
  });

  it('brings each batch from its own range to [0, 1] before comparing', () => {
    // signed −1, 1, 0 are unit 0, 1, 0.5.
    expect(l1Error(batch([-1, 1, 0], 1, 1, 3, 'signed'), batch([0, 1, 0.5], 1, 1, 3))).toBe(0);
    // A full-scale signed difference is 1 in unit terms, not 2.
    expect(l1Error(batch([-1], 1, 1, 1, 'signed'), batch([1], 1, 1, 1, 'signed'))).toBe(1);
    expect(l1Error(batch([-0.5, 0.5], 1, 1, 2, 'signed'), batch([0, 0], 1, 1, 2, 'signed'))).toBe(0.25);
    // uint8 0, 255, 51 are 0, 1, 0.2: (0 + 1 + 0.2) / 3 = 0.4.
    expect(l1Error(batch([0, 255, 51], 1, 1, 3, 'uint8'), batch([0, 0, 0], 1, 1, 3))).toBeCloseTo(0.4, 15);
    // signed 0 is 0.5, uint8 255 is 1.
    expect(l1Error(batch([0], 1, 1, 1, 'signed'), batch([255], 1, 1, 1, 'uint8'))).toBe(0.5);
    // 0–255 values in a Float32Array are fine too.
    expect(l1Error(batch(Float32Array.from([255]), 1, 1, 1, 'uint8'), batch([0], 1, 1, 1))).toBe(1);
  });

  it('rejects shapes that disagree, a Uint8Array not in uint8 range, and bad masks', () => {
    expect(() => l1Error(batch([0, 0], 1, 1, 2), batch([0, 0], 2, 1, 1))).toThrow(/differ in shape/);
    expect(() => l1Error(batch([0, 0, 0], 1, 1, 2), batch([0, 0], 1, 1, 2))).toThrow(/3 values, expected/);
    expect(() => l1Error({ data: Uint8Array.from([0]), n: 1, size: 1, channels: 1, range: 'unit' }, batch([0], 1, 1, 1))).toThrow(/Uint8Array/);
    expect(() => l1Error(batch([], 0, 1, 1), batch([], 0, 1, 1))).toThrow(/at least one image/);
    expect(() => l1Error(batch([0, 0], 1, 1, 2), batch([0, 0], 1, 1, 2), Float32Array.from([1, 1]))).toThrow(/one per pixel/);
    expect(() => l1Error(batch([0], 1, 1, 1), batch([0], 1, 1, 1), Float32Array.from([0.5]))).toThrow(/0 or 1/);
  });
});

describe('psnr', () => {
  it('is 20 dB for an MSE of 0.01', () => {
    // One of 100 values off by a full unit: MSE = 1 / 100.
    const target = new Array<number>(100).fill(0);
    const off = [...target];
    off[37] = 1;
    expect(psnr(batch(off, 1, 10, 1), batch(target, 1, 10, 1))).toBe(20);
    const offBytes = [...target];
    offBytes[37] = 255;
    expect(psnr(batch(offBytes, 1, 10, 1, 'uint8'), batch(target, 1, 10, 1, 'uint8'))).toBe(20);
    // Every value off by 0.1 (signed 0 → 0.5 against signed 0.2 → 0.6).
    expect(psnr(batch(new Array(12).fill(0), 1, 2, 3, 'signed'), batch(new Array(12).fill(0.2), 1, 2, 3, 'signed'))).toBeCloseTo(20, 6);
  });

  it('averages per-image PSNR, not the PSNR of the pooled MSE', () => {
    // Image 1: one value off by 1 → MSE 0.01, 20 dB. Image 2: one value off by 0.1 → MSE 0.0001, 40 dB.
    const a = new Array<number>(200).fill(0);
    const b = [...a];
    b[5] = 1;
    b[150] = 0.1;
    expect(psnr(batch(a, 2, 10, 1), batch(b, 2, 10, 1))).toBeCloseTo(30, 6);
    // The pooled MSE would give 10·log10(1 / 0.00505) ≈ 22.97 dB.
  });

  it('caps each image at PSNR_CAP_DB (100 dB): identical images give exactly the cap and keep averages finite', () => {
    expect(PSNR_CAP_DB).toBe(100);
    const rng = new Rng(4);
    const x = uniformImage(rng, 2, 4, 3);
    expect(psnr(batch(x, 2, 4, 3), batch(x, 2, 4, 3))).toBe(100);
    // Identical up to 10⁻⁶ everywhere (MSE 10⁻¹², 120 dB) is capped too.
    const near = Float64Array.from(x, (v) => v + 1e-6);
    expect(psnr({ data: x, n: 2, size: 4, channels: 3, range: 'unit' }, { data: Float32Array.from(near), n: 2, size: 4, channels: 3, range: 'unit' })).toBe(100);
    // One identical pair and one at 20 dB: (100 + 20) / 2.
    const target = new Array<number>(200).fill(0);
    const out = [...target];
    out[150] = 1;
    expect(psnr(batch(out, 2, 10, 1), batch(target, 2, 10, 1))).toBe(60);
  });
});

describe('ssim', () => {
  it('is exactly 1 for identical images', () => {
    const x = uniformImage(new Rng(1), 2, 16, 3);
    expect(ssim(batch(x, 2, 16, 3), batch(x, 2, 16, 3))).toBe(1);
  });

  it('reduces to the luminance term (2μxμy + C1) / (μx² + μy² + C1) for constant images', () => {
    const mx = Math.fround(0.2);
    const my = 0.5;
    const expected = (2 * mx * my + C1) / (mx * mx + my * my + C1);
    expect(ssim(batch(new Array(12 * 12 * 3).fill(0.2), 1, 12, 3), batch(new Array(12 * 12 * 3).fill(0.5), 1, 12, 3))).toBeCloseTo(expected, 10);
    // The same means stated in other ranges: uint8 51 is 0.2, signed 0 is 0.5.
    expect(ssim(batch(new Array(12 * 12).fill(51), 1, 12, 1, 'uint8'), batch(new Array(12 * 12).fill(0), 1, 12, 1, 'signed'))).toBeCloseTo((2 * 0.2 * 0.5 + C1) / (0.04 + 0.25 + C1), 10);
  });

  it('scores inverted contrast below additive noise', () => {
    const rng = new Rng(8);
    const x = uniformImage(rng, 1, 24, 1);
    const inverted = Float32Array.from(x, (v) => 1 - v);
    const noisy = Float32Array.from(x, (v) => Math.min(1, Math.max(0, v + 0.1 * rng.nextNormal())));
    const sInverted = ssim(batch(x, 1, 24, 1), batch(inverted, 1, 24, 1));
    const sNoisy = ssim(batch(x, 1, 24, 1), batch(noisy, 1, 24, 1));
    expect(sInverted).toBeLessThan(0);
    expect(sNoisy).toBeGreaterThan(0.5);
    expect(sNoisy).toBeLessThan(1);
  });

  it('matches a direct loop-based implementation and a reference on a small known example', () => {
    // 13×13, 2 channels: 3 × 3 valid windows per channel.
    const size = 13;
    const channels = 2;
    const xs: number[] = [];
    const ys: number[] = [];
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        for (let ch = 0; ch < channels; ch++) {
          xs.push(((r * 7 + c * 3 + ch * 5) % 11) / 10);
          ys.push(((r * 5 + c * 2 + ch) % 13) / 12);
        }
      }
    }
    const a = batch(xs, 1, size, channels);
    const b = batch(ys, 1, size, channels);
    const got = ssim(a, b);
    expect(got).toBeCloseTo(directSsim(a, b), 12);
    // skimage is not installed on the machine that wrote this, so the reference is a numpy (2.4.6)
    // re-implementation of structural_similarity's gaussian_weights path: scipy's gaussian_filter
    // (radius 5, mode 'reflect', which is np.pad's 'symmetric'), crop 5, E[x²] − μ², mean over channels,
    // on the same float32-rounded values. It prints 0.1103203738486923:
    //   python3 -c "
    //   import numpy as np
    //   k = np.exp(-0.5 * np.arange(-5, 6)**2 / 1.5**2); k /= k.sum()
    //   def gf(m):
    //       p = np.pad(m, 5, mode='symmetric')
    //       t = np.array([[k @ p[r, c:c+11] for c in range(p.shape[1]-10)] for r in range(p.shape[0])])
    //       return np.array([[k @ t[r:r+11, c] for c in range(t.shape[1])] for r in range(t.shape[0]-10)])
    //   def s(X, Y):
    //       ux, uy = gf(X), gf(Y); vx, vy, vxy = gf(X*X)-ux*ux, gf(Y*Y)-uy*uy, gf(X*Y)-ux*uy
    //       S = ((2*ux*uy+1e-4)*(2*vxy+9e-4))/((ux**2+uy**2+1e-4)*(vx+vy+9e-4)); return S[5:-5, 5:-5].mean()
    //   r, c, ch = np.meshgrid(np.arange(13), np.arange(13), np.arange(2), indexing='ij')
    //   f = lambda a: a.astype(np.float32).astype(np.float64)
    //   X, Y = f(((r*7 + c*3 + ch*5) % 11) / 10), f(((r*5 + c*2 + ch) % 13) / 12)
    //   print(np.mean([s(X[..., i], Y[..., i]) for i in range(2)]))"
    expect(got).toBeCloseTo(0.1103203738486923, 12);
  });

  it('matches the direct implementation on random batches, including ranges and several images', () => {
    const rng = new Rng(21);
    const x = uniformImage(rng, 3, 15, 3);
    const y = Float32Array.from(x, (v) => Math.min(1, Math.max(0, 0.8 * v + 0.05 + 0.2 * rng.nextNormal())));
    const a = batch(x, 3, 15, 3);
    const b = batch(y, 3, 15, 3);
    const got = ssim(a, b);
    expect(got).toBeCloseTo(directSsim(a, b), 12);
    // The mean over images is the mean of each image's SSIM.
    const one = (img: Float32Array, k: number): ImageBatch => batch(img.subarray(k * 675, (k + 1) * 675), 1, 15, 3);
    expect(got).toBeCloseTo((ssim(one(x, 0), one(y, 0)) + ssim(one(x, 1), one(y, 1)) + ssim(one(x, 2), one(y, 2))) / 3, 14);
    // The same images in signed range give the same SSIM.
    const signed = (img: Float32Array): ImageBatch => ({ data: Float32Array.from(img, (v) => 2 * v - 1), n: 3, size: 15, channels: 3, range: 'signed' });
    expect(ssim(signed(x), signed(y))).toBeCloseTo(got, 6);
  });

  it('uses one window the size of the image for images smaller than 11', () => {
    const rng = new Rng(33);
    for (const size of [1, 4, 5, 10]) {
      const x = uniformImage(rng, 2, size, 1);
      const y = uniformImage(rng, 2, size, 1);
      expect(ssim(batch(x, 2, size, 1), batch(y, 2, size, 1))).toBeCloseTo(directSsim(batch(x, 2, size, 1), batch(y, 2, size, 1)), 12);
    }
    // A 1×1 image has no variance: only the luminance term remains.
    expect(ssim(batch([0.25], 1, 1, 1), batch([0.75], 1, 1, 1))).toBeCloseTo((2 * 0.25 * 0.75 + C1) / (0.0625 + 0.5625 + C1), 14);
  });
});
