/** Slice for wasm that copies only the slice: wasm's own first copies the whole input out of the heap (readSync). */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelArgs } from './wasm-compose';

/**
 * Copies runs straight between heap views: the innermost axes the slice covers whole, with the
 * first partial one before them, are one contiguous run; an odometer walks the axes outside it.
 * Splitting D's output over reals and fakes ([128, 3136] → two halves) read all of it twice.
 */
export function makeSliceWasm(fallback: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const x = args.inputs['x'];
    if (x === undefined) throw new Error('Slice needs x');
    if (x.dtype === 'string' || x.shape.length === 0) return fallback(args);
    const { begin, size } = args.attrs as unknown as tf.SliceAttrs;
    const [start = [], extent = []] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
    const backend = args.backend as unknown as BackendWasm;
    const out = backend.makeOutput(extent, x.dtype);
    if (tf.util.sizeFromShape(extent) === 0) return out;
    // Views are taken after the output's allocation, which may grow (and so move) the heap.
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(out);
    const rank = x.shape.length;
    const strides = [...tf.util.computeStrides(x.shape), 1];
    let inner = rank - 1;
    while (inner > 0 && start[inner] === 0 && extent[inner] === x.shape[inner]) inner--;
    const run = (extent[inner] ?? 1) * (strides[inner] ?? 1);
    const base = (start[inner] ?? 0) * (strides[inner] ?? 1);
    const index = new Array<number>(inner).fill(0);
    for (let at = 0; at < dst.length; at += run) {
      let offset = base;
      for (let d = 0; d < inner; d++) offset += ((start[d] ?? 0) + index[d]!) * strides[d]!;
      dst.set(src.subarray(offset, offset + run), at);
      for (let d = inner - 1; d >= 0; d--) {
        if (++index[d]! < extent[d]!) break;
        index[d] = 0;
      }
    }
    return out;
  };
}
