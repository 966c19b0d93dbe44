/** Registers the kernels that DCGAN training needs on the wasm backend but tfjs-backend-wasm 4.22 lacks or runs slowly. */
import * as tf from '@tensorflow/tfjs';
// Loading the backend registers its kernels first, so the replacements below find the originals.
import '@tensorflow/tfjs-backend-wasm';
import { registerFastGradients } from './fast-gradients';
import { makeLeakyReluWasm, makeTanhWasm } from './wasm-activations';
import { makeAvgPoolGradWasm } from './wasm-avg-pool-grad';
import { makeSliceWasm } from './wasm-slice';
import { makeConv2DBackpropInputWasm } from './wasm-conv-input-grad';
import { makeIdentityWasm } from './wasm-identity';
import { conv2DBackpropFilterWasm } from './wasm-conv-filter-grad';
import { makeBatchMatMulWasm } from './wasm-matmul';
import { makeLeadingReduceWasm } from './wasm-reduce';
import { makeTileWasm } from './wasm-tile';

/** Our kernel funcs by name, kept so a second call can recognise its own registrations. */
const ours = new Map<string, tf.KernelFunc>();

/** Missing from wasm: without it no conv layer can compute its weight gradient. */
function supplyConv2DBackpropFilter(): void {
  const name = 'Conv2DBackpropFilter';
  // Already ours, or a future tfjs ships it natively: either way leave it.
  if (tf.getKernel(name, 'wasm') !== undefined) return;
  tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: conv2DBackpropFilterWasm });
  ours.set(name, conv2DBackpropFilterWasm);
}

/**
 * Replaces a wasm kernel that exists but is far slower than XNNPACK for training's shapes; the
 * original stays as the fallback (its setupFunc binds the native entry point the fallback calls).
 */
function replaceSlowKernel(name: string, make: (fallback: tf.KernelFunc) => tf.KernelFunc): void {
  const existing = tf.getKernel(name, 'wasm');
  if (existing === undefined || existing.kernelFunc === ours.get(name)) return;
  const kernelFunc = make(existing.kernelFunc);
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...existing, kernelFunc });
  ours.set(name, kernelFunc);
}

/**
 * Idempotent: a second call finds its own kernels in place and changes nothing.
 * Returns the names of the wasm kernels this module supplies (registered now or by an earlier call).
 */
export function registerWasmTrainingKernels(): string[] {
  supplyConv2DBackpropFilter();
  // A scalar C++ loop in wasm; it is the Generator's whole forward pass (conv2dTranspose) and every
  // conv's input gradient, and took ~60% of a DCGAN step before this.
  replaceSlowKernel('Conv2DBackpropInput', makeConv2DBackpropInputWasm);
  // Batch norm's gradient tiles its per-channel scale to the full activation shape.
  replaceSlowKernel('Tile', makeTileWasm);
  // Batch-norm statistics and bias gradients reduce over N, H, W, which wasm transposes first.
  replaceSlowKernel('Sum', makeLeadingReduceWasm('sum'));
  replaceSlowKernel('Mean', makeLeadingReduceWasm('mean'));
  // Dense-layer gradients multiply by transposed operands, wasm's slow path.
  replaceSlowKernel('BatchMatMul', makeBatchMatMulWasm);
  // The gradient tape clones every tensor it saves; wasm copied each one.
  replaceSlowKernel('Identity', makeIdentityWasm);
  // Scalar C loops in wasm; XNNPACK has PReLU and sigmoid. D's activation and G's output.
  replaceSlowKernel('LeakyRelu', makeLeakyReluWasm);
  replaceSlowKernel('Tanh', makeTanhWasm);
  // wasm's copies the whole input out of the heap before taking the part it needs.
  replaceSlowKernel('Slice', makeSliceWasm);
  // ResNet D's 2×2 down-sampling gradient: a scalar loop in wasm.
  replaceSlowKernel('AvgPoolGrad', makeAvgPoolGradWasm);
  // LeakyRelu's gradient as Step · dy, off wasm's scalar Greater and Select.
  registerFastGradients();
  return [...ours.keys()];
}

/** Whether the kernel tfjs would run for `name` on wasm is ours (not tfjs's original, nor a later replacement). */
export function isOurWasmKernel(name: string): boolean {
  const kernelFunc = ours.get(name);
  return kernelFunc !== undefined && tf.getKernel(name, 'wasm')?.kernelFunc === kernelFunc;
}
