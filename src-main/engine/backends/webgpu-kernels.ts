/** Registers what training needs on the webgpu backend but tfjs-backend-webgpu 4.22 gets wrong or lacks. */
import * as tf from '@tensorflow/tfjs';

/** Our kernel funcs by name, kept so a second call can recognise its own registrations. */
const ours = new Map<string, tf.KernelFunc>();

/**
 * tfjs-backend-webgpu's AddN binds every input as a storage buffer in one shader, so more than
 * maxStorageBuffersPerShaderStage − 1 inputs (7 on WebGPU's default limits) make an invalid
 * pipeline and, silently, a stale result: a gradient norm over a net's ~10 weights hit that. Sums
 * at most that many at a time, then sums the partial sums.
 */
function makeChunkedAddN(original: tf.KernelFunc): tf.KernelFunc {
  const addN: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const tensors = inputs as unknown as tf.TensorInfo[];
    const limits = (backend as unknown as { device: { limits: { maxStorageBuffersPerShaderStage: number } } }).device.limits;
    const most = Math.max(2, limits.maxStorageBuffersPerShaderStage - 1);
    if (tensors.length <= most) return original({ inputs, backend, attrs });
    const partial: tf.TensorInfo[] = [];
    for (let i = 0; i < tensors.length; i += most) {
      const chunk = tensors.slice(i, i + most);
      partial.push(chunk.length === 1 ? (chunk[0] as tf.TensorInfo) : (addN({ inputs: chunk as unknown as tf.NamedTensorInfoMap, backend, attrs }) as tf.TensorInfo));
    }
    const sum = addN({ inputs: partial as unknown as tf.NamedTensorInfoMap, backend, attrs });
    // Only the partial sums made here are ours to free; a lone trailing input belongs to the caller.
    for (const info of partial) if (!tensors.includes(info)) (backend as tf.KernelBackend).disposeData(info.dataId);
    return sum;
  };
  return addN;
}

function replaceKernel(name: string, make: (original: tf.KernelFunc) => tf.KernelFunc): void {
  const existing = tf.getKernel(name, 'webgpu');
  if (existing === undefined) throw new Error(`webgpu kernel ${name} is not registered: is @tensorflow/tfjs-backend-webgpu loaded?`);
  if (existing.kernelFunc === ours.get(name)) return;
  const kernelFunc = make(existing.kernelFunc);
  tf.unregisterKernel(name, 'webgpu');
  tf.registerKernel({ ...existing, kernelFunc });
  ours.set(name, kernelFunc);
}

/**
 * Idempotent: a second call finds its own kernels in place and changes nothing. Needs
 * tfjs-backend-webgpu imported first (it registers the kernels replaced here). Returns the names
 * of the webgpu kernels this module supplies.
 */
export function registerWebgpuTrainingKernels(): string[] {
  replaceKernel('AddN', makeChunkedAddN);
  return [...ours.keys()];
}
