/** Rebuilds functional-net layers as tf.layers with the trained (inference-mode) weights, for a standard LayersModel. */
import * as tf from '@tensorflow/tfjs';
import { inferenceKernel } from '../nets/layers';
import { NORM_EPS, type NormKind } from '../nets/normalization';
import { PIXEL_NORM_EPS } from '../nets/pixel-norm';
import { requireVariable } from '../nets/params';
import type { NetParams } from '../nets/types';

type Sym = tf.SymbolicTensor;

/**
 * Each method adds one layer named after the variable it reads, applies it, and loads its weights.
 * Bias and spectral norm are read from the net itself (a `…/bias` variable, a `…/u` state), so the
 * export cannot disagree with how the net was built.
 */
export class LayerBuilder {
  constructor(
    private readonly net: NetParams,
    /** The [N, 1] class-label input when the model is conditional. */
    private readonly label: Sym | null,
  ) {}

  dense(x: Sym, name: string): Sym {
    const kernel = inferenceKernel(this.net, name, 'dense');
    const bias = this.net.trainable.get(`${name}/bias`);
    const layer = tf.layers.dense({ name: layerName(name), units: kernel.shape[1] ?? 0, useBias: bias !== undefined });
    return this.load(layer, x, [kernel, ...(bias === undefined ? [] : [bias])], [kernel]);
  }

  /** k×k stride-1 or stride-2 'same' convolution. */
  conv(x: Sym, name: string, strides: number): Sym {
    const kernel = inferenceKernel(this.net, name, 'conv');
    const [k = 0, , , filters = 0] = kernel.shape;
    const bias = this.net.trainable.get(`${name}/bias`);
    const layer = tf.layers.conv2d({ name: layerName(name), filters, kernelSize: k, strides, padding: 'same', useBias: bias !== undefined });
    return this.load(layer, x, [kernel, ...(bias === undefined ? [] : [bias])], [kernel]);
  }

  /** DCGAN's stride-2 transposed convolution. */
  convTranspose(x: Sym, name: string): Sym {
    const kernel = inferenceKernel(this.net, name, 'convTranspose');
    const [k = 0, , filters = 0] = kernel.shape;
    const bias = this.net.trainable.get(`${name}/bias`);
    const layer = tf.layers.conv2dTranspose({ name: layerName(name), filters, kernelSize: k, strides: 2, padding: 'same', useBias: bias !== undefined });
    return this.load(layer, x, [kernel, ...(bias === undefined ? [] : [bias])], [kernel]);
  }

  /** The [N, D] rows of a one-hot-matmul embedding, as a Keras Embedding lookup. */
  embedding(name: string): Sym {
    if (this.label === null) throw new Error(`${name} needs the label input`);
    const table = requireVariable(this.net.trainable, `${name}/kernel`);
    const [k = 0, d = 0] = table.shape;
    const layer = tf.layers.embedding({ name: layerName(name), inputDim: k, outputDim: d });
    const rows = this.load(layer, this.label, [table], []);
    return tf.layers.flatten({ name: layerName(`${name}/flatten`) }).apply(rows) as Sym;
  }

  /**
   * Inference-mode norm: BatchNormalization with the moving statistics, or LayerNormalization over
   * [H,W,C] (layer) / [H,W] (instance) followed by the per-channel γ, β: a 1×1 depthwise conv when
   * they are shared, per-class Embedding rows multiplied and added when conditional.
   */
  norm(x: Sym, name: string, kind: NormKind): Sym {
    if (kind === 'none') return x;
    const gamma = requireVariable(this.net.trainable, `${name}/gamma`);
    const beta = requireVariable(this.net.trainable, `${name}/beta`);
    const conditional = gamma.rank === 2;
    const c = gamma.shape[gamma.rank - 1] ?? 0;
    if (kind === 'batch') {
      const stats = [requireVariable(this.net.state, `${name}/movingMean`), requireVariable(this.net.state, `${name}/movingVariance`)];
      const layer = tf.layers.batchNormalization({ name: layerName(name), epsilon: NORM_EPS, center: !conditional, scale: !conditional });
      return conditional ? this.classAffine(this.load(layer, x, stats, []), name, c) : this.load(layer, x, [gamma, beta, ...stats], []);
    }
    const axis = kind === 'layer' ? [1, 2, 3] : [1, 2];
    const h = tf.layers.layerNormalization({ name: layerName(name), axis, epsilon: NORM_EPS, center: false, scale: false }).apply(x) as Sym;
    if (conditional) return this.classAffine(h, name, c);
    const affine = tf.layers.depthwiseConv2d({ name: layerName(`${name}/affine`), kernelSize: 1, depthMultiplier: 1, useBias: true });
    const kernel = tf.reshape(gamma, [1, 1, c, 1]);
    return this.load(affine, h, [kernel, beta], [kernel]);
  }

  relu(x: Sym): Sym {
    return tf.layers.reLU().apply(x) as Sym;
  }

  leakyRelu(x: Sym, alpha: number): Sym {
    return tf.layers.leakyReLU({ alpha }).apply(x) as Sym;
  }

  /** Channel concatenation (NHWC's last axis): the U-Net's skips. */
  concatChannels(xs: Sym[], name: string): Sym {
    return tf.layers.concatenate({ name: layerName(name), axis: -1 }).apply(xs) as Sym;
  }

  /**
   * Pixel norm x / √(mean_c x² + ε) from standard layers (no custom layer, so plain tfjs and the
   * ONNX translation load it): LayerNormalization over the channels of [x, −x], whose mean is 0 and
   * whose variance is mean_c x², then a fixed 1×1 conv that keeps the first half.
   */
  pixelNorm(x: Sym, name: string): Sym {
    const c = x.shape[3] ?? 0;
    const negKernel = tf.fill([1, 1, c, 1], -1);
    const neg = this.load(tf.layers.depthwiseConv2d({ name: layerName(`${name}/negate`), kernelSize: 1, depthMultiplier: 1, useBias: false }), x, [negKernel], [negKernel]);
    const both = tf.layers.concatenate({ name: layerName(`${name}/both`), axis: -1 }).apply([x, neg]) as Sym;
    const normed = tf.layers.layerNormalization({ name: layerName(name), axis: -1, epsilon: PIXEL_NORM_EPS, center: false, scale: false }).apply(both) as Sym;
    const pick = tf.tidy(() => tf.reshape(tf.concat([tf.eye(c), tf.zeros([c, c])], 0), [1, 1, 2 * c, c]));
    return this.load(tf.layers.conv2d({ name: layerName(`${name}/first`), filters: c, kernelSize: 1, useBias: false }), normed, [pick], [pick]);
  }

  private classAffine(x: Sym, name: string, c: number): Sym {
    const perClass = (what: 'gamma' | 'beta'): Sym => {
      if (this.label === null) throw new Error(`${name} is conditional but the model has no label input`);
      const table = requireVariable(this.net.trainable, `${name}/${what}`);
      const layer = tf.layers.embedding({ name: layerName(`${name}/${what}`), inputDim: table.shape[0] ?? 0, outputDim: c });
      const rows = this.load(layer, this.label, [table], []);
      return tf.layers.reshape({ name: layerName(`${name}/${what}/reshape`), targetShape: [1, 1, c] }).apply(rows) as Sym;
    };
    const scaled = tf.layers.multiply({ name: layerName(`${name}/scale`) }).apply([x, perClass('gamma')]) as Sym;
    return tf.layers.add({ name: layerName(`${name}/shift`) }).apply([scaled, perClass('beta')]) as Sym;
  }

  /** Applies the layer (which builds it), then writes the weights; `temporaries` are freed after the copy. */
  private load(layer: tf.layers.Layer, x: Sym, weights: tf.Tensor[], temporaries: tf.Tensor[]): Sym {
    const out = layer.apply(x) as Sym;
    try {
      layer.setWeights(weights);
    } finally {
      tf.dispose(temporaries);
    }
    return out;
  }
}

/** Layer names may not contain '/', which tfjs uses to scope weight names. */
export function layerName(name: string): string {
  return name.replaceAll('/', '_');
}
