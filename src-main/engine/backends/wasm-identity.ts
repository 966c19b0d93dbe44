/** Identity for wasm that shares the input's buffer instead of copying it, as the cpu backend's does. */
import type * as tf from '@tensorflow/tfjs';
import type { KernelArgs } from './wasm-compose';

/**
 * tfjs runs Identity each time the gradient tape saves a tensor (every activation of a training
 * step) and for tf.clone; wasm's kernel copies the whole buffer (~9 ms of a width-32 DCGAN step).
 * Tensors are immutable and every kernel writes a fresh output, so sharing the data with one more
 * reference is safe; strings keep the original kernel.
 */
export function makeIdentityWasm(fallback: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const x = args.inputs['x'];
    if (x === undefined) throw new Error('Identity needs x');
    if (x.dtype === 'string') return fallback(args);
    (args.backend as tf.KernelBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
