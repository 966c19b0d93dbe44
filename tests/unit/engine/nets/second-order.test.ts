/** Second derivatives through D, as WGAN-GP and R1 need them: the gradient configs we add, and every D on wasm against cpu and finite differences. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { buildDiscriminator, registerSecondOrderGradients, type Discriminator } from '../../../../src-main/engine/nets';
import { expectSameOnBothBackends, labelsFor, maxAbsDiff, normals, on, tinyModel, tinyShape, type Model } from './helpers';

beforeAll(async () => {
  await resolveBackend('wasm');
});

describe('registerSecondOrderGradients', () => {
  it('supplies the missing gradient configs once', () => {
    const first = registerSecondOrderGradients();
    expect(first).toEqual(['Greater', 'Less', 'LessEqual', 'Equal', 'NotEqual', 'AvgPoolGrad', 'Conv2DBackpropFilter']);
    expect(registerSecondOrderGradients()).toEqual(first);
  });

  it('comparisons pass a zero gradient to both inputs (float32, in their own shapes), so a mask built from x differentiates', async () => {
    registerSecondOrderGradients();
    const ops: [string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, number[]][] = [
      ['Greater', tf.greater, [0, 0, 1]],
      ['Less', tf.less, [1, 0, 0]],
      ['LessEqual', tf.lessEqual, [1, 1, 0]],
      ['Equal', tf.equal, [0, 1, 0]],
      ['NotEqual', tf.notEqual, [1, 0, 1]],
    ];
    for (const backend of ['wasm', 'cpu'] as const) {
      for (const [name, op, mask] of ops) {
        // f(a, b) = Σ where(op(a, b), 3a, 0) + Σ b: ∂f/∂a = 3·mask and ∂f/∂b = 1 (b [1] broadcast over 3), the comparison adding 0.
        const [ga, gb] = await on(backend, () => {
          const a = tf.tensor1d([1, 2, 3]);
          const b = tf.tensor1d([2]);
          const f = (x: tf.Tensor, y: tf.Tensor): tf.Scalar => tf.add(tf.sum(tf.where(op(x, y), tf.mul(x, 3), tf.zerosLike(x))), tf.sum(y));
          const [da, db] = tf.grads(f)([a, b]);
          expect(da?.dtype).toBe('float32');
          return [da as tf.Tensor, db as tf.Tensor];
        });
        expect(Array.from(ga ?? []), `${name} on ${backend}`).toEqual(mask.map((m) => 3 * m));
        expect(Array.from(gb ?? []), `${name} on ${backend}`).toEqual([1]);
      }
    }
    await tf.setBackend('wasm');
  });

  it('leaves a gradient that is already registered alone and does not claim it', () => {
    registerSecondOrderGradients();
    const ours = tf.getGradient('Greater');
    if (ours === undefined) throw new Error('Greater has no gradient');
    const foreign: tf.GradConfig = { ...ours, gradFunc: ours.gradFunc };
    tf.registerGradient(foreign);
    try {
      expect(registerSecondOrderGradients()).toEqual(['Less', 'LessEqual', 'Equal', 'NotEqual', 'AvgPoolGrad', 'Conv2DBackpropFilter']);
      expect(tf.getGradient('Greater')).toBe(foreign);
    } finally {
      tf.registerGradient(ours);
    }
    expect(registerSecondOrderGradients()).toContain('Greater');
  });

  it('AvgPoolGrad is the adjoint of AvgPool, and its gradient is AvgPool of the incoming gradient', async () => {
    registerSecondOrderGradients();
    for (const backend of ['wasm', 'cpu'] as const) {
      const [lhs, rhs, grad, expected] = await on(backend, () => {
        const x = normals([2, 6, 6, 3], 1);
        const dy = normals([2, 3, 3, 3], 2);
        const r = normals([2, 6, 6, 3], 3);
        const back = (d: tf.Tensor): tf.Tensor => tf.engine().runKernel('AvgPoolGrad', { dy: d, input: x }, { filterSize: 2, strides: 2, pad: 'valid' });
        const pooledR = tf.avgPool(r as tf.Tensor4D, 2, 2, 'valid');
        return [tf.sum(tf.mul(r, back(dy))), tf.sum(tf.mul(pooledR, dy)), tf.grad((d: tf.Tensor) => tf.sum(tf.mul(r, back(d))))(dy), pooledR];
      });
      expect(lhs?.[0]).toBeCloseTo(rhs?.[0] ?? Number.NaN, 4);
      expect(maxAbsDiff(grad as Float32Array, expected as Float32Array)).toBeLessThan(1e-6);
    }
  });

  for (const strides of [1, 2]) {
    it(`Conv2DBackpropFilter (stride ${strides}): ⟨R, dW(x, dy)⟩ = ⟨dy, conv2d(x, R)⟩, gradients included, on wasm and cpu`, async () => {
      registerSecondOrderGradients();
      await expectSameOnBothBackends(() => {
        const x = normals([2, 8, 8, 3], 4);
        const r = normals([4, 4, 3, 5], 5);
        const dy = normals(tf.conv2d(x as tf.Tensor4D, r as tf.Tensor4D, strides, 'same').shape, 6);
        const viaFilter = (a: tf.Tensor, b: tf.Tensor): tf.Scalar =>
          tf.sum(tf.mul(r, tf.engine().runKernel('Conv2DBackpropFilter', { x: a, dy: b }, { strides, pad: 'same', dataFormat: 'NHWC', filterShape: r.shape }) as tf.Tensor));
        const viaConv = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => tf.sum(tf.mul(b, tf.conv2d(a as tf.Tensor4D, r as tf.Tensor4D, strides, 'same')));
        const [gx, gdy] = tf.grads(viaFilter)([x, dy]);
        const [ex, edy] = tf.grads(viaConv)([x, dy]);
        expect(Math.abs((viaFilter(x, dy).dataSync()[0] ?? 0) - (viaConv(x, dy).dataSync()[0] ?? 1))).toBeLessThan(1e-3);
        return [tf.sub(gx as tf.Tensor, ex as tf.Tensor), tf.sub(gdy as tf.Tensor, edy as tf.Tensor), gx as tf.Tensor];
      }, 1e-4);
    });
  }
});

/** ‖∇ₓ D(x)‖² summed over the batch (the R1 / WGAN-GP shape), and its gradients for every D variable. */
function penaltyGradients(d: Discriminator, x: tf.Tensor, labels: tf.Tensor1D | null, training: boolean): { value: tf.Scalar; grads: tf.Tensor[] } {
  const vars = [...d.trainable.values()];
  const { value, grads } = tf.variableGrads(() => {
    const gx = tf.grad((input: tf.Tensor) => tf.sum(d.apply(input as tf.Tensor4D, labels, training).logits))(x);
    return tf.sum(tf.square(gx)) as tf.Scalar;
  }, vars);
  // Variables that only shift the logit (the output bias) or never reach it (the ACGAN head) do not
  // appear in ∇ₓD at all: variableGrads gives null for them, a gradient of exactly zero.
  return { value, grads: vars.map((v) => grads[v.name] ?? tf.zerosLike(v)) };
}

const CASES: [string, Partial<Model>][] = [];
for (const arch of ['dcgan', 'resnet'] as const) {
  for (const dNorm of ['none', 'layer', 'spectral'] as const) CASES.push([`${arch} D, ${dNorm}`, { arch, dNorm }]);
}

describe('second-order gradients through D', () => {
  for (const [label, patch] of CASES) {
    it(`${label}: finite on wasm and equal to cpu`, async () => {
      const shape = tinyShape();
      await expectSameOnBothBackends(() => {
        const d = buildDiscriminator(tinyModel(patch), shape);
        try {
          const { value, grads } = penaltyGradients(d, normals([3, 16, 16, 3], 9), null, true);
          expect(value.dataSync()[0]).toBeGreaterThan(0);
          return [value, ...grads];
        } finally {
          d.dispose();
        }
      }, 2e-4);
    });
  }

  it('every norm, conditioning and minibatch feature differentiates twice on wasm', () => {
    const shape = tinyShape({ numClasses: 3 });
    for (const arch of ['dcgan', 'resnet'] as const) {
      for (const dNorm of ['batch', 'instance'] as const) {
        for (const dConditioning of ['projection', 'acgan'] as const) {
          const model = tinyModel({ arch, dNorm, dConditioning, minibatchStddev: true, minibatchDiscrimination: { enabled: true, kernels: 4, kernelDim: 3 } });
          const d = buildDiscriminator(model, shape);
          tf.tidy(() => {
            const { grads } = penaltyGradients(d, normals([3, 16, 16, 3], 10), labelsFor(3, 3), true);
            expect(grads.every((g) => Array.from(g.dataSync()).every(Number.isFinite))).toBe(true);
          });
          d.dispose();
        }
      }
    }
  });

  /*
   * ReLU nets are only piecewise smooth in the weights: a step that flips a unit's sign changes ∇ₓD
   * by a jump. A one-sample 16×16 net with width 4 has few enough units that these steps cross none.
   */
  const FD_CASES = [
    { arch: 'resnet', dNorm: 'spectral', eps: 1e-4 },
    { arch: 'resnet', dNorm: 'layer', eps: 1e-4 },
    { arch: 'dcgan', dNorm: 'layer', eps: 1e-3 },
  ] as const;
  for (const { eps, ...patch } of FD_CASES) {
    it(`${patch.arch} D, ${patch.dNorm}: d/dε of the penalty along a random direction matches central differences`, () => {
      const d = buildDiscriminator(tinyModel({ ...patch, dWidth: 4 }), tinyShape({ channels: 1 }));
      const vars = [...d.trainable.values()];
      // DCGAN's N(0, 0.02²) init makes ∇ₓD tiny; scaled up, layer norm's ε stops dominating.
      if (patch.arch === 'dcgan') vars.forEach((v) => v.assign(tf.tidy(() => tf.mul(v, 20))));
      // Converged u: the paper's gradient treats u, v as constants, which is exact only at the singular vectors.
      for (let i = 0; i < 100; i++) tf.tidy(() => void d.apply(tf.zeros([1, 16, 16, 1]), null, true));
      const x = normals([1, 16, 16, 1], 11);
      const directions = vars.map((v, i) => normals(v.shape, 100 + i, 0.1));
      const original = vars.map((v) => tf.clone(v));
      // Inference mode: σ's power step does not move u, so the penalty is a fixed function of the weights.
      const penalty = (): number => tf.tidy(() => tf.sum(tf.square(tf.grad((a: tf.Tensor) => tf.sum(d.apply(a as tf.Tensor4D, null, false).logits))(x))).dataSync()[0] ?? 0);
      const shift = (step: number): void => vars.forEach((v, i) => v.assign(tf.tidy(() => tf.add(original[i] as tf.Tensor, tf.mul(directions[i] as tf.Tensor, step)))));
      const analytic = tf.tidy(() => {
        const { grads } = penaltyGradients(d, x, null, false);
        return tf.addN(grads.map((g, i) => tf.sum(tf.mul(g, directions[i] as tf.Tensor)))).dataSync()[0] ?? 0;
      });
      shift(eps);
      const plus = penalty();
      shift(-eps);
      const minus = penalty();
      const numeric = (plus - minus) / (2 * eps);
      expect(Math.abs(analytic)).toBeGreaterThan(1e-3);
      expect(Math.abs(numeric - analytic)).toBeLessThan(0.02 * Math.abs(analytic));
      tf.dispose([x, ...directions, ...original]);
      d.dispose();
    });
  }
});
