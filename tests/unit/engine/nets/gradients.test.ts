/** Every arch × norm × conditioning trains on wasm: finite gradients for every trainable variable, matching cpu, leak-free. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { buildDiscriminator, buildGenerator, type NetShape } from '../../../../src-main/engine/nets';
import { upsample2 } from '../../../../src-main/engine/nets/resample';
import { disposeAll, expectSameOnBothBackends, on, labelsFor, normals, tinyModel, tinyShape, type Model } from './helpers';

beforeAll(async () => {
  await resolveBackend('wasm');
});

const NORMS = ['none', 'batch', 'layer', 'instance', 'spectral'] as const;
/** Each G and each D conditioning appears once; K = 3 classes when either is on. */
const CONDITIONING = [
  { gConditioning: 'none', dConditioning: 'none' },
  { gConditioning: 'cbn', dConditioning: 'projection' },
  { gConditioning: 'embedding', dConditioning: 'acgan' },
] as const;

/**
 * One loss that reaches every variable of both nets: D on reals and fakes, the ACGAN head's
 * logits, and the features. Returns the gradients by stable name, prefixed g: or d:.
 */
function allGradients(model: Model, shape: NetShape, n = 4): Map<string, tf.Tensor> {
  const g = buildGenerator(model, shape);
  const d = buildDiscriminator(model, shape);
  try {
    const conditional = shape.numClasses >= 2;
    const labels = (): tf.Tensor1D | null => (conditional ? labelsFor(n, shape.numClasses) : null);
    const gLabels = model.gConditioning === 'none' ? null : labels();
    const dLabels = model.dConditioning === 'none' ? null : labels();
    const named = [...[...g.trainable].map(([k, v]) => [`g:${k}`, v] as const), ...[...d.trainable].map(([k, v]) => [`d:${k}`, v] as const)];
    const { value, grads } = tf.variableGrads(() => {
      const real = tf.tanh(normals([n, shape.size, shape.size, shape.channels], 2));
      const fake = g.apply(normals([n, shape.latentSize], 1) as tf.Tensor2D, gLabels, true);
      // Separate calls: batch statistics (BN, minibatch features) should not mix reals and fakes.
      const r = d.apply(real as tf.Tensor4D, dLabels, true);
      const f = d.apply(fake, dLabels, true);
      let loss = tf.add(tf.mean(tf.softplus(tf.neg(r.logits))), tf.mean(tf.softplus(f.logits)));
      loss = tf.add(loss, tf.mul(tf.mean(tf.square(tf.sub(tf.mean(r.features, 0), tf.mean(f.features, 0)))), 0.1));
      if (f.classLogits !== null) loss = tf.add(loss, tf.mean(tf.square(f.classLogits)));
      return loss as tf.Scalar;
    }, named.map(([, v]) => v));
    value.dispose();
    disposeAll([gLabels, dLabels]);
    return new Map(named.map(([k, v]) => [k, grads[v.name] as tf.Tensor]));
  } finally {
    g.dispose();
    d.dispose();
  }
}

function expectAllFinite(grads: Map<string, tf.Tensor>): void {
  const bad = [...grads].filter(([, t]) => t === undefined || !Array.from(t.dataSync()).every(Number.isFinite)).map(([k]) => k);
  expect(bad).toEqual([]);
  // Not all zero either: a disconnected head would get zeros.
  const dead = [...grads].filter(([, t]) => tf.tidy(() => tf.max(tf.abs(t)).dataSync()[0] ?? 0) === 0).map(([k]) => k);
  expect(dead).toEqual([]);
}

describe('finite gradients for every trainable variable on wasm', () => {
  for (const arch of ['dcgan', 'resnet'] as const) {
    for (const norm of NORMS) {
      for (const cond of CONDITIONING) {
        const extras = norm === 'layer' || norm === 'spectral';
        it(`${arch}, ${norm}, G ${cond.gConditioning} / D ${cond.dConditioning}${extras ? ', minibatch stddev + discrimination' : ''}`, () => {
          const model = tinyModel({
            arch,
            gNorm: norm,
            dNorm: norm,
            ...cond,
            minibatchStddev: extras,
            minibatchDiscrimination: { enabled: extras, kernels: 4, kernelDim: 3 },
          });
          const grads = allGradients(model, tinyShape({ numClasses: cond.gConditioning === 'none' ? 0 : 3 }));
          expectAllFinite(grads);
          tf.dispose([...grads.values()]);
        });
      }
    }
  }

  it('28×28×1 (MNIST), dcgan and resnet with batch norm, cbn and projection', () => {
    for (const arch of ['dcgan', 'resnet'] as const) {
      const model = tinyModel({ arch, gNorm: 'batch', dNorm: 'layer', gConditioning: 'cbn', dConditioning: 'projection', minibatchStddev: true });
      const grads = allGradients(model, tinyShape({ size: 28, channels: 1, numClasses: 10 }), 10);
      expectAllFinite(grads);
      tf.dispose([...grads.values()]);
    }
  });
});

describe('upsample2 (ResNet G)', () => {
  it('copies each pixel to a 2×2 block, and its gradient sums each block, on wasm and cpu with batch > 1', async () => {
    const dyValues = Array.from({ length: 2 * 4 * 6 * 3 }, (_, i) => (i * 7) % 11);
    // Reference in plain JS: dx[n,i,j,c] = Σ over the 2×2 block of dy.
    const at = (n: number, i: number, j: number, c: number): number => dyValues[((n * 4 + i) * 6 + j) * 3 + c] ?? Number.NaN;
    const expected: number[] = [];
    for (let n = 0; n < 2; n++) for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let c = 0; c < 3; c++) {
      expected.push(at(n, 2 * i, 2 * j, c) + at(n, 2 * i + 1, 2 * j, c) + at(n, 2 * i, 2 * j + 1, c) + at(n, 2 * i + 1, 2 * j + 1, c));
    }
    for (const backend of ['wasm', 'cpu'] as const) {
      const [up, grad] = await on(backend, () => {
        const x = tf.tensor4d(Array.from({ length: 36 }, (_, i) => i), [2, 2, 3, 3]);
        const dy = tf.tensor4d(dyValues, [2, 4, 6, 3]);
        return [upsample2(x), tf.grad((a: tf.Tensor) => tf.sum(tf.mul(upsample2(a as tf.Tensor4D), dy)))(x)];
      });
      // Row 1, column 3 of sample 1 comes from pixel (0, 1): value 18 + 3 + c.
      expect(up?.[((1 * 4 + 1) * 6 + 3) * 3]).toBe(21);
      expect(Array.from(grad ?? [])).toEqual(expected);
    }
    await tf.setBackend('wasm');
  });
});

describe('gradients on wasm match cpu', () => {
  const cases: [string, Partial<Model>][] = [
    ['dcgan: batch-norm G, spectral D, embedding + ACGAN', { arch: 'dcgan', gNorm: 'batch', dNorm: 'spectral', gConditioning: 'embedding', dConditioning: 'acgan' }],
    ['resnet: cbn G, instance-norm D with projection and minibatch features', { arch: 'resnet', gNorm: 'batch', dNorm: 'instance', gConditioning: 'cbn', dConditioning: 'projection', minibatchStddev: true, minibatchDiscrimination: { enabled: true, kernels: 4, kernelDim: 3 } }],
  ];
  for (const [label, patch] of cases) {
    it(label, async () => {
      await expectSameOnBothBackends(() => {
        const grads = allGradients(tinyModel(patch), tinyShape({ numClasses: 3 }));
        // Scaled so the tolerance is meaningful against gradients around 1e-2.
        return [...grads.values()].map((t) => tf.mul(t, 100));
      }, 2e-4);
    });
  }
});

describe('leak-free training step', () => {
  it('variableGrads over both nets leaves only the gradients', () => {
    const model = tinyModel({ arch: 'resnet', gNorm: 'spectral', dNorm: 'batch', gConditioning: 'cbn', dConditioning: 'acgan' });
    const shape = tinyShape({ numClasses: 3 });
    const g = buildGenerator(model, shape);
    const d = buildDiscriminator(model, shape);
    const vars = [...g.trainable.values(), ...d.trainable.values()];
    const labels = labelsFor(4, 3);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 2; i++) {
      const { value, grads } = tf.variableGrads(() => {
        const out = d.apply(g.apply(normals([4, 8], i) as tf.Tensor2D, labels, true), labels, true);
        return tf.add(tf.mean(out.logits), tf.mean(out.classLogits ?? tf.scalar(0))) as tf.Scalar;
      }, vars);
      expect(tf.memory().numTensors).toBe(before + 1 + vars.length);
      tf.dispose([value, ...Object.values(grads)]);
    }
    expect(tf.memory().numTensors).toBe(before);
    labels.dispose();
    g.dispose();
    d.dispose();
  });
});
