/** Fixed separable resizes of NHWC batches (area, antialiased bilinear and bicubic down, Catmull-Rom bicubic up) that reproduce libvips/sharp. */
import * as tf from '@tensorflow/tfjs';

export type DownFilter = 'area' | 'bilinear' | 'bicubic';

/** Catmull-Rom (Keys, a = -0.5): libvips' 'cubic' kernel and its 'bicubic' interpolator. */
function catmullRom(x: number): number {
  const a = Math.abs(x);
  if (a <= 1) return (1.5 * a - 2.5) * a * a + 1;
  if (a < 2) return ((-0.5 * a + 2.5) * a - 4) * a + 2;
  return 0;
}

function triangle(x: number): number {
  return Math.max(0, 1 - Math.abs(x));
}

/** Output i of an axis reads input indices stride·i + first + j with weight weights[j] (edges replicated). */
interface Taps {
  first: number;
  weights: number[];
}

/**
 * The kernel stretched by `factor` (antialiasing), centred on the output pixel's centre in input
 * coordinates, factor·i + (factor − 1)/2, and normalised to sum 1, as libvips' reduce builds its masks.
 */
function stretchedTaps(kernel: (x: number) => number, support: number, factor: number): Taps {
  const centre = (factor - 1) / 2;
  const lo = Math.ceil(centre - support * factor);
  const hi = Math.floor(centre + support * factor);
  let weights: number[] = [];
  for (let i = lo; i <= hi; i++) weights.push(kernel((i - centre) / factor));
  const sum = weights.reduce((a, b) => a + b, 0);
  weights = weights.map((w) => w / sum);
  // Zero end taps (|x| = support exactly) would only widen the padding.
  let first = lo;
  while (weights[0] === 0) {
    weights.shift();
    first++;
  }
  while (weights[weights.length - 1] === 0) weights.pop();
  return { first, weights };
}

/**
 * sharp resizes with libvips' default reducing gap of 2: a reduction by s first takes the mean of
 * k×k blocks, k = ⌊s/2⌋, and applies the kernel only for the remaining factor s/k (×4 is a 2×2 block
 * mean, then the kernel stretched by 2). The edges are replicated after the block mean, so the
 * two stages are kept apart rather than composed into one kernel. A factor that k does not divide
 * uses the kernel stretched by the whole factor.
 */
function reducePlan(filter: 'bilinear' | 'bicubic', scale: number): { block: number; taps: Taps; stride: number } {
  const [kernel, support] = filter === 'bicubic' ? [catmullRom, 2] : [triangle, 1];
  const gapBlock = Math.max(1, Math.floor(scale / 2));
  const block = scale % gapBlock === 0 ? gapBlock : 1;
  const stride = scale / block;
  return { block, taps: stretchedTaps(kernel, support, stride), stride };
}

/** Pads (or, for a negative count, crops) `axis` by repeating its edge rows, as libvips extends with VIPS_EXTEND_COPY. */
function replicateEdges(x: tf.Tensor4D, axis: 1 | 2, before: number, after: number): tf.Tensor4D {
  const n = x.shape[axis];
  const parts: tf.Tensor4D[] = [];
  const start = Math.max(0, -before);
  const end = n - Math.max(0, -after);
  if (before > 0) parts.push(tf.tile(tf.slice(x, [0, 0, 0, 0], sliceSize(x, axis, 1)), repeats(axis, before)));
  parts.push(tf.slice(x, axis === 1 ? [0, start, 0, 0] : [0, 0, start, 0], sliceSize(x, axis, end - start)));
  if (after > 0) {
    const last = tf.slice(x, axis === 1 ? [0, n - 1, 0, 0] : [0, 0, n - 1, 0], sliceSize(x, axis, 1));
    parts.push(tf.tile(last, repeats(axis, after)));
  }
  return parts.length === 1 ? (parts[0] as tf.Tensor4D) : tf.concat(parts, axis);
}

function sliceSize(x: tf.Tensor4D, axis: 1 | 2, length: number): [number, number, number, number] {
  const [b, h, w, c] = x.shape;
  return axis === 1 ? [b, length, w, c] : [b, h, length, c];
}

function repeats(axis: 1 | 2, count: number): [number, number, number, number] {
  return axis === 1 ? [1, count, 1, 1] : [1, 1, count, 1];
}

/** A conv2d filter along `axis` with one output channel per phase: filter[j][p] = weights[p][j]. */
function axisFilter(weights: readonly (readonly number[])[], axis: 1 | 2): tf.Tensor4D {
  const phases = weights.length;
  const k = weights[0]?.length ?? 0;
  const values = new Float32Array(k * phases);
  for (let j = 0; j < k; j++) for (let p = 0; p < phases; p++) values[j * phases + p] = weights[p]?.[j] ?? 0;
  return tf.tensor4d(values, axis === 1 ? [k, 1, 1, phases] : [1, k, 1, phases]);
}

/**
 * Runs `fn` on each channel as its own 1-channel image. conv2d rather than depthwiseConv2d because
 * wasm (tfjs 4.22) has no DepthwiseConv2dNativeBackpropInput, and these must stay differentiable.
 */
function perChannel(x: tf.Tensor4D, fn: (planes: tf.Tensor4D) => tf.Tensor4D): tf.Tensor4D {
  const [b, , , c] = x.shape;
  if (c === 1) return fn(x);
  const [, h, w] = x.shape;
  const out = fn(tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [b * c, h, w, 1]));
  const [, oh, ow] = out.shape;
  return tf.transpose(tf.reshape(out, [b, c, oh, ow]), [0, 2, 3, 1]);
}

/** Strided reduction of one axis of 1-channel images by `stride` with fixed taps. */
function reduceAxis(x: tf.Tensor4D, axis: 1 | 2, taps: Taps, stride: number): tf.Tensor4D {
  const n = x.shape[axis];
  const k = taps.weights.length;
  const lastRead = (n / stride - 1) * stride + taps.first + k - 1;
  const padded = replicateEdges(x, axis, -taps.first, lastRead - (n - 1));
  return tf.conv2d(padded, axisFilter([taps.weights], axis), axis === 1 ? [stride, 1] : [1, stride], 'valid');
}

function checkScale(x: tf.Tensor4D, scale: number, what: string): void {
  if (!Number.isInteger(scale) || scale < 1) throw new Error(`${what} needs a positive integer scale, got ${scale}`);
  const [, h, w] = x.shape;
  if (what === 'downscale' && (h % scale !== 0 || w % scale !== 0)) {
    throw new Error(`downscale by ${scale} needs a size divisible by it, got ${h}×${w}`);
  }
}

/**
 * Downscale by an integer `scale` (dividing the size). 'area' is the exact block mean (avgPool);
 * 'bilinear' and 'bicubic' are the triangle and Catmull-Rom (a = -0.5) kernels stretched by the
 * scale (antialiased), edges replicated, as sharp's 'linear' and 'cubic' kernels reduce, including
 * its reducing gap (×4 = 2×2 block mean, then the kernel stretched by 2; see reducePlan).
 */
export function downscale(x: tf.Tensor4D, scale: number, filter: DownFilter): tf.Tensor4D {
  checkScale(x, scale, 'downscale');
  if (scale === 1) return tf.clone(x);
  return tf.tidy(() => {
    if (filter === 'area') return tf.avgPool(x, scale, scale, 'valid');
    const { block, taps, stride } = reducePlan(filter, scale);
    const blocks = block > 1 ? tf.avgPool(x, block, block, 'valid') : x;
    return perChannel(blocks, (planes) => reduceAxis(reduceAxis(planes, 1, taps, stride), 2, taps, stride));
  });
}

/**
 * Output pixel m·s + p samples input position m + (p + ½)/s − ½ (pixel centres aligned, as libvips'
 * affine with the centre convention): four Catmull-Rom taps per phase, laid on offsets −2…2 of m.
 */
function upscalePhases(scale: number): number[][] {
  const phases: number[][] = [];
  for (let p = 0; p < scale; p++) {
    const pos = (p + 0.5) / scale - 0.5;
    const base = Math.floor(pos);
    const t = pos - base;
    const row = [0, 0, 0, 0, 0];
    for (let j = -1; j <= 2; j++) row[base + j + 2] = catmullRom(t - j);
    phases.push(row);
  }
  return phases;
}

/** Upscales one axis of 1-channel images: a stride-1 conv gives `scale` phases as channels, interleaved into the axis. */
function upscaleAxis(x: tf.Tensor4D, axis: 1 | 2, scale: number): tf.Tensor4D {
  const [b, h, w] = x.shape;
  const phases = tf.conv2d(replicateEdges(x, axis, 2, 2), axisFilter(upscalePhases(scale), axis), 1, 'valid');
  if (axis === 2) return tf.reshape(phases, [b, h, w * scale, 1]);
  return tf.reshape(tf.transpose(phases, [0, 1, 3, 2]), [b, h * scale, w, 1]);
}

/** Bicubic (Catmull-Rom) upscale by an integer `scale`, edges replicated: the classic baseline super-resolution is judged against. */
export function upscaleBicubic(x: tf.Tensor4D, scale: number): tf.Tensor4D {
  checkScale(x, scale, 'upscaleBicubic');
  if (scale === 1) return tf.clone(x);
  return tf.tidy(() => perChannel(x, (planes) => upscaleAxis(upscaleAxis(planes, 1, scale), 2, scale)));
}
