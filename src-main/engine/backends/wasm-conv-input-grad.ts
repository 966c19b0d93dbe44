/** Conv2DBackpropInput for wasm rebuilt on XNNPACK's Conv2D: wasm's own version is a scalar loop, ~10x slower. */
import * as tf from '@tensorflow/tfjs';
import { disposeInfos, runWasmKernel, type KernelArgs } from './wasm-compose';

/**
 * One axis of the sub-pixel form of a transposed convolution. For stride s, output position
 * h = q·s + r − pad sees only the filter taps k ≡ r (mod s): each phase r is a stride-1
 * convolution of dy with `taps` flipped taps. Every phase yields `rows` positions, starting at
 * `offset` (its place among the s interleaved phases); positions past the input are cropped.
 */
interface AxisPhase {
  /** The residue r of the phase's filter taps. */
  residue: number;
  /** Its first output position, in [0, s): phases interleave in this order. */
  offset: number;
  /** dy positions [from, to) the phase reads (empty when it only reads padding). */
  from: number;
  to: number;
  padBefore: number;
  padAfter: number;
}

interface AxisPlan {
  stride: number;
  /** Taps per phase: ceil(K / s), the missing ones zero. */
  taps: number;
  /** Positions per phase: ceil(input / s). */
  rows: number;
  /** Sorted by offset. */
  phases: AxisPhase[];
}

function planAxis(input: number, output: number, kernel: number, stride: number, padBefore: number): AxisPlan {
  const taps = Math.ceil(kernel / stride);
  const rows = Math.ceil(input / stride);
  const phases: AxisPhase[] = [];
  for (let residue = 0; residue < stride; residue++) {
    const first = Math.ceil((padBefore - residue) / stride);
    const lo = first - (taps - 1);
    const hi = first + rows - 1;
    const from = Math.max(lo, 0);
    const to = Math.min(hi, output - 1) + 1;
    phases.push({
      residue,
      offset: first * stride + residue - padBefore,
      from,
      to,
      padBefore: from - lo,
      padAfter: hi + 1 - to,
    });
  }
  phases.sort((a, b) => a.offset - b.offset);
  return { stride, taps, rows, phases };
}

/**
 * The phase filters of residues rowResidues × colResidues side by side as output channels
 * ((row residue, column residue, ci) order): F[mh, mw, co, ·] = W[rh + (Th−1−mh)·sh, rw + (Tw−1−mw)·sw, ci, co],
 * zero past the kernel's edge. The filter is small, so one pass in JS beats wasm's slow 6-D transpose and reverse.
 */
function phaseFilter(w: Float32Array, shape: number[], rowPlan: AxisPlan, colPlan: AxisPlan, rowResidues: number[], colResidues: number[]): Float32Array {
  const [kh = 0, kw = 0, ci = 0, co = 0] = shape;
  const { taps: th, stride: sh } = rowPlan;
  const { taps: tw, stride: sw } = colPlan;
  const depth = rowResidues.length * colResidues.length * ci;
  const out = new Float32Array(th * tw * co * depth);
  rowResidues.forEach((rh, i) => {
    colResidues.forEach((rw, j) => {
      const channel = (i * colResidues.length + j) * ci;
      for (let mh = 0; mh < th; mh++) {
        const y = rh + (th - 1 - mh) * sh;
        if (y >= kh) continue;
        for (let mw = 0; mw < tw; mw++) {
          const x = rw + (tw - 1 - mw) * sw;
          if (x >= kw) continue;
          const src = (y * kw + x) * ci * co;
          const dst = (mh * tw + mw) * co * depth + channel;
          for (let c = 0; c < ci; c++) {
            for (let o = 0; o < co; o++) out[dst + o * depth + c] = w[src + c * co + o]!;
          }
        }
      }
    });
  });
  return out;
}

/** Below this many input channels the per-phase convolutions and the channel-vector transposes cost more than one combined convolution. */
const SEPARATE_MIN_CHANNELS = 8;

/**
 * Each of the sh·sw phases is an exact stride-1 Conv2D (no output computed twice or thrown away);
 * the phases are stacked and interleaved by two transposes that keep channels innermost (wasm's
 * fast case), and rows or columns past the input are cropped. With few input channels (an image
 * layer) one convolution computes every phase as channels instead. NCHW and non-float inputs use
 * `fallback`.
 */
export function makeConv2DBackpropInputWasm(fallback: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { inputs, attrs } = args;
    const backend = args.backend as tf.KernelBackend;
    const dy = inputs['dy'];
    const filter = inputs['filter'];
    if (dy === undefined || filter === undefined) throw new Error('Conv2DBackpropInput needs dy and filter');
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const format = tf.backend_util.convertConv2DDataFormat(dataFormat);
    if (format !== 'channelsLast' || dy.dtype !== 'float32' || filter.dtype !== 'float32') return fallback(args);
    const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false, format);
    const rowPlan = planAxis(info.inHeight, info.outHeight, info.filterHeight, info.strideHeight, info.padInfo.top);
    const colPlan = planAxis(info.inWidth, info.outWidth, info.filterWidth, info.strideWidth, info.padInfo.left);
    const w = backend.readSync(filter.dataId) as Float32Array;
    const temps: tf.TensorInfo[] = [];
    const keep = (t: tf.TensorInfo): tf.TensorInfo => {
      temps.push(t);
      return t;
    };
    try {
      const separate = info.inChannels >= SEPARATE_MIN_CHANNELS || (rowPlan.stride === 1 && colPlan.stride === 1);
      const full = separate
        ? separatePhases(dy, w, filter.shape, info, rowPlan, colPlan, backend, keep)
        : combinedPhases(dy, w, filter.shape, info, rowPlan, colPlan, backend, keep);
      return crop(full.info, full.shift, info, backend, keep);
    } finally {
      disposeInfos(backend, temps);
    }
  };
}

type Keep = (t: tf.TensorInfo) => tf.TensorInfo;

/** The interleaved phases [N, rows·sh, cols·sw, Ci]; position (h, w) of dx sits at (h + shift[0], w + shift[1]). */
interface Assembled {
  info: tf.TensorInfo;
  shift: [number, number];
}

function separatePhases(
  dy: tf.TensorInfo,
  w: Float32Array,
  filterShape: number[],
  info: tf.backend_util.Conv2DInfo,
  rowPlan: AxisPlan,
  colPlan: AxisPlan,
  backend: tf.KernelBackend,
  keep: Keep,
): Assembled {
  const { batchSize: n, inChannels: ci, outChannels: co } = info;
  const phases: tf.TensorInfo[] = [];
  for (const rp of rowPlan.phases) {
    for (const cp of colPlan.phases) {
      if (rp.from >= rp.to || cp.from >= cp.to) {
        // Only padding in view: these positions get no gradient.
        phases.push(keep(runWasmKernel('Fill', {}, { shape: [n, rowPlan.rows, colPlan.rows, ci], value: 0, dtype: 'float32' }, backend)));
        continue;
      }
      const whole = rp.from === 0 && rp.to === info.outHeight && cp.from === 0 && cp.to === info.outWidth;
      const source = whole
        ? dy
        : keep(runWasmKernel('Slice', { x: dy }, { begin: [0, rp.from, cp.from, 0], size: [n, rp.to - rp.from, cp.to - cp.from, co] }, backend));
      const fShape = [rowPlan.taps, colPlan.taps, co, ci];
      const values = phaseFilter(w, filterShape, rowPlan, colPlan, [rp.residue], [cp.residue]);
      const f = keep({ dataId: backend.write(values, fShape, 'float32'), shape: fShape, dtype: 'float32' });
      const explicit: tf.backend_util.ExplicitPadding = [
        [0, 0],
        [rp.padBefore, rp.padAfter],
        [cp.padBefore, cp.padAfter],
        [0, 0],
      ];
      phases.push(keep(runWasmKernel('Conv2D', { x: source, filter: f }, { strides: [1, 1], pad: explicit, dataFormat: 'NHWC', dilations: [1, 1] }, backend)));
    }
  }
  return { info: phases.length === 1 ? phases[0]! : interleave(phases, n, rowPlan, colPlan, ci, backend, keep), shift: [0, 0] };
}

/**
 * Every phase as channels of one convolution over the rows all phases need together: each phase
 * computes up to one row and column it does not use, cropped afterwards, but for a few input
 * channels that beats sh·sw thin convolutions.
 */
function combinedPhases(
  dy: tf.TensorInfo,
  w: Float32Array,
  filterShape: number[],
  info: tf.backend_util.Conv2DInfo,
  rowPlan: AxisPlan,
  colPlan: AxisPlan,
  backend: tf.KernelBackend,
  keep: Keep,
): Assembled {
  const { batchSize: n, inChannels: ci, outChannels: co } = info;
  const rows = span(rowPlan, info.inHeight, info.outHeight, info.padInfo.top);
  const cols = span(colPlan, info.inWidth, info.outWidth, info.padInfo.left);
  if (rows.from >= rows.to || cols.from >= cols.to) {
    // Only padding in view: no position gets a gradient.
    return { info: keep(runWasmKernel('Fill', {}, { shape: [n, info.inHeight, info.inWidth, ci], value: 0, dtype: 'float32' }, backend)), shift: [0, 0] };
  }
  const residues = (plan: AxisPlan) => Array.from({ length: plan.stride }, (_, r) => r);
  const fShape = [rowPlan.taps, colPlan.taps, co, rowPlan.stride * colPlan.stride * ci];
  const f = keep({ dataId: backend.write(phaseFilter(w, filterShape, rowPlan, colPlan, residues(rowPlan), residues(colPlan)), fShape, 'float32'), shape: fShape, dtype: 'float32' });
  const source =
    rows.from === 0 && rows.to === info.outHeight && cols.from === 0 && cols.to === info.outWidth
      ? dy
      : keep(runWasmKernel('Slice', { x: dy }, { begin: [0, rows.from, cols.from, 0], size: [n, rows.to - rows.from, cols.to - cols.from, co] }, backend));
  const explicit: tf.backend_util.ExplicitPadding = [
    [0, 0],
    [rows.padBefore, rows.padAfter],
    [cols.padBefore, cols.padAfter],
    [0, 0],
  ];
  // Channels ordered (rh, rw, ci): window position u of residue r is position u·s + r of the interleaved axis.
  const phases = keep(runWasmKernel('Conv2D', { x: source, filter: f }, { strides: [1, 1], pad: explicit, dataFormat: 'NHWC', dilations: [1, 1] }, backend));
  const [, u = 0, v = 0] = phases.shape;
  const sh = rowPlan.stride;
  const sw = colPlan.stride;
  const split = keep(runWasmKernel('Reshape', { x: phases }, { shape: [n * u, v, sh, sw * ci] }, backend));
  const moved = keep(runWasmKernel('Transpose', { x: split }, { perm: [0, 2, 1, 3] }, backend));
  const merged = keep(runWasmKernel('Reshape', { x: moved }, { shape: [n, u * sh, v * sw, ci] }, backend));
  return { info: merged, shift: [rows.lead, cols.lead] };
}

/**
 * The dy window [lo, hi] every residue of an axis reads on one grid: window position u of residue r
 * is dx position (u + lo + T − 1)·s + r − pad, so with lo = ⌊pad/s⌋ − (T − 1) dx position h sits at
 * h + lead of the interleaved axis, lead = pad mod s.
 */
function span(plan: AxisPlan, input: number, output: number, pad: number): { from: number; to: number; padBefore: number; padAfter: number; lead: number } {
  const { stride: s, taps } = plan;
  const lo = Math.floor(pad / s) - (taps - 1);
  const lead = pad - Math.floor(pad / s) * s;
  const positions = Math.ceil((input + lead) / s);
  const hi = positions + lo + taps - 2;
  const from = Math.max(lo, 0);
  const to = Math.min(hi, output - 1) + 1;
  return { from, to, padBefore: from - lo, padAfter: hi + 1 - to, lead };
}

/** dx [N, H, W, Ci] out of the interleaved phases, whose position (h + shift) holds dx position h. */
function crop(full: tf.TensorInfo, shift: [number, number], info: tf.backend_util.Conv2DInfo, backend: tf.KernelBackend, keep: Keep): tf.TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci } = info;
  const [, fullH = 0, fullW = 0] = full.shape;
  if (shift[0] === 0 && shift[1] === 0 && fullH === h && fullW === w) return runWasmKernel('Reshape', { x: full }, { shape: [n, h, w, ci] }, backend);
  // Columns and channels merged: wasm's Slice copies one innermost row at a time, and with one
  // channel a row would be a single pixel.
  const rows = keep(runWasmKernel('Reshape', { x: full }, { shape: [n, fullH, fullW * ci] }, backend));
  const cropped = keep(runWasmKernel('Slice', { x: rows }, { begin: [0, shift[0], shift[1] * ci], size: [n, h, w * ci] }, backend));
  return runWasmKernel('Reshape', { x: cropped }, { shape: [n, h, w, ci] }, backend);
}

/**
 * Phases [N, R, R', C] in (row offset, column offset) order → [N, R·sh, R'·sw, C] with position
 * (q·sh + a, p·sw + b) taken from phase (a, b). Stacking is one copy; the two transposes move
 * whole channel vectors (wasm's 5-D and 6-D transposes are 100x slower than these).
 */
function interleave(
  phases: tf.TensorInfo[],
  n: number,
  rowPlan: AxisPlan,
  colPlan: AxisPlan,
  c: number,
  backend: tf.KernelBackend,
  keep: (t: tf.TensorInfo) => tf.TensorInfo,
): tf.TensorInfo {
  const { stride: sh, rows: r } = rowPlan;
  const { stride: sw, rows: rc } = colPlan;
  const stacked = keep(runWasmKernel('Concat', phases as unknown as tf.NamedTensorInfoMap, { axis: 0 }, backend));
  // [a, b, N·R·R', C] → [a, N·R·R', b, C]: columns interleaved within each row phase.
  const byPhase = keep(runWasmKernel('Reshape', { x: stacked }, { shape: [sh, sw, n * r * rc, c] }, backend));
  const columns = keep(runWasmKernel('Transpose', { x: byPhase }, { perm: [0, 2, 1, 3] }, backend));
  // [a, N·R, R'·sw·C] → [N·R, a, R'·sw·C]: rows interleaved.
  const rowsFirst = keep(runWasmKernel('Reshape', { x: columns }, { shape: [sh, n * r, rc * sw * c] }, backend));
  const interleaved = keep(runWasmKernel('Transpose', { x: rowsFirst }, { perm: [1, 0, 2] }, backend));
  return keep(runWasmKernel('Reshape', { x: interleaved }, { shape: [n, r * sh, rc * sw, c] }, backend));
}
