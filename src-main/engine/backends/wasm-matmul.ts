/** BatchMatMul for wasm that transposes operands explicitly: wasm's transposed-operand path is ~6x slower. */
import * as tf from '@tensorflow/tfjs';
import { disposeInfos, runWasmKernel, type KernelArgs } from './wasm-compose';

/**
 * Dense-layer gradients are x^T·dy and dy·W^T. wasm computes those ~20 ms for a [64,64]x[64,6272]
 * product against ~3 ms untransposed, and a transpose of either operand costs ~2 ms, so the
 * operands are transposed first and `fallback` runs the plain product.
 */
export function makeBatchMatMulWasm(fallback: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { inputs, attrs } = args;
    const backend = args.backend as tf.KernelBackend;
    const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
    const a = inputs['a'];
    const b = inputs['b'];
    if (a === undefined || b === undefined) throw new Error('BatchMatMul needs a and b');
    if ((!transposeA && !transposeB) || a.dtype !== 'float32' || b.dtype !== 'float32') return fallback(args);
    const temps: tf.TensorInfo[] = [];
    const swapLastTwo = (t: tf.TensorInfo): tf.TensorInfo => {
      const rank = t.shape.length;
      const perm = [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];
      const out = runWasmKernel('Transpose', { x: t }, { perm }, backend);
      temps.push(out);
      return out;
    };
    try {
      const a2 = transposeA ? swapLastTwo(a) : a;
      const b2 = transposeB ? swapLastTwo(b) : b;
      return fallback({ inputs: { a: a2, b: b2 }, attrs: { ...attrs, transposeA: false, transposeB: false }, backend });
    } finally {
      disposeInfos(backend, temps);
    }
  };
}
