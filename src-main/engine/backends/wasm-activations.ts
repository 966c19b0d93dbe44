/** LeakyRelu and Tanh for wasm through XNNPACK's PReLU and sigmoid: wasm's own are scalar C loops, 40x and 20x slower. */
import * as tf from '@tensorflow/tfjs';
import { disposeInfos, runWasmKernel, type KernelArgs } from './wasm-compose';

/**
 * PReLU vectors (every channel `alpha`) by channel count, per backend: XNNPACK caches its PReLU
 * operator on the vector's id, so one long-lived vector per shape keeps that cache warm. They
 * live as long as the backend (a few floats each) and are the only data these kernels keep.
 */
const slopes = new WeakMap<tf.KernelBackend, Map<string, tf.TensorInfo>>();

function slopeVector(backend: tf.KernelBackend, channels: number, alpha: number): tf.TensorInfo {
  let byKey = slopes.get(backend);
  if (byKey === undefined) slopes.set(backend, (byKey = new Map()));
  const key = `${channels}:${alpha}`;
  let info = byKey.get(key);
  if (info === undefined) {
    const values = new Float32Array(channels).fill(alpha);
    info = { dataId: backend.write(values, [channels], 'float32'), shape: [channels], dtype: 'float32' };
    byKey.set(key, info);
  }
  return info;
}

/** leakyRelu(x) = x > 0 ? x : αx is PReLU with the same slope on every channel. */
export function makeLeakyReluWasm(fallback: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const x = args.inputs['x'];
    if (x === undefined) throw new Error('LeakyRelu needs x');
    const channels = x.shape[x.shape.length - 1] ?? 0;
    if (x.dtype !== 'float32' || x.shape.length === 0 || channels === 0) return fallback(args);
    const { alpha } = args.attrs as unknown as tf.LeakyReluAttrs;
    const backend = args.backend as tf.KernelBackend;
    return runWasmKernel('Prelu', { x, alpha: slopeVector(backend, channels, alpha) }, {}, backend);
  };
}

/**
 * tanh(x) = 2·sigmoid(2x) − 1, on XNNPACK's sigmoid and binary kernels. Near 0 the subtraction
 * costs relative precision (absolute error stays ~1e-7), which images in [-1, 1] do not notice.
 */
export function makeTanhWasm(fallback: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const x = args.inputs['x'];
    if (x === undefined) throw new Error('Tanh needs x');
    if (x.dtype !== 'float32') return fallback(args);
    const backend = args.backend as tf.KernelBackend;
    const temps: tf.TensorInfo[] = [];
    const scalar = (value: number): tf.TensorInfo => {
      const info = runWasmKernel('Fill', {}, { shape: [], value, dtype: 'float32' }, backend);
      temps.push(info);
      return info;
    };
    try {
      const two = scalar(2);
      const doubled = runWasmKernel('Multiply', { a: x, b: two }, {}, backend);
      temps.push(doubled);
      const s = runWasmKernel('Sigmoid', { x: doubled }, {}, backend);
      temps.push(s);
      const scaled = runWasmKernel('Multiply', { a: s, b: two }, {}, backend);
      temps.push(scaled);
      return runWasmKernel('Sub', { a: scaled, b: scalar(1) }, {}, backend);
    } finally {
      disposeInfos(backend, temps);
    }
  };
}
