/** Wall time per kernel of one backend, measured by wrapping every registered kernel: where a training step's time goes. */
import * as tf from '@tensorflow/tfjs';

export interface KernelCost {
  /** The kernel's name, with its input shapes when profiled `byShape`. */
  key: string;
  calls: number;
  /** Time inside the kernel minus the kernels it ran itself (our composed kernels call wasm's). */
  selfMs: number;
  /** Time inside the kernel, including the kernels it ran. */
  totalMs: number;
}

export interface ProfileOptions {
  /** Key every call by its input shapes too ("Conv2D x[64,14,14,32] filter[4,4,32,64]"). */
  byShape?: boolean;
}

function shapeKey(name: string, inputs: tf.NamedTensorInfoMap): string {
  const shapes = Object.entries(inputs)
    .filter(([, t]) => t !== undefined)
    .map(([k, t]) => `${k}[${t!.shape.join(',')}]`);
  return `${name} ${shapes.join(' ')}`;
}

/**
 * Runs `fn` with every kernel of `backendName` wrapped in a timer and puts the kernels back after,
 * even when `fn` throws; `fn` may be async (a training step is). Kernels are synchronous on wasm and cpu, so wall time is their cost; on
 * an asynchronous backend this times only the dispatch. Most expensive first.
 */
export async function profileKernels<T>(backendName: string, fn: () => T | Promise<T>, options: ProfileOptions = {}): Promise<{ result: T; costs: KernelCost[] }> {
  const originals = tf.getKernelsForBackend(backendName);
  const costs = new Map<string, KernelCost>();
  /** Time spent in kernels called by the kernel running at each depth. */
  const childMs: number[] = [];
  const swap = (config: tf.KernelConfig): void => {
    tf.unregisterKernel(config.kernelName, backendName);
    tf.registerKernel(config);
  };
  for (const original of originals) {
    const run = original.kernelFunc;
    swap({
      ...original,
      kernelFunc: (args) => {
        childMs.push(0);
        const t0 = performance.now();
        try {
          return run(args);
        } finally {
          const ms = performance.now() - t0;
          const inner = childMs.pop() ?? 0;
          if (childMs.length > 0) childMs[childMs.length - 1]! += ms;
          const key = options.byShape ? shapeKey(original.kernelName, args.inputs) : original.kernelName;
          const cost = costs.get(key) ?? { key, calls: 0, selfMs: 0, totalMs: 0 };
          cost.calls += 1;
          cost.selfMs += ms - inner;
          cost.totalMs += ms;
          costs.set(key, cost);
        }
      },
    });
  }
  try {
    const result = await fn();
    return { result, costs: [...costs.values()].sort((a, b) => b.selfMs - a.selfMs) };
  } finally {
    for (const original of originals) swap(original);
  }
}
