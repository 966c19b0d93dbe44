/** buildGenerator / buildDiscriminator: shapes at every size, seeded init, stable names, label checks, conditioning, no leaks. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { buildDiscriminator, buildGenerator } from '../../../../src-main/engine/nets';
import { assertLabelValues, checkLabels, labelTensor, oneHotLabels } from '../../../../src-main/engine/nets/conditioning';
import { disposeAll, expectedNormals, labelsFor, maxAbsDiff, normals, tinyModel, tinyShape } from './helpers';

beforeAll(async () => {
  await resolveBackend('wasm');
});

describe('shapes', () => {
  const sizes: [number, 1 | 3, 'dcgan' | 'resnet'][] = [
    [16, 3, 'dcgan'],
    [16, 1, 'resnet'],
    [28, 1, 'dcgan'],
    [28, 3, 'resnet'],
    [32, 3, 'dcgan'],
    [64, 1, 'resnet'],
    [128, 3, 'dcgan'],
  ];
  for (const [size, channels, arch] of sizes) {
    it(`${arch} ${size}×${size}×${channels}: G -> [N,${size},${size},${channels}] in [-1,1]; D -> logits [N], features [N,F]`, () => {
      const model = tinyModel({ arch, gWidth: 4, dWidth: 4 });
      const shape = tinyShape({ size, channels });
      const g = buildGenerator(model, shape);
      const d = buildDiscriminator(model, shape);
      tf.tidy(() => {
        const images = g.apply(normals([3, 8], 1) as tf.Tensor2D, null, true);
        expect(images.shape).toEqual([3, size, size, channels]);
        const values = images.dataSync();
        expect(values.every((v) => v >= -1 && v <= 1)).toBe(true);
        expect(tf.moments(images).variance.dataSync()[0]).toBeGreaterThan(0);
        const out = d.apply(images, null, true);
        expect(out.logits.shape).toEqual([3]);
        expect(out.features.rank).toBe(2);
        expect(out.features.shape[0]).toBe(3);
        expect(out.classLogits).toBeNull();
        expect(Array.from(out.logits.dataSync()).every(Number.isFinite)).toBe(true);
      });
      g.dispose();
      d.dispose();
    });
  }

  it('depth sets the number of blocks: 32 with depth 2 starts at 8×8', () => {
    const model = tinyModel({ depth: 2, dWidth: 4 });
    const d = buildDiscriminator(model, tinyShape({ size: 32 }));
    const features = tf.tidy(() => d.apply(tf.zeros([2, 32, 32, 3]), null, false).features.shape);
    // Two down-blocks: 8×8 × (4·2 channels).
    expect(features).toEqual([2, 8 * 8 * 8]);
    expect([...d.trainable.keys()].filter((k) => k.endsWith('/kernel'))).toEqual(['block1/conv/kernel', 'block2/conv/kernel', 'output/kernel']);
    d.dispose();
    expect(() => buildGenerator(tinyModel({ depth: 4 }), tinyShape({ size: 32 }))).toThrow(/depth 4 does not fit image size 32/);
  });
});

describe('seeded initialization and names', () => {
  const snapshot = (seed: number): Map<string, number[]> => {
    const model = tinyModel({ arch: 'resnet', gNorm: 'spectral', dNorm: 'batch' });
    const g = buildGenerator(model, tinyShape({ seed }));
    const d = buildDiscriminator(model, tinyShape({ seed }));
    const out = new Map<string, number[]>();
    for (const [prefix, net] of [['g', g], ['d', d]] as const) {
      for (const [name, v] of [...net.trainable, ...net.state]) out.set(`${prefix}:${name}`, Array.from(v.dataSync()));
    }
    g.dispose();
    d.dispose();
    return out;
  };

  it('the same seed gives identical weights and state; another seed different ones; each variable its own draw', () => {
    const a = snapshot(11);
    expect(snapshot(11)).toEqual(a);
    const c = snapshot(12);
    expect(c.get('g:block1/conv1/kernel')).not.toEqual(a.get('g:block1/conv1/kernel'));
    // Same shape, different names: with one shared stream these would start equal.
    expect(a.get('g:block2/conv2/kernel')?.slice(0, 8)).not.toEqual(a.get('g:block1/conv2/kernel')?.slice(0, 8));
    expect(a.get('g:block1/conv1/kernel')?.slice(0, 8)).not.toEqual(a.get('d:block1/conv1/kernel')?.slice(0, 8));
  });

  it('names are stable and say where each variable lives', () => {
    const a = snapshot(1);
    expect([...a.keys()]).toEqual(expect.arrayContaining(['g:project/kernel', 'g:block1/conv1/kernel', 'g:block1/conv1/u', 'g:toImage/bias', 'd:block2/norm1/movingMean', 'd:output/kernel']));
  });

  it('DCGAN kernels start ~ N(0, 0.02²) and norm gammas ~ N(1, 0.02²)', () => {
    const g = buildGenerator(tinyModel({ gWidth: 16 }), tinyShape({ size: 32, latentSize: 32 }));
    const kernel = g.trainable.get('project/kernel');
    const gamma = g.trainable.get('project/norm/gamma');
    if (kernel === undefined || gamma === undefined) throw new Error('missing variables');
    const m = tf.tidy(() => [tf.moments(kernel), tf.moments(gamma)].map((x) => [x.mean.dataSync()[0] ?? 0, Math.sqrt(x.variance.dataSync()[0] ?? 0)]));
    expect(Math.abs(m[0]?.[0] ?? 1)).toBeLessThan(0.002);
    expect(m[0]?.[1]).toBeCloseTo(0.02, 2);
    expect(m[1]?.[0]).toBeCloseTo(1, 1);
    g.dispose();
  });
});

describe("the speed benchmark's DCGAN (no norm after the projection)", () => {
  it('G is z·W + b → ReLU → convT → batch norm → ReLU → convT + b → tanh, and D has no norm layers', () => {
    const model = tinyModel({ gWidth: 4, dWidth: 4, gProjectionNorm: false, dNorm: 'none' });
    const shape = tinyShape({ size: 28, channels: 1, latentSize: 6 });
    const g = buildGenerator(model, shape);
    const d = buildDiscriminator(model, shape);
    try {
      expect([...g.trainable.keys()].sort()).toEqual(['block1/convT/kernel', 'block1/norm/beta', 'block1/norm/gamma', 'project/bias', 'project/kernel', 'toImage/bias', 'toImage/kernel']);
      expect([...d.trainable.keys()].sort()).toEqual(['block1/conv/bias', 'block1/conv/kernel', 'block2/conv/bias', 'block2/conv/kernel', 'output/bias', 'output/kernel']);
      const v = (name: string) => g.trainable.get(name) ?? g.state.get(name)!;
      // Move the biases off zero so that a missing one shows.
      for (const name of ['project/bias', 'toImage/bias', 'block1/norm/beta']) tf.tidy(() => v(name).assign(tf.add(v(name), normals(v(name).shape, 5, 0.1))));
      const [got, want] = tf.tidy(() => {
        const z = normals([3, 6], 4) as tf.Tensor2D;
        let h = tf.relu(tf.reshape(tf.add(tf.matMul(z, v('project/kernel') as tf.Tensor2D), v('project/bias')), [3, 7, 7, 8])) as tf.Tensor4D;
        h = tf.conv2dTranspose(h, v('block1/convT/kernel') as tf.Tensor4D, [3, 14, 14, 4], 2, 'same');
        // Inference mode: the moving statistics, still at their start (mean 0, variance 1).
        h = tf.relu(tf.add(tf.mul(tf.div(h, Math.sqrt(1 + 1e-5)), v('block1/norm/gamma')), v('block1/norm/beta')));
        const image = tf.tanh(tf.add(tf.conv2dTranspose(h, v('toImage/kernel') as tf.Tensor4D, [3, 28, 28, 1], 2, 'same'), v('toImage/bias')));
        return [g.apply(z, null, false), image];
      });
      expect(maxAbsDiff(got!.dataSync() as Float32Array, want!.dataSync() as Float32Array)).toBeLessThan(1e-5);
      tf.dispose([got!, want!]);
    } finally {
      g.dispose();
      d.dispose();
    }
  });
});

describe('labels and conditioning', () => {
  const shape = tinyShape({ numClasses: 3 });

  it('labels must be given iff the net is conditional, one per image', () => {
    const plain = buildGenerator(tinyModel(), shape);
    const cond = buildGenerator(tinyModel({ gConditioning: 'cbn' }), shape);
    const d = buildDiscriminator(tinyModel({ dConditioning: 'acgan' }), shape);
    const z = tf.zeros([2, 8]) as tf.Tensor2D;
    const labels = tf.tensor1d([0, 2], 'int32');
    expect(() => plain.apply(z, labels, true)).toThrow(/not class-conditional/);
    expect(() => cond.apply(z, null, true)).toThrow(/is class-conditional/);
    expect(() => labelTensor(Int32Array.from([0, 3]), 3)).toThrow(/class label 3 is not an integer in \[0, 3\)/);
    expect(() => cond.apply(z, tf.tensor1d([0], 'int32'), true)).toThrow(/labels of shape \[2\]/);
    expect(() => d.apply(tf.zeros([2, 16, 16, 3]), null, true)).toThrow(/discriminator is class-conditional/);
    expect(() => buildGenerator(tinyModel({ gConditioning: 'embedding' }), tinyShape())).toThrow(/at least 2 classes/);
    expect(() => buildDiscriminator(tinyModel({ dConditioning: 'projection' }), tinyShape({ numClasses: 1 }))).toThrow(/at least 2 classes/);
    tf.dispose([z, labels]);
    [plain, cond, d].forEach((n) => n.dispose());
  });

  for (const gConditioning of ['cbn', 'embedding'] as const) {
    for (const arch of ['dcgan', 'resnet'] as const) {
      it(`${arch} G with ${gConditioning}: the label changes the image for the same z`, () => {
        const g = buildGenerator(tinyModel({ arch, gConditioning }), shape);
        // Train-mode passes move BN off its init; perturbing γ/β rows makes classes differ for cbn from the start.
        for (const [name, v] of g.trainable) if (name.endsWith('/gamma') || name.endsWith('/beta')) v.assign(tf.tidy(() => tf.add(v, normals(v.shape, 5, 0.3))));
        const diff = tf.tidy(() => {
          const z = tf.tile(normals([1, 8], 2), [3, 1]) as tf.Tensor2D;
          const images = g.apply(z, labelsFor(3, 3), false);
          const [a, b] = tf.split(images, [1, 2]) as [tf.Tensor, tf.Tensor];
          return tf.max(tf.abs(tf.sub(a, tf.slice(b, 0, 1)))).dataSync()[0] ?? 0;
        });
        expect(diff).toBeGreaterThan(1e-4);
        g.dispose();
      });
    }
  }

  it('projection adds ⟨V·onehot(y), φ(x)⟩ to the logit; ACGAN adds [N, K] class logits', () => {
    const proj = buildDiscriminator(tinyModel({ dConditioning: 'projection' }), shape);
    const acgan = buildDiscriminator(tinyModel({ arch: 'resnet', dConditioning: 'acgan' }), shape);
    tf.tidy(() => {
      const x = tf.tile(normals([1, 16, 16, 3], 3), [3, 1, 1, 1]) as tf.Tensor4D;
      const out = proj.apply(x, labelsFor(3, 3), false);
      const v = proj.trainable.get('projection/kernel');
      if (v === undefined) throw new Error('no projection');
      const features = out.features.arraySync()[0] ?? [];
      const rows = v.arraySync() as number[][];
      const logits = Array.from(out.logits.dataSync());
      const dot = (k: number): number => features.reduce((acc, f, j) => acc + f * (rows[k]?.[j] ?? 0), 0);
      // Same image, labels 0, 1, 2: logits differ by exactly the projection terms.
      expect((logits[1] ?? 0) - (logits[0] ?? 0)).toBeCloseTo(dot(1) - dot(0), 4);
      expect((logits[2] ?? 0) - (logits[0] ?? 0)).toBeCloseTo(dot(2) - dot(0), 4);
      expect(acgan.apply(x, labelsFor(3, 3), false).classLogits?.shape).toEqual([3, 3]);
    });
    proj.dispose();
    acgan.dispose();
  });
});

describe('refusals', () => {
  it('G refuses z that is not [N, latentSize], saying what it got', () => {
    const g = buildGenerator(tinyModel(), tinyShape());
    const bad = [tf.zeros([2, 4]), tf.zeros([2, 8, 1]), tf.zeros([8])];
    expect(() => g.apply(bad[0] as tf.Tensor2D, null, true)).toThrow('generator input must be [N, 8], got [2, 4]');
    expect(() => g.apply(bad[1] as tf.Tensor2D, null, true)).toThrow('generator input must be [N, 8], got [2, 8, 1]');
    expect(() => g.apply(bad[2] as tf.Tensor2D, null, true)).toThrow('generator input must be [N, 8], got [8]');
    tf.dispose(bad);
    g.dispose();
  });

  it('D refuses images that are not [N, size, size, channels], whichever dimension is off', () => {
    const d = buildDiscriminator(tinyModel(), tinyShape());
    for (const shape of [
      [2, 16, 16, 3, 1],
      [2, 8, 16, 3],
      [2, 16, 8, 3],
      [2, 16, 16, 1],
    ]) {
      const x = tf.zeros(shape);
      expect(() => d.apply(x as tf.Tensor4D, null, true)).toThrow(`discriminator input must be [N, 16, 16, 3], got [${shape.join(', ')}]`);
      x.dispose();
    }
    d.dispose();
  });

  it('conditioning without classes, and a feature layer D does not have, are refused by name', () => {
    expect(() => buildGenerator(tinyModel({ gConditioning: 'embedding' }), tinyShape())).toThrow('gConditioning "embedding" needs a dataset with at least 2 classes, this one has 0');
    expect(() => buildDiscriminator(tinyModel({ dConditioning: 'projection' }), tinyShape({ numClasses: 1 }))).toThrow(
      'dConditioning "projection" needs a dataset with at least 2 classes, this one has 1',
    );
    expect(() => buildDiscriminator(tinyModel(), tinyShape(), 3)).toThrow('config.stabilizers.featureMatching.layer is 3, but D has 2 blocks at image size 16');
  });

  it('a build that fails half-way disposes the variables it had made', () => {
    const before = tf.memory().numTensors;
    // A negative width fails after the class embedding (G) or the body (D) exist.
    expect(() => buildGenerator(tinyModel({ gConditioning: 'embedding', gWidth: -1 }), tinyShape({ numClasses: 3 }))).toThrow();
    expect(() => buildDiscriminator(tinyModel({ minibatchDiscrimination: { enabled: true, kernels: -1, kernelDim: 3 } }), tinyShape())).toThrow();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('conditioning helpers', () => {
  it('checkLabels wants labels of rank 1 and length N, naming the net', () => {
    const wide = tf.zeros([2, 1], 'int32') as unknown as tf.Tensor1D;
    const long = tf.zeros([3], 'int32') as tf.Tensor1D;
    const right = tf.zeros([2], 'int32') as tf.Tensor1D;
    expect(() => checkLabels('discriminator', true, wide, 2)).toThrow('the discriminator needs labels of shape [2], got [2, 1]');
    expect(() => checkLabels('generator', true, long, 2)).toThrow('the generator needs labels of shape [2], got [3]');
    expect(() => checkLabels('generator', true, right, 2)).not.toThrow();
    expect(() => checkLabels('generator', false, right, 2)).toThrow('the generator is not class-conditional: pass labels = null');
    tf.dispose([wide, long, right]);
  });

  it('label values must be integers in [0, K): negative, fractional and too large ones are refused', () => {
    expect(() => assertLabelValues([0, 2, 1], 3)).not.toThrow();
    expect(() => assertLabelValues([0, -1], 3)).toThrow('class label -1 is not an integer in [0, 3)');
    expect(() => assertLabelValues([0.5], 3)).toThrow('class label 0.5 is not an integer in [0, 3)');
    expect(() => assertLabelValues([1, 3], 3)).toThrow('class label 3 is not an integer in [0, 3)');
    const t = labelTensor(Int32Array.from([2, 0, 1]), 3);
    expect(t.dtype).toBe('int32');
    expect(Array.from(t.dataSync())).toEqual([2, 0, 1]);
    t.dispose();
  });

  it('oneHotLabels gives float [N, K] rows from int32 or float labels', () => {
    const rows = tf.tidy(() =>
      [tf.tensor1d([2, 0, 1], 'int32'), tf.tensor1d([2, 0, 1], 'float32')].map((labels) => {
        const oneHot = oneHotLabels(labels as tf.Tensor1D, 3);
        expect(oneHot.dtype).toBe('float32');
        return oneHot.arraySync();
      }),
    );
    const want = [
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
    ];
    expect(rows).toEqual([want, want]);
  });

  it("the generator's label refusals name it", () => {
    const g = buildGenerator(tinyModel({ gConditioning: 'cbn' }), tinyShape({ numClasses: 3 }));
    const z = tf.zeros([2, 8]) as tf.Tensor2D;
    expect(() => g.apply(z, null, true)).toThrow('the generator is class-conditional: pass integer class labels [N]');
    z.dispose();
    g.dispose();
  });
});

describe("D's feature layer", () => {
  for (const arch of ['dcgan', 'resnet'] as const) {
    it(`${arch}: layer k gives block k's output flattened; the logits do not change with it`, () => {
      const model = tinyModel({ arch });
      const d0 = buildDiscriminator(model, tinyShape());
      const d1 = buildDiscriminator(model, tinyShape(), 1);
      tf.tidy(() => {
        const x = normals([2, 16, 16, 3], 21) as tf.Tensor4D;
        const a = d0.apply(x, null, false);
        const b = d1.apply(x, null, false);
        expect(maxAbsDiff(a.logits.dataSync() as Float32Array, b.logits.dataSync() as Float32Array)).toBe(0);
        // Block 1 halves 16×16 to 8×8 with dWidth (8) channels.
        expect(b.features.shape).toEqual([2, 8 * 8 * 8]);
        if (arch === 'dcgan') {
          const v = (name: string): tf.Tensor => d1.trainable.get(name)!;
          const block1 = tf.leakyRelu(tf.add(tf.conv2d(x, v('block1/conv/kernel') as tf.Tensor4D, 2, 'same'), v('block1/conv/bias')), 0.2);
          expect(maxAbsDiff(b.features.dataSync() as Float32Array, block1.dataSync() as Float32Array)).toBeLessThan(1e-6);
        }
      });
      d0.dispose();
      d1.dispose();
    });
  }
});

describe('variables a checkpoint keys on', () => {
  it('heads, class embedding, minibatch discrimination and the final norm are named after what they are', () => {
    const shape = tinyShape({ numClasses: 3 });
    const g = buildGenerator(tinyModel({ arch: 'resnet', gNorm: 'batch', gConditioning: 'embedding' }), shape);
    const d = buildDiscriminator(tinyModel({ dConditioning: 'acgan', minibatchDiscrimination: { enabled: true, kernels: 4, kernelDim: 3 } }), shape);
    expect([...g.trainable.keys()]).toEqual(expect.arrayContaining(['classEmbedding/kernel', 'final/norm/gamma', 'final/norm/beta']));
    expect(g.trainable.get('classEmbedding/kernel')?.shape).toEqual([3, 8]);
    expect([...g.state.keys()]).toEqual(expect.arrayContaining(['final/norm/movingMean', 'final/norm/movingVariance']));
    expect([...d.trainable.keys()]).toEqual(expect.arrayContaining(['minibatchDiscrimination/T', 'acgan/kernel', 'acgan/bias', 'output/kernel']));
    g.dispose();
    d.dispose();
  });

  it("each net draws from its own scope: a seed's weights are its name's stream in 'generator' or 'discriminator'", () => {
    const shape = tinyShape({ numClasses: 3, seed: 19 });
    const g = buildGenerator(tinyModel({ gConditioning: 'embedding' }), shape);
    const dcgan = buildDiscriminator(tinyModel(), shape);
    const resnet = buildDiscriminator(tinyModel({ arch: 'resnet' }), shape);
    const values = (net: { trainable: ReadonlyMap<string, tf.Variable> }, name: string): number[] => Array.from(net.trainable.get(name)?.dataSync() ?? []);
    expect(values(g, 'project/kernel')).toEqual(expectedNormals(19, 'generator', 'project/kernel', 16 * 4 * 4 * 16, 0.02));
    // The class embedding's rows are N(0, 1), like z beside it.
    expect(values(g, 'classEmbedding/kernel')).toEqual(expectedNormals(19, 'generator', 'classEmbedding/kernel', 3 * 8, 1));
    // DCGAN's D output layer starts at N(0, 0.02²); the ResNet's at Glorot's N(0, 2 / (F + 1)).
    expect(values(dcgan, 'output/kernel')).toEqual(expectedNormals(19, 'discriminator', 'output/kernel', 4 * 4 * 16, 0.02));
    expect(values(resnet, 'output/kernel')).toEqual(expectedNormals(19, 'discriminator', 'output/kernel', 16, Math.sqrt(2 / 17)));
    [g, dcgan, resnet].forEach((n) => n.dispose());
  });
});

describe('no leaked tensors', () => {
  it('apply returns only its outputs; inside tidy the count is unchanged after repeated calls', () => {
    const model = tinyModel({ arch: 'resnet', gNorm: 'batch', dNorm: 'spectral', gConditioning: 'cbn', dConditioning: 'acgan', minibatchStddev: true, minibatchDiscrimination: { enabled: true, kernels: 4, kernelDim: 3 } });
    const shape = tinyShape({ numClasses: 3 });
    const g = buildGenerator(model, shape);
    const d = buildDiscriminator(model, shape);
    const z = normals([4, 8], 1) as tf.Tensor2D;
    const labels = labelsFor(4, 3);
    const before = tf.memory().numTensors;
    const images = g.apply(z, labels, true);
    const out = d.apply(images, labels, true);
    expect(tf.memory().numTensors).toBe(before + 4);
    disposeAll([images, out.logits, out.features, out.classLogits]);
    for (let i = 0; i < 3; i++) {
      tf.tidy(() => {
        d.apply(g.apply(z, labels, i % 2 === 0), labels, i % 2 === 0);
      });
    }
    expect(tf.memory().numTensors).toBe(before);
    const variables = [g, d].reduce((n, net) => n + net.trainable.size + net.state.size, 0);
    tf.dispose([z, labels]);
    g.dispose();
    d.dispose();
    expect(tf.memory().numTensors).toBe(before - 2 - variables);
  });
});
