/** Per-image quality of a translator's output against its target (pix2pix, CycleGAN): L1, PSNR and SSIM in float64 on plain arrays. */

/** How stored values map to [0, 1]: 'unit' as is, 'signed' [-1, 1] → (v + 1) / 2, 'uint8' [0, 255] → v / 255. */
export type PixelRange = 'unit' | 'signed' | 'uint8';

/**
 * `n` square images of `size` × `size` pixels and `channels` channels, NHWC (channels last), as
 * the engine's tensors and dataSync give them. Each batch states its own range, so a generator's
 * [-1, 1] output can be compared with a uint8 target directly. Values are converted, never clipped.
 */
export interface ImageBatch {
  data: Float32Array | Uint8Array;
  n: number;
  size: number;
  channels: number;
  range: PixelRange;
}

/** PSNR reported for an image identical to its target (MSE 0), and the most any image counts for; see psnr. */
export const PSNR_CAP_DB = 100;

/** SSIM constants of Wang et al. 2004 for data range L = 1. */
export const SSIM_WINDOW = 11;
export const SSIM_SIGMA = 1.5;
const SSIM_C1 = 0.01 ** 2;
const SSIM_C2 = 0.03 ** 2;

/**
 * Mean absolute difference in [0, 1] units over every value, or only over the pixels where `mask`
 * is 1 (0/1 values, one per pixel: n · size · size, shared by the channels). The mean is pooled over
 * the selected values, so with a mask an image counts by how many of its pixels are selected; without
 * one every image counts the same. NaN when the mask selects nothing.
 */
export function l1Error(a: ImageBatch, b: ImageBatch, mask?: Float32Array): number {
  const { n, size, channels } = checkPair(a, b);
  const pixels = n * size * size;
  if (mask !== undefined) {
    if (mask.length !== pixels) throw new Error(`l1Error: mask has ${mask.length} values, expected one per pixel (${pixels})`);
    for (const m of mask) if (m !== 0 && m !== 1) throw new Error(`l1Error: mask values must be 0 or 1, got ${m}`);
  }
  const ta = toUnit(a.range);
  const tb = toUnit(b.range);
  let sum = 0;
  let selected = 0;
  for (let p = 0; p < pixels; p++) {
    if (mask !== undefined && mask[p] === 0) continue;
    selected++;
    for (let c = p * channels; c < (p + 1) * channels; c++) sum += Math.abs(ta(a.data[c]!) - tb(b.data[c]!));
  }
  return selected === 0 ? Number.NaN : sum / (selected * channels);
}

/**
 * Peak signal-to-noise ratio in dB with peak 1 (values brought to [0, 1]): 10 · log10(1 / MSE) for each
 * image, then the mean over images. An identical image has MSE 0 and PSNR +∞, which would swamp the
 * mean, so each image's PSNR is capped at PSNR_CAP_DB = 100 dB (MSE 10⁻¹⁰: an RMS difference of 10⁻⁵,
 * far below one uint8 level, which alone gives about 48 dB). A batch of identical pairs gives exactly 100.
 */
export function psnr(a: ImageBatch, b: ImageBatch): number {
  const { n, size, channels } = checkPair(a, b);
  const ta = toUnit(a.range);
  const tb = toUnit(b.range);
  const per = size * size * channels;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let se = 0;
    for (let k = i * per; k < (i + 1) * per; k++) {
      const d = ta(a.data[k]!) - tb(b.data[k]!);
      se += d * d;
    }
    const mse = se / per;
    total += mse === 0 ? PSNR_CAP_DB : Math.min(PSNR_CAP_DB, 10 * Math.log10(1 / mse));
  }
  return total / n;
}

/**
 * Structural similarity (Wang et al. 2004) as skimage.metrics.structural_similarity(gaussian_weights=True,
 * sigma=1.5, use_sample_covariance=False, data_range=1): an 11 × 11 Gaussian window (σ = 1.5, truncated
 * at radius 5 and normalised to sum 1), K1 = 0.01, K2 = 0.03, L = 1, on each channel separately. The SSIM
 * map is taken at every 'valid' window position (the window wholly inside the image, which is what skimage
 * keeps after cropping its reflect-padded filter by 5), averaged over positions, then over channels, then
 * over images. Images smaller than 11 pixels (where skimage refuses) use one window the size of the image:
 * Gaussian weights with the same σ centred on the image, so a single SSIM value per channel; such tiny
 * images give only a rough number.
 */
export function ssim(a: ImageBatch, b: ImageBatch): number {
  const { n, size, channels } = checkPair(a, b);
  const ta = toUnit(a.range);
  const tb = toUnit(b.range);
  const win = Math.min(SSIM_WINDOW, size);
  const weights = gaussianWindow(win, SSIM_SIGMA);
  const plane = size * size;
  const x = new Float64Array(plane);
  const y = new Float64Array(plane);
  const scratch = new FilterScratch(size, win);
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < channels; c++) {
      const base = i * plane * channels + c;
      for (let p = 0; p < plane; p++) {
        x[p] = ta(a.data[base + p * channels]!);
        y[p] = tb(b.data[base + p * channels]!);
      }
      total += meanSsim(x, y, size, weights, scratch);
    }
  }
  return total / (n * channels);
}

/** The mean SSIM over the valid windows of one channel pair, from Gaussian-weighted moments. */
function meanSsim(x: Float64Array, y: Float64Array, size: number, weights: Float64Array, s: FilterScratch): number {
  const out = size - weights.length + 1;
  const products = [s.xx, s.yy, s.xy];
  for (let p = 0; p < x.length; p++) {
    products[0]![p] = x[p]! * x[p]!;
    products[1]![p] = y[p]! * y[p]!;
    products[2]![p] = x[p]! * y[p]!;
  }
  const mx = s.filter(x, weights, 0);
  const my = s.filter(y, weights, 1);
  const mxx = s.filter(s.xx, weights, 2);
  const myy = s.filter(s.yy, weights, 3);
  const mxy = s.filter(s.xy, weights, 4);
  let sum = 0;
  for (let q = 0; q < out * out; q++) {
    const ux = mx[q]!;
    const uy = my[q]!;
    // Population (weighted) moments, E[x²] − E[x]², as skimage computes them without sample covariance.
    const vx = mxx[q]! - ux * ux;
    const vy = myy[q]! - uy * uy;
    const vxy = mxy[q]! - ux * uy;
    sum += ((2 * ux * uy + SSIM_C1) * (2 * vxy + SSIM_C2)) / ((ux * ux + uy * uy + SSIM_C1) * (vx + vy + SSIM_C2));
  }
  return sum / (out * out);
}

/** Buffers for the separable 'valid' filter, reused across channels and images. */
class FilterScratch {
  readonly xx: Float64Array;
  readonly yy: Float64Array;
  readonly xy: Float64Array;
  private readonly rows: Float64Array;
  private readonly outputs: Float64Array[];

  constructor(
    private readonly size: number,
    win: number,
  ) {
    const out = size - win + 1;
    this.xx = new Float64Array(size * size);
    this.yy = new Float64Array(size * size);
    this.xy = new Float64Array(size * size);
    this.rows = new Float64Array(size * out);
    this.outputs = Array.from({ length: 5 }, () => new Float64Array(out * out));
  }

  /** Weighted sums over each valid window: along rows, then down columns (the 2-D Gaussian is the outer product of the 1-D one). */
  filter(src: Float64Array, w: Float64Array, slot: number): Float64Array {
    const size = this.size;
    const win = w.length;
    const out = size - win + 1;
    const rows = this.rows;
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < out; c++) {
        let acc = 0;
        for (let k = 0; k < win; k++) acc += w[k]! * src[r * size + c + k]!;
        rows[r * out + c] = acc;
      }
    }
    const dst = this.outputs[slot]!;
    for (let r = 0; r < out; r++) {
      for (let c = 0; c < out; c++) {
        let acc = 0;
        for (let k = 0; k < win; k++) acc += w[k]! * rows[(r + k) * out + c]!;
        dst[r * out + c] = acc;
      }
    }
    return dst;
  }
}

/** 1-D Gaussian weights exp(−d² / 2σ²) at offsets d from the window's centre, normalised to sum 1 (scipy's gaussian_filter kernel for width 11). */
function gaussianWindow(width: number, sigma: number): Float64Array {
  const centre = (width - 1) / 2;
  const w = Float64Array.from({ length: width }, (_, k) => Math.exp(-((k - centre) ** 2) / (2 * sigma * sigma)));
  const sum = w.reduce((s, v) => s + v, 0);
  return w.map((v) => v / sum);
}

/** The map from stored values to [0, 1]; exact for the endpoints (255 / 255 is 1, (1 + 1) / 2 is 1). */
function toUnit(range: PixelRange): (v: number) => number {
  switch (range) {
    case 'unit':
      return (v) => v;
    case 'signed':
      return (v) => (v + 1) / 2;
    case 'uint8':
      return (v) => v / 255;
  }
}

/** Both batches' shapes, checked to agree and to match their data. */
function checkPair(a: ImageBatch, b: ImageBatch): { n: number; size: number; channels: number } {
  for (const [name, batch] of [['first', a], ['second', b]] as const) {
    const { data, n, size, channels, range } = batch;
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} image batch needs at least one image, got n = ${n}`);
    if (!Number.isInteger(size) || size < 1) throw new Error(`${name} image batch size must be a positive integer, got ${size}`);
    if (!Number.isInteger(channels) || channels < 1) throw new Error(`${name} image batch channels must be a positive integer, got ${channels}`);
    if (range !== 'unit' && range !== 'signed' && range !== 'uint8') throw new Error(`${name} image batch has unknown range ${String(range)}`);
    if (data instanceof Uint8Array && range !== 'uint8') throw new Error(`${name} image batch is a Uint8Array but its range is '${range}', not 'uint8'`);
    const expected = n * size * size * channels;
    if (data.length !== expected) throw new Error(`${name} image batch has ${data.length} values, expected ${n}·${size}·${size}·${channels} = ${expected}`);
  }
  if (a.n !== b.n || a.size !== b.size || a.channels !== b.channels) {
    throw new Error(`image batches differ in shape: ${a.n}×${a.size}×${a.size}×${a.channels} vs ${b.n}×${b.size}×${b.size}×${b.channels}`);
  }
  return { n: a.n, size: a.size, channels: a.channels };
}
