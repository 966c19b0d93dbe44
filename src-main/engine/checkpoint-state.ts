/** The checkpoint shape every session state goes to disk as: JSON meta plus named raw tensors. */
import type * as tf from '@tensorflow/tfjs';

export interface CheckpointTensor {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Float32Array | Int32Array;
}

/** Everything a TrainingSession needs to resume: `meta` is JSON-serializable, `tensors` are raw arrays. */
export interface CheckpointState {
  meta: Record<string, unknown>;
  tensors: CheckpointTensor[];
}

/** Copies a tensor's values now: on the cpu backend data() hands out the live backing array. Async: webgpu reads back only that way. */
export async function snapshotTensor(name: string, t: tf.Tensor): Promise<CheckpointTensor> {
  if (t.dtype === 'int32') return { name, shape: [...t.shape], dtype: 'int32', data: Int32Array.from((await t.data()) as Int32Array) };
  if (t.dtype !== 'float32') throw new Error(`cannot checkpoint ${name}: dtype ${t.dtype}`);
  return { name, shape: [...t.shape], dtype: 'float32', data: Float32Array.from((await t.data()) as Float32Array) };
}
