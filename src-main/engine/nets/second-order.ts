/** Gradient configs tfjs-core 4.22 lacks, so WGAN-GP (Gulrajani et al. 2017) and R1 (Mescheder et al. 2018) can differentiate D's input gradient. */
import * as tf from '@tensorflow/tfjs';

type Saved = tf.Tensor[];

/** Piecewise-constant outputs: zero gradient, in float32 as the tape requires even for int inputs. */
function comparison(kernelName: string): tf.GradConfig {
  return {
    kernelName,
    inputsToSave: ['a', 'b'],
    gradFunc: (_dy: tf.Tensor | tf.Tensor[], saved: Saved) => {
      const [a, b] = saved as [tf.Tensor, tf.Tensor];
      return { a: () => tf.zeros(a.shape, 'float32'), b: () => tf.zeros(b.shape, 'float32') };
    },
  };
}

/** AvgPoolGrad(dy) = Aᵀ·dy for the pooling map A, so its own gradient is A applied to the incoming gradient. */
const avgPoolGrad: tf.GradConfig = {
  kernelName: 'AvgPoolGrad',
  inputsToSave: ['dy', 'input'],
  gradFunc: (ddx: tf.Tensor | tf.Tensor[], saved: Saved, attrs?: tf.NamedAttrMap) => {
    const [, input] = saved as [tf.Tensor, tf.Tensor];
    const { filterSize, strides, pad } = attrs as unknown as tf.AvgPoolGradAttrs;
    return {
      dy: () => tf.avgPool(ddx as tf.Tensor4D, filterSize, strides, pad as 'valid' | 'same' | number),
      input: () => tf.zeros(input.shape, 'float32'),
    };
  },
};

/**
 * dW = F(x, dy) is bilinear with ⟨R, dW⟩ = ⟨dy, conv2d(x, R)⟩ = ⟨x, conv2dBackpropInput(dy, R)⟩.
 * Needed only when a loss differentiates a weight gradient (not by GP or R1), but cheap to have.
 */
const conv2DBackpropFilterGrad: tf.GradConfig = {
  kernelName: 'Conv2DBackpropFilter',
  inputsToSave: ['x', 'dy'],
  gradFunc: (ddw: tf.Tensor | tf.Tensor[], saved: Saved, attrs?: tf.NamedAttrMap) => {
    const [x, dy] = saved as [tf.Tensor4D, tf.Tensor4D];
    const { strides, pad, dataFormat, dimRoundingMode } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const format = dataFormat as 'NHWC' | 'NCHW';
    const padding = pad as 'valid' | 'same' | number;
    return {
      x: () => tf.conv2dTranspose(dy, ddw as tf.Tensor4D, x.shape, strides, padding, dimRoundingMode) as tf.Tensor,
      dy: () => tf.conv2d(x, ddw as tf.Tensor4D, strides, padding, format, 1, dimRoundingMode),
    };
  },
};

const CONFIGS: tf.GradConfig[] = [
  ...['Greater', 'Less', 'LessEqual', 'Equal', 'NotEqual'].map(comparison),
  avgPoolGrad,
  conv2DBackpropFilterGrad,
];

/**
 * Idempotent and backend-independent. Leaves any gradient tfjs already has alone (a future
 * version may ship these). Returns the kernel names whose gradients this module supplies.
 */
export function registerSecondOrderGradients(): string[] {
  const ours: string[] = [];
  for (const config of CONFIGS) {
    const existing = tf.getGradient(config.kernelName);
    if (existing === undefined || existing === null) tf.registerGradient(config);
    if (tf.getGradient(config.kernelName) === config) ours.push(config.kernelName);
  }
  return ours;
}
