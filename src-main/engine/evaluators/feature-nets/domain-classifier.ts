/**
 * The in-domain feature network (issue 12): a small CNN the workbench trains once on a dataset with
 * classes, on its training part only, with its accuracy measured on the held-out split. Its 64-d
 * penultimate layer gives the same distances as the general network, and its softmax the class
 * histogram of generated images. On small grey images it tells far more than ImageNet features.
 */
import * as tf from '@tensorflow/tfjs';
import { drawOrder, Rng } from '../../../common/rng';
import type { FeatureNet } from './feature-net';

/** Width of the penultimate layer: the in-domain feature rows. */
export const DOMAIN_FEATURE_DIMS = 64;
/** Images larger than this are brought down to it first: the classifier stays small whatever the dataset's size. */
export const DOMAIN_INPUT_MAX = 32;
/** Steps the training aims at: one epoch of a large dataset, several of a small one (at most MAX_EPOCHS). */
const TARGET_STEPS = 600;
const MAX_EPOCHS = 20;
const BATCH = 64;
const LEARNING_RATE = 1e-3;
/** The layer whose output is the feature row. */
const FEATURE_LAYER = 'features';

export interface ClassifierShape {
  size: number;
  channels: 1 | 3;
  classes: number;
}

/** The side the network sees: the dataset's, or DOMAIN_INPUT_MAX for larger images. */
export function classifierInputSide(size: number): number {
  return Math.min(size, DOMAIN_INPUT_MAX);
}

/** Epochs over `images` training images: enough for about TARGET_STEPS steps, at least one, at most MAX_EPOCHS. */
export function classifierEpochs(images: number): number {
  const stepsPerEpoch = Math.ceil(images / BATCH);
  return Math.max(1, Math.min(MAX_EPOCHS, Math.ceil(TARGET_STEPS / stepsPerEpoch)));
}

/** Two strided 5×5 convolutions, a 64-unit ReLU layer (the features), softmax over the classes; seeded initial weights. */
export function buildDomainClassifier(shape: ClassifierShape, seed: number): tf.LayersModel {
  if (shape.classes < 2) throw new Error(`a classifier needs at least 2 classes, got ${shape.classes}`);
  const side = classifierInputSide(shape.size);
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed * 8 + k });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [side, side, shape.channels], filters: 16, kernelSize: 5, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(1) }),
      tf.layers.conv2d({ filters: 32, kernelSize: 5, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(2) }),
      tf.layers.flatten(),
      tf.layers.dense({ name: FEATURE_LAYER, units: DOMAIN_FEATURE_DIMS, activation: 'relu', kernelInitializer: init(3) }),
      tf.layers.dense({ name: 'classes', units: shape.classes, activation: 'softmax', kernelInitializer: init(4) }),
    ],
  });
}

/** uint8 HWC images back to back → [n, side, side, c] in [-1, 1], the generator's range, resized when larger than the input. */
function toInput(images: tf.Tensor4D, side: number): tf.Tensor4D {
  const [, h] = images.shape;
  return h === side ? images : tf.image.resizeBilinear(images, [side, side], false, true);
}

function pixelsToRange(pixels: Uint8Array, n: number, size: number, channels: number): tf.Tensor4D {
  return tf.tidy(() => tf.sub(tf.div(tf.tensor4d(pixels, [n, size, size, channels], 'float32'), 127.5), 1));
}

export interface ClassifierData {
  /** HWC uint8 images back to back. */
  images: Uint8Array;
  /** Class index per image; an index ≥ classes means no class (skipped). */
  labels: Uint8Array;
  size: number;
  channels: 1 | 3;
  classes: number;
  /** Images it trains on (the training part). */
  train: Int32Array;
  /** Images its accuracy is measured on (the held-out split): never trained on. */
  heldOut: Int32Array;
}

export interface ClassifierTraining {
  epochs: number;
  steps: number;
  trainImages: number;
  /** Share of the held-out images it classifies right. */
  accuracy: number;
  heldOutImages: number;
  /** Per class: the share of its held-out images classified right (null for a class without held-out images). */
  classAccuracy: (number | null)[];
  finalLoss: number;
  /**
   * What the feature rows are multiplied by: one over the root mean square of the raw penultimate
   * activations on (up to FEATURE_SCALE_IMAGES of) the training images. KID's cubic kernel assumes
   * features of order 1, as the general network's are; raw ReLU activations reach tens and give
   * values in the tens of thousands. One constant per classifier keeps its values comparable.
   */
  featureScale: number;
}

const FEATURE_SCALE_IMAGES = 1024;

const labelled = (indices: Int32Array, labels: Uint8Array, classes: number) => indices.filter((i) => labels[i]! < classes);

/** Gathers the images at `indices` into one tensor in [-1, 1]. */
function gather(data: ClassifierData, indices: Int32Array): tf.Tensor4D {
  const per = data.size * data.size * data.channels;
  const pixels = new Uint8Array(indices.length * per);
  indices.forEach((index, k) => pixels.set(data.images.subarray(index * per, (index + 1) * per), k * per));
  return pixelsToRange(pixels, indices.length, data.size, data.channels);
}

/**
 * Trains `model` with Adam on the labelled training images in a seeded order each epoch, then
 * measures it on the labelled held-out images. The same data, seed, backend and thread count give
 * the same weights.
 */
export async function trainDomainClassifier(model: tf.LayersModel, data: ClassifierData, seed: number, onEpoch?: (epoch: number, epochs: number) => void): Promise<ClassifierTraining> {
  const train = labelled(data.train, data.labels, data.classes);
  const heldOut = labelled(data.heldOut, data.labels, data.classes);
  if (train.length < BATCH) throw new Error(`the training part holds ${train.length} images with a class; a classifier needs at least ${BATCH}`);
  if (heldOut.length === 0) throw new Error('the held-out split holds no image with a class: the accuracy could not be measured');
  const side = classifierInputSide(data.size);
  model.compile({ optimizer: tf.train.adam(LEARNING_RATE), loss: 'sparseCategoricalCrossentropy' });
  const epochs = classifierEpochs(train.length);
  const rng = new Rng(seed, 0);
  let steps = 0;
  let finalLoss = NaN;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = drawOrder(rng, train.length);
    // Whole batches only: a last short batch would weigh its few images more than the others.
    for (let start = 0; start + BATCH <= order.length; start += BATCH) {
      const batch = Int32Array.from(order.subarray(start, start + BATCH), (k) => train[k]!);
      const x = tf.tidy(() => toInput(gather(data, batch), side));
      const y = tf.tensor1d(Float32Array.from(batch, (i) => data.labels[i]!));
      try {
        finalLoss = (await model.trainOnBatch(x, y)) as number;
      } finally {
        tf.dispose([x, y]);
      }
      steps++;
    }
    onEpoch?.(epoch + 1, epochs);
  }
  const right = new Array<number>(data.classes).fill(0);
  const seen = new Array<number>(data.classes).fill(0);
  for (let start = 0; start < heldOut.length; start += 256) {
    const chunk = heldOut.subarray(start, start + 256);
    const predicted = tf.tidy(() => (model.predict(toInput(gather(data, chunk), side)) as tf.Tensor2D).argMax(1));
    const values = await predicted.data();
    predicted.dispose();
    chunk.forEach((index, k) => {
      const label = data.labels[index]!;
      seen[label]!++;
      if (values[k] === label) right[label]!++;
    });
  }
  const total = seen.reduce((a, b) => a + b, 0);
  const raw = domainFeatureNet(model, 'unscaled', 0, 1);
  let squares = 0;
  const sample = train.subarray(0, FEATURE_SCALE_IMAGES);
  for (let start = 0; start < sample.length; start += 256) {
    const x = gather(data, sample.subarray(start, start + 256));
    try {
      for (const v of await raw.embed(x)) squares += v * v;
    } finally {
      x.dispose();
    }
  }
  const rms = Math.sqrt(squares / (sample.length * DOMAIN_FEATURE_DIMS));
  return {
    epochs,
    steps,
    trainImages: train.length,
    accuracy: right.reduce((a, b) => a + b, 0) / total,
    heldOutImages: total,
    classAccuracy: seen.map((s, c) => (s === 0 ? null : right[c]! / s)),
    finalLoss,
    featureScale: rms > 0 ? 1 / rms : 1,
  };
}

/** The in-domain network as a FeatureNet, which also gives each image's class probabilities. */
export interface DomainFeatureNet extends FeatureNet {
  readonly classes: number;
  /** Its accuracy on the held-out split, as its training measured it. */
  readonly accuracy: number;
  /** Feature rows and softmax rows (N × classes) of a batch in [-1, 1] at the dataset's size. */
  embedAndClassify(images: tf.Tensor4D): Promise<{ features: Float32Array; probabilities: Float32Array }>;
}

/**
 * Wraps a trained classifier as a feature network. `id` names these weights (e.g. their hash): values
 * measured on two trainings of the classifier do not compare.
 */
export function domainFeatureNet(model: tf.LayersModel, id: string, accuracy: number, featureScale: number): DomainFeatureNet {
  const input = model.inputs[0]!;
  const side = input.shape[1]!;
  const classes = model.outputs[0]!.shape[1]!;
  const both = tf.model({ inputs: input, outputs: [model.getLayer(FEATURE_LAYER).output as tf.SymbolicTensor, model.outputs[0]!] });
  let disposed = false;
  const run = async (images: tf.Tensor4D) => {
    if (disposed) throw new Error('this feature network has been disposed');
    const [features, probabilities] = tf.tidy(() => {
      const [f, p] = both.predict(toInput(images, side)) as tf.Tensor[];
      return [tf.mul(f!, featureScale), p!];
    });
    try {
      return { features: (await features!.data()) as Float32Array, probabilities: (await probabilities!.data()) as Float32Array };
    } finally {
      tf.dispose([features!, probabilities!]);
    }
  };
  return {
    id,
    displayName: `in-domain classifier (${DOMAIN_FEATURE_DIMS}-d, ${(accuracy * 100).toFixed(1)}% held-out accuracy)`,
    measureTag: `in-domain classifier, ${DOMAIN_FEATURE_DIMS}-d`,
    dims: DOMAIN_FEATURE_DIMS,
    preprocessing: `[-1,1]; bilinear to ${side}×${side} (half-pixel centres) when larger; features × ${featureScale.toPrecision(4)} (unit RMS on its training images)`,
    classes,
    accuracy,
    embedAndClassify: run,
    async embed(images) {
      return (await run(images)).features;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      model.dispose();
    },
  };
}
