/** The in-domain classifier on real MNIST and the wasm backend: learns the digits from the training part only, measures itself on held-out digits, gives 64-d features and softmax rows, resizes large images, and leaks nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../../../../../src-main/engine/backends/resolve-backend';
import {
  buildDomainClassifier,
  classifierEpochs,
  classifierInputSide,
  DOMAIN_FEATURE_DIMS,
  domainFeatureNet,
  trainDomainClassifier,
  type ClassifierData,
  type ClassifierTraining,
  type DomainFeatureNet,
} from '../../../../../src-main/engine/evaluators/feature-nets/domain-classifier';
import { readMnist } from '../../../../fixtures/mnist-idx';

const TRAIN = 3000;
const HELD_OUT = 500;

let data: ClassifierData;
let training: ClassifierTraining;
let net: DomainFeatureNet;

beforeAll(async () => {
  await resolveBackend('wasm');
  const mnist = readMnist('train', TRAIN + HELD_OUT);
  data = {
    images: mnist.images,
    labels: Uint8Array.from(mnist.labels),
    size: 28,
    channels: 1,
    classes: 10,
    train: Int32Array.from({ length: TRAIN }, (_, i) => i),
    heldOut: Int32Array.from({ length: HELD_OUT }, (_, i) => TRAIN + i),
  };
  const model = buildDomainClassifier({ size: 28, channels: 1, classes: 10 }, 0);
  training = await trainDomainClassifier(model, data, 0);
  net = domainFeatureNet(model, 'test-classifier', training.accuracy, training.featureScale);
}, 300_000);

afterAll(() => net?.dispose());

/** The images at `indices` as [n, 28, 28, 1] in [-1, 1]. */
function batch(indices: number[]): tf.Tensor4D {
  const pixels = new Float32Array(indices.length * 784);
  indices.forEach((index, k) => {
    for (let p = 0; p < 784; p++) pixels[k * 784 + p] = data.images[index * 784 + p]! / 127.5 - 1;
  });
  return tf.tensor4d(pixels, [indices.length, 28, 28, 1]);
}

describe('the in-domain classifier', () => {
  it('learns MNIST digits from 3000 training images to ≥ 90% accuracy on 500 held-out ones, each class measured', () => {
    // 47 whole batches of 64 per epoch; 600 steps' worth is 13 epochs.
    expect(training.epochs).toBe(classifierEpochs(TRAIN));
    expect(training.epochs).toBe(13);
    expect(training.steps).toBe(13 * Math.floor(TRAIN / 64));
    expect(training.trainImages).toBe(TRAIN);
    expect(training.heldOutImages).toBe(HELD_OUT);
    expect(training.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(training.classAccuracy).toHaveLength(10);
    // The overall accuracy is the held-out images' classes' accuracies weighed by their counts.
    const counts = new Array<number>(10).fill(0);
    for (const i of data.heldOut) counts[data.labels[i]!]!++;
    const weighted = training.classAccuracy.reduce<number>((sum, a, c) => sum + a! * counts[c]!, 0) / HELD_OUT;
    expect(weighted).toBeCloseTo(training.accuracy, 10);
  });

  it('reports the accuracy it measured on held-out images, which matches classifying them again', async () => {
    const indices = Array.from(data.heldOut);
    const x = batch(indices);
    const { probabilities } = await net.embedAndClassify(x);
    x.dispose();
    let right = 0;
    indices.forEach((index, k) => {
      const row = Array.from(probabilities.subarray(k * 10, k * 10 + 10));
      if (row.indexOf(Math.max(...row)) === data.labels[index]) right++;
    });
    expect(right / HELD_OUT).toBe(training.accuracy);
  });

  it('gives 64-d non-negative features (the ReLU layer) and softmax rows summing to 1; embed returns the same features', async () => {
    const x = batch([0, 1, 2, 3, 4]);
    const { features, probabilities } = await net.embedAndClassify(x);
    const again = await net.embed(x);
    x.dispose();
    expect(net.dims).toBe(DOMAIN_FEATURE_DIMS);
    expect(features).toHaveLength(5 * DOMAIN_FEATURE_DIMS);
    expect(Math.min(...features)).toBeGreaterThanOrEqual(0);
    expect([...again]).toEqual([...features]);
    for (let k = 0; k < 5; k++) {
      expect(probabilities.subarray(k * 10, k * 10 + 10).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
  });

  it('scales its features to unit root mean square on the training images, as KID’s kernel assumes', async () => {
    const x = batch(Array.from(data.train.subarray(0, 1024)));
    const rows = await net.embed(x);
    x.dispose();
    const rms = Math.sqrt(rows.reduce((s, v) => s + v * v, 0) / rows.length);
    expect(rms).toBeCloseTo(1, 4);
    expect(training.featureScale).toBeGreaterThan(0);
    // Unseen images land on the same scale, give or take.
    const held = batch(Array.from(data.heldOut));
    const heldRows = await net.embed(held);
    held.dispose();
    expect(Math.sqrt(heldRows.reduce((s, v) => s + v * v, 0) / heldRows.length)).toBeGreaterThan(0.8);
    expect(Math.sqrt(heldRows.reduce((s, v) => s + v * v, 0) / heldRows.length)).toBeLessThan(1.25);
  });

  it('images of the same digit sit closer in its features than images of different digits', async () => {
    const byDigit = (d: number) => Array.from(data.heldOut).filter((i) => data.labels[i] === d).slice(0, 20);
    const x = batch([...byDigit(0), ...byDigit(1)]);
    const rows = await net.embed(x);
    x.dispose();
    const row = (k: number) => rows.subarray(k * 64, k * 64 + 64);
    const dist = (a: Float32Array, b: Float32Array) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0));
    let within = 0;
    let across = 0;
    for (let i = 0; i < 20; i++) {
      for (let j = 0; j < 20; j++) {
        if (i !== j) within += dist(row(i), row(j)) / 380;
        across += dist(row(i), row(20 + j)) / 400;
      }
    }
    expect(across).toBeGreaterThan(1.5 * within);
  });

  it('leaks no tensor per call', async () => {
    const x = batch([0, 1, 2]);
    await net.embedAndClassify(x);
    const before = tf.memory().numTensors;
    const dataIds = tf.engine().backend.numDataIds();
    for (let i = 0; i < 3; i++) await net.embedAndClassify(x);
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.engine().backend.numDataIds()).toBe(dataIds);
    x.dispose();
  });
});

describe('classifier shape rules', () => {
  it('sees images at their size up to 32 px, and larger ones brought down to 32 px', async () => {
    expect(classifierInputSide(28)).toBe(28);
    expect(classifierInputSide(32)).toBe(32);
    expect(classifierInputSide(64)).toBe(32);
    const model = buildDomainClassifier({ size: 64, channels: 3, classes: 3 }, 1);
    expect(model.inputs[0]!.shape).toEqual([null, 32, 32, 3]);
    const large = domainFeatureNet(model, 'large', 0.5, 1);
    const x = tf.zeros([2, 64, 64, 3]) as tf.Tensor4D;
    const { features, probabilities } = await large.embedAndClassify(x);
    x.dispose();
    large.dispose();
    expect(features).toHaveLength(2 * 64);
    expect(probabilities).toHaveLength(2 * 3);
  });

  it('epochs: about 600 steps, at least 1, at most 20', () => {
    expect(classifierEpochs(54_000)).toBe(1);
    expect(classifierEpochs(6400)).toBe(6);
    expect(classifierEpochs(64)).toBe(20);
  });

  it('refuses one class, too few training images and a held-out split without classes', async () => {
    expect(() => buildDomainClassifier({ size: 28, channels: 1, classes: 1 }, 0)).toThrow(/at least 2 classes/);
    const model = buildDomainClassifier({ size: 28, channels: 1, classes: 10 }, 0);
    await expect(trainDomainClassifier(model, { ...data, train: data.train.subarray(0, 63) }, 0)).rejects.toThrow(/holds 63 images with a class; a classifier needs at least 64/);
    const noClass = Uint8Array.from(data.labels);
    for (const i of data.heldOut) noClass[i] = 255;
    await expect(trainDomainClassifier(model, { ...data, labels: noClass }, 0)).rejects.toThrow(/held-out split holds no image with a class/);
    model.dispose();
  });
});
