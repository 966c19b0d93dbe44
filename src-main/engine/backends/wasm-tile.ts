/** Tile for wasm when it is only a broadcast, as batch norm's gradient uses it: one broadcasting multiply. */
import * as tf from '@tensorflow/tfjs';
import { disposeInfos, runWasmKernel, type KernelArgs } from './wasm-compose';

/**
 * wasm's Tile walks every output element with generic index math (~35 ms for a [64,14,14,64]
 * batch-norm gradient); when each repeated axis has length 1, x * ones(outShape) is the same
 * values through XNNPACK's broadcasting multiply. Other tiles go to `fallback`.
 */
export function makeTileWasm(fallback: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { inputs, attrs } = args;
    const backend = args.backend as tf.KernelBackend;
    const x = inputs['x'];
    if (x === undefined) throw new Error('Tile needs x');
    const reps = (attrs as unknown as tf.TileAttrs).reps;
    const isBroadcast = x.dtype === 'float32' && x.shape.every((d, i) => d === 1 || (reps[i] ?? 1) === 1);
    if (!isBroadcast) return fallback(args);
    const outShape = x.shape.map((d, i) => d * (reps[i] ?? 1));
    const ones = runWasmKernel('Fill', {}, { shape: outShape, value: 1, dtype: 'float32' }, backend);
    try {
      return runWasmKernel('Multiply', { a: x, b: ones }, {}, backend);
    } finally {
      disposeInfos(backend, [ones]);
    }
  };
}
