/** Conv2DBackpropInput for wasm rebuilt on XNNPACK's Conv2D: wasm's own version is a scalar loop, ~10x slower. */
import * as tf from '@tensorflow/tfjs';
import { disposeInfos, runWasmKernel, type KernelArgs } from './wasm-compose';

/**
 * Sub-pixel form of a transposed convolution. For stride s every output row h = q*s + r - padTop
 * sees only the filter taps kh ≡ r (mod s), so each of the s*s phases (r, c) is a plain stride-1
 * convolution of dy with a flipped sub-filter of ceil(K/s) taps. All phases run as one Conv2D with
 * s*s*Ci output channels; a transpose interleaves them, and a Slice drops the padding rows.
 * Shapes this form does not cover (unequal strides, NCHW, huge explicit pads) use `fallback`.
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
    const info = tf.backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      format,
    );
    const s = info.strideHeight;
    const { filterHeight: kh, filterWidth: kw, inHeight, inWidth, inChannels, outChannels, batchSize } = info;
    const padTop = info.padInfo.top;
    const padLeft = info.padInfo.left;
    const tapsH = Math.ceil(kh / s);
    const tapsW = Math.ceil(kw / s);
    const firstQh = Math.floor(padTop / s);
    const firstQw = Math.floor(padLeft / s);
    const dyPadTop = tapsH - 1 - firstQh;
    const dyPadLeft = tapsW - 1 - firstQw;
    if (format !== 'channelsLast' || info.strideWidth !== s || dyPadTop < 0 || dyPadLeft < 0 || dy.dtype !== 'float32') {
      return fallback(args);
    }
    const rowsNeeded = Math.floor((inHeight - 1 + padTop) / s) - firstQh + 1;
    const colsNeeded = Math.floor((inWidth - 1 + padLeft) / s) - firstQw + 1;
    const dyPadBottom = Math.max(0, rowsNeeded + tapsH - 1 - dyPadTop - info.outHeight);
    const dyPadRight = Math.max(0, colsNeeded + tapsW - 1 - dyPadLeft - info.outWidth);

    const phaseFilter = buildPhaseFilter(
      backend.readSync(filter.dataId) as Float32Array,
      kh,
      kw,
      inChannels,
      outChannels,
      s,
      tapsH,
      tapsW,
    );
    const temps: tf.TensorInfo[] = [];
    try {
      const filterInfo: tf.TensorInfo = {
        dataId: backend.write(phaseFilter, [tapsH, tapsW, outChannels, s * s * inChannels], 'float32'),
        shape: [tapsH, tapsW, outChannels, s * s * inChannels],
        dtype: 'float32',
      };
      temps.push(filterInfo);
      const explicit: tf.backend_util.ExplicitPadding = [
        [0, 0],
        [dyPadTop, dyPadBottom],
        [dyPadLeft, dyPadRight],
        [0, 0],
      ];
      const phases = runWasmKernel(
        'Conv2D',
        { x: dy, filter: filterInfo },
        { strides: [1, 1], pad: explicit, dataFormat: 'NHWC', dilations: [1, 1] },
        backend,
      );
      temps.push(phases);
      const full = s > 1 ? interleavePhases(phases, s, inChannels, backend, temps) : phases;
      const offsetH = padTop - firstQh * s;
      const offsetW = padLeft - firstQw * s;
      if (offsetH === 0 && offsetW === 0 && full.shape[1] === inHeight && full.shape[2] === inWidth) {
        temps.pop();
        return full;
      }
      // Columns and channels merged: wasm's Slice copies one innermost row at a time, and with
      // one channel a row would be a single pixel.
      const [, fullH = 0, fullW = 0] = full.shape;
      const rows = runWasmKernel('Reshape', { x: full }, { shape: [batchSize, fullH, fullW * inChannels] }, backend);
      temps.push(rows);
      const cropped = runWasmKernel(
        'Slice',
        { x: rows },
        { begin: [0, offsetH, offsetW * inChannels], size: [batchSize, inHeight, inWidth * inChannels] },
        backend,
      );
      temps.push(cropped);
      return runWasmKernel('Reshape', { x: cropped }, { shape: [batchSize, inHeight, inWidth, inChannels] }, backend);
    } finally {
      disposeInfos(backend, temps);
    }
  };
}

/**
 * [N,U,V,(rh,rw,ci)] -> [N,U*s,V*s,ci] with row u*s+rh and column v*s+rw. Same result as DepthToSpace,
 * but wasm's DepthToSpace is a generic strided loop ~10x slower than this one 4-D transpose.
 */
function interleavePhases(
  phases: tf.TensorInfo,
  s: number,
  ci: number,
  backend: tf.KernelBackend,
  temps: tf.TensorInfo[],
): tf.TensorInfo {
  const [n = 0, u = 0, v = 0] = phases.shape;
  const split = runWasmKernel('Reshape', { x: phases }, { shape: [n * u, v, s, s * ci] }, backend);
  temps.push(split);
  const moved = runWasmKernel('Transpose', { x: split }, { perm: [0, 2, 1, 3] }, backend);
  temps.push(moved);
  const merged = runWasmKernel('Reshape', { x: moved }, { shape: [n, u * s, v * s, ci] }, backend);
  temps.push(merged);
  return merged;
}

/**
 * Rearranges W[kh,kw,ci,co] into F[mh,mw,co,(rh*s+rw)*Ci+ci] = W[rh+(tapsH-1-mh)*s, rw+(tapsW-1-mw)*s, ci, co]
 * (zero past the kernel's edge). The filter is small, so plain JS beats a chain of kernels here.
 */
function buildPhaseFilter(
  w: Float32Array,
  kh: number,
  kw: number,
  ci: number,
  co: number,
  s: number,
  tapsH: number,
  tapsW: number,
): Float32Array {
  const outDepth = s * s * ci;
  const out = new Float32Array(tapsH * tapsW * co * outDepth);
  for (let y = 0; y < kh; y++) {
    const rh = y % s;
    const mh = tapsH - 1 - (y - rh) / s;
    for (let x = 0; x < kw; x++) {
      const rw = x % s;
      const mw = tapsW - 1 - (x - rw) / s;
      const phaseBase = (rh * s + rw) * ci;
      for (let c = 0; c < ci; c++) {
        const src = ((y * kw + x) * ci + c) * co;
        for (let o = 0; o < co; o++) {
          out[((mh * tapsW + mw) * co + o) * outDepth + phaseBase + c] = w[src + o] ?? 0;
        }
      }
    }
  }
  return out;
}
