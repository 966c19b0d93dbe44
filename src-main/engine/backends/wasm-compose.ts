/** Helpers to build a missing wasm kernel out of wasm's own kernels, freeing every intermediate. */
import * as tf from '@tensorflow/tfjs';

export type KernelArgs = Parameters<tf.KernelFunc>[0];

/**
 * Runs one registered wasm kernel directly on tensor infos. Going through the kernel registry
 * rather than tf ops keeps the composed kernel off the gradient tape and out of tidy scopes.
 */
export function runWasmKernel(
  name: string,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
  backend: tf.KernelBackend,
): tf.TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (kernel === undefined) throw new Error(`wasm kernel ${name} is not registered`);
  const out = kernel.kernelFunc({ inputs, attrs, backend });
  // Every kernel used here has exactly one output.
  if (Array.isArray(out)) throw new Error(`wasm kernel ${name} returned several outputs`);
  return out;
}

/** Frees intermediates made by runWasmKernel; they were never seen by the engine's tensor tracking. */
export function disposeInfos(backend: tf.KernelBackend, infos: tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}
