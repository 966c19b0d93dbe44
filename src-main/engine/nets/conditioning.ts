/** Class labels in and out of the nets: validation and the one-hot matrix every conditional layer multiplies. */
import * as tf from '@tensorflow/tfjs';

/** Conditioning needs a labelled dataset with at least two classes. */
export function assertClasses(numClasses: number, option: string): void {
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new Error(`${option} needs a dataset with at least 2 classes, this one has ${numClasses}`);
  }
}

/**
 * Labels must come iff the net is conditional: a missing label would silently train an
 * unconditional net, a stray one means the caller misread the config. Only shapes are checked:
 * reading the values back would stall every step on the host. Values are checked where labels
 * enter as numbers (TrainingSession.render; the sampler and the label stream draw them in range).
 */
export function checkLabels(net: string, conditional: boolean, labels: tf.Tensor1D | null, batch: number): void {
  if (!conditional) {
    if (labels !== null) throw new Error(`the ${net} is not class-conditional: pass labels = null`);
    return;
  }
  if (labels === null) throw new Error(`the ${net} is class-conditional: pass integer class labels [N]`);
  if (labels.rank !== 1 || labels.shape[0] !== batch) {
    throw new Error(`the ${net} needs labels of shape [${batch}], got [${labels.shape.join(', ')}]`);
  }
}

/**
 * tf.oneHot turns an out-of-range label into an all-zero row without complaint, so values are
 * checked while they are still plain numbers: a GPU backend (webgpu) cannot read a tensor back synchronously.
 */
export function assertLabelValues(values: ArrayLike<number>, numClasses: number): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isInteger(v) || v < 0 || v >= numClasses) throw new Error(`class label ${v} is not an integer in [0, ${numClasses})`);
  }
}

/** Class labels as the int32 tensor the nets take, checked first (see assertLabelValues). */
export function labelTensor(values: Int32Array, numClasses: number): tf.Tensor1D {
  assertLabelValues(values, numClasses);
  return tf.tensor1d(values, 'int32');
}

/** Float one-hot [N, K]: an embedding lookup as a matmul, whose gradient the wasm backend has (gather's does not). */
export function oneHotLabels(labels: tf.Tensor1D, numClasses: number): tf.Tensor2D {
  const ints = labels.dtype === 'int32' ? labels : tf.cast(labels, 'int32');
  return tf.cast(tf.oneHot(ints, numClasses), 'float32') as tf.Tensor2D;
}
