/** Each kernel we register for wasm, checked against the cpu backend on small tensors. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { Rng } from '../../../../src-main/common/rng';
import { isOurWasmKernel, registerWasmTrainingKernels } from '../../../../src-main/engine/backends/wasm-kernels';
import { defaultTrainingConfig } from '../../../../src-main/common/training-config';
import { buildDiscriminator, buildGenerator } from '../../../../src-main/engine/nets';
import { discriminatorLoss } from '../../../../src-main/engine/objectives/adversarial';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
interface ConvCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
}

const CONV_CASES: ConvCase[] = [
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'valid' },
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'same' },
  { x: [2, 9, 7, 2], filter: [3, 2, 2, 4], strides: 2, pad: 'valid' },
  { x: [2, 8, 8, 3], filter: [4, 4, 3, 5], strides: 2, pad: 'same' },
  { x: [3, 14, 14, 2], filter: [4, 4, 2, 3], strides: 2, pad: 'same' },
  { x: [1, 11, 10, 2], filter: [5, 5, 2, 3], strides: 3, pad: 'same' },
  { x: [2, 10, 10, 2], filter: [3, 3, 2, 4], strides: [3, 2], pad: 'valid' },
  { x: [1, 8, 8, 2], filter: [3, 3, 2, 2], strides: 2, pad: [[0, 0], [2, 1], [0, 3], [0, 0]] },
  // 1×1 kernels: with stride 2 some output positions see no tap at all.
  { x: [2, 5, 6, 3], filter: [1, 1, 3, 4], strides: 1, pad: 'same' },
  { x: [2, 7, 6, 3], filter: [1, 1, 3, 4], strides: 2, pad: 'valid' },
  // Padding wider than the kernel: border outputs see only zeros.
  { x: [2, 6, 5, 2], filter: [3, 3, 2, 3], strides: 1, pad: [[0, 0], [4, 5], [3, 0], [0, 0]] },
  { x: [1, 9, 8, 3], filter: [4, 4, 3, 2], strides: 2, pad: [[0, 0], [5, 3], [6, 6], [0, 0]] },
  // Odd sides, a kernel as large as the image, the DCGAN up-sampling shapes.
  { x: [3, 13, 11, 5], filter: [5, 3, 5, 7], strides: 2, pad: 'same' },
  { x: [2, 4, 4, 3], filter: [4, 4, 3, 2], strides: 1, pad: 'valid' },
  { x: [4, 14, 14, 8], filter: [4, 4, 8, 16], strides: 2, pad: 'same' },
  { x: [4, 28, 28, 1], filter: [4, 4, 1, 8], strides: 2, pad: 'same' },
  // Eight or more input channels take the input gradient's one-convolution-per-phase path.
  { x: [2, 13, 11, 9], filter: [3, 3, 9, 4], strides: 2, pad: 'same' },
  { x: [1, 9, 8, 8], filter: [4, 4, 8, 2], strides: 2, pad: [[0, 0], [5, 3], [6, 6], [0, 0]] },
  { x: [2, 9, 10, 8], filter: [3, 2, 8, 3], strides: [3, 2], pad: 'valid' },
];

function normals(shape: number[], seed: number): tf.Tensor {
  const rng = new Rng(seed);
  return tf.tensor(rng.normals(shape.reduce((a, b) => a * b, 1)), shape);
}

/** Runs `fn` on a backend and returns plain copies of its outputs. */
async function on(backend: 'wasm' | 'cpu', fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const outs = tf.tidy(fn);
  const values = outs.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(outs);
  return values;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return max;
}

async function expectSameOnBothBackends(fn: () => tf.Tensor[], tolerance = 1e-4): Promise<void> {
  const wasm = await on('wasm', fn);
  const cpu = await on('cpu', fn);
  expect(wasm.length).toBe(cpu.length);
  wasm.forEach((w, i) => {
    expect(w.every(Number.isFinite)).toBe(true);
    expect(maxAbsDiff(w, cpu[i] as Float32Array)).toBeLessThan(tolerance);
  });
}

/** Calls `fn` (disposing what it returns) after a warm-up call, and expects the backend to hold no more data than before. */
async function expectNoDataLeak(fn: () => tf.Tensor | tf.Tensor[]): Promise<void> {
  await tf.setBackend('wasm');
  const backend = tf.engine().backend;
  tf.dispose(tf.tidy(fn));
  const before = backend.numDataIds();
  for (let i = 0; i < 3; i++) tf.dispose(tf.tidy(fn));
  expect(backend.numDataIds()).toBe(before);
}

function label(c: ConvCase): string {
  return `x ${c.x.join('x')}, filter ${c.filter.join('x')}, strides ${String(c.strides)}, pad ${JSON.stringify(c.pad)}`;
}

beforeAll(async () => {
  await resolveBackend('wasm');
});

describe('registerWasmTrainingKernels', () => {
  it('supplies the missing filter gradient plus faster kernels, and is idempotent', () => {
    const first = registerWasmTrainingKernels();
    const second = registerWasmTrainingKernels();
    expect(first).toEqual(['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'Tile', 'Sum', 'Mean', 'BatchMatMul', 'Identity', 'LeakyRelu', 'Tanh', 'Slice', 'AvgPoolGrad']);
    expect(second).toEqual(first);
    // Installed, not merely present: tfjs ships all but the filter gradient itself.
    for (const name of first) expect(isOurWasmKernel(name), name).toBe(true);
    expect(isOurWasmKernel('Conv2D')).toBe(false);
  });
});

describe('Conv2DBackpropFilter on wasm matches cpu', () => {
  for (const c of CONV_CASES) {
    it(label(c), async () => {
      await expectSameOnBothBackends(() => {
        const x = normals(c.x, 1);
        const outShape = tf.conv2d(x as tf.Tensor4D, normals(c.filter, 2) as tf.Tensor4D, c.strides, c.pad).shape;
        const dy = normals(outShape, 3);
        const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter };
        const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
        expect(dw.shape).toEqual(c.filter);
        return [dw];
      });
    });
  }
});

describe('Conv2DBackpropInput on wasm matches cpu', () => {
  for (const c of CONV_CASES) {
    it(label(c), async () => {
      await expectSameOnBothBackends(() => {
        const filter = normals(c.filter, 2);
        const outShape = tf.conv2d(normals(c.x, 1) as tf.Tensor4D, filter as tf.Tensor4D, c.strides, c.pad).shape;
        const dy = normals(outShape, 3);
        const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x };
        const dx = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
        expect(dx.shape).toEqual(c.x);
        return [dx];
      });
    });
  }

  it('keeps no temporaries: the backend holds the same data after more calls', async () => {
    for (const c of [CONV_CASES[4]!, CONV_CASES[13]!]) {
      await expectNoDataLeak(() => {
        const filter = normals(c.filter, 2);
        const dy = normals(tf.conv2d(normals(c.x, 1) as tf.Tensor4D, filter as tf.Tensor4D, c.strides, c.pad).shape, 3);
        const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x };
        return tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
      });
    }
  });

  it('conv2dTranspose as the Generator uses it (7 -> 14 -> 28)', async () => {
    await expectSameOnBothBackends(() => {
      const x = normals([2, 7, 7, 6], 4) as tf.Tensor4D;
      const f1 = normals([4, 4, 5, 6], 5) as tf.Tensor4D;
      const f2 = normals([4, 4, 1, 5], 6) as tf.Tensor4D;
      const h = tf.conv2dTranspose(x, f1, [2, 14, 14, 5], 2, 'same');
      return [tf.conv2dTranspose(h, f2, [2, 28, 28, 1], 2, 'same')];
    });
  });
});

describe('Tile on wasm matches cpu', () => {
  it('broadcast-style tile (batch norm gradient)', async () => {
    await expectSameOnBothBackends(() => [tf.tile(normals([1, 1, 1, 5], 7), [3, 4, 2, 1])]);
  });
  it('a general tile still goes through the original kernel', async () => {
    await expectSameOnBothBackends(() => [tf.tile(normals([2, 3], 8), [2, 3])]);
  });
  it('int32 tile', async () => {
    await expectSameOnBothBackends(() => [tf.tile(tf.tensor([[1, 2, 3]], [1, 3], 'int32'), [2, 1]).toFloat()]);
  });
});

describe('LeakyRelu and Tanh on wasm match cpu, values and gradients', () => {
  // Odd sizes, rank 1 to 4, a one-channel image, exact zeros.
  const shapes = [[2, 5, 7, 3], [4, 9], [7], [3, 6, 6, 1]];
  for (const alpha of [0.2, 0.01]) {
    it(`leakyRelu α=${alpha}`, async () => {
      await expectSameOnBothBackends(() =>
        shapes.flatMap((shape, i) => {
          const x = tf.mul(normals(shape, 60 + i), tf.greater(normals(shape, 70 + i), -1).toFloat());
          const dy = normals(shape, 80 + i);
          return [tf.leakyRelu(x, alpha), tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.leakyRelu(v, alpha), dy)))(x)];
        }),
      );
    });
  }

  it('the leakyRelu gradient is dy where x > 0 and α·dy elsewhere (zero included)', async () => {
    const [grad] = await on('wasm', () => [tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.leakyRelu(v, 0.2), tf.tensor([1, 2, 3, 4]))))(tf.tensor([-1, 0, 0.5, 3]))]);
    expect(Array.from(grad!)).toEqual([0.2, 0.4, 3, 4].map(Math.fround));
  });

  it('tanh over [-20, 20], within 3e-7 of cpu, and its gradient', async () => {
    await expectSameOnBothBackends(() => {
      const x = tf.mul(normals([5, 11, 13, 2], 90), 5);
      const wide = tf.linspace(-20, 20, 4001);
      return [tf.tanh(x), tf.tanh(wide), tf.grad((v: tf.Tensor) => tf.sum(tf.tanh(v)))(x)];
    }, 3e-7);
  });

  it('int32 inputs go through the original kernels', async () => {
    await expectSameOnBothBackends(() => [tf.leakyRelu(tf.tensor([-3, 0, 4], [3], 'int32'), 0.5).toFloat()]);
  });

  it('keep no temporaries: the backend holds the same data after more calls', async () => {
    await expectNoDataLeak(() => [tf.leakyRelu(normals([4, 5, 5, 8], 91), 0.2), tf.tanh(normals([4, 5, 5, 8], 92))]);
    await expectNoDataLeak(() => tf.grad((v: tf.Tensor) => tf.sum(tf.leakyRelu(v, 0.2)))(normals([4, 5, 5, 8], 93)));
  });
});

describe('AvgPoolGrad on wasm matches cpu', () => {
  const grad = (shape: number[], size: number | [number, number], strides: number | [number, number], pad: 'valid' | 'same', seed: number) =>
    tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.avgPool(v as tf.Tensor4D, size, strides, pad), normals(tf.avgPool(v as tf.Tensor4D, size, strides, pad).shape, seed + 1))))(normals(shape, seed));
  it('windows that tile the input (2×2, 3×3, 2×3, one channel), and the cases that go through the original kernel', async () => {
    await expectSameOnBothBackends(() => [
      grad([2, 8, 6, 3], 2, 2, 'valid', 110),
      grad([1, 9, 9, 4], 3, 3, 'valid', 112),
      grad([3, 4, 9, 1], [2, 3], [2, 3], 'valid', 114),
      // Overlapping windows, padding, and a remainder row the windows do not reach.
      grad([2, 7, 7, 2], 3, 2, 'same', 116),
      grad([2, 6, 6, 2], 2, 2, 'same', 118),
      grad([2, 7, 6, 2], 2, 2, 'valid', 120),
    ]);
  });

  it('keeps no temporaries', async () => {
    await expectNoDataLeak(() => grad([2, 8, 6, 3], 2, 2, 'valid', 122));
  });
});

describe('Slice on wasm matches cpu', () => {
  it('leading, inner, partial and whole axes, rank 1 to 5, size -1, odd shapes, int32 and bool', async () => {
    await expectSameOnBothBackends(() => {
      const x4 = normals([5, 7, 6, 3], 100);
      const x5 = normals([2, 3, 4, 5, 6], 101);
      return [
        tf.slice(x4, [2, 0, 0, 0], [3, -1, -1, -1]),
        tf.slice(x4, [0, 1, 2, 0], [5, 5, 3, 3]),
        tf.slice(x4, [1, 3, 1, 1], [2, 1, 4, 2]),
        tf.slice(x4, [4, 6, 5, 2], [1, 1, 1, 1]),
        tf.slice(x5, [1, 0, 1, 0, 2], [1, 3, 2, 5, 3]),
        tf.slice(normals([11], 102), [3], [7]),
        tf.slice(normals([128, 3136], 103), [64, 0], [64, -1]),
        tf.slice(tf.range(0, 24, 1, 'int32').reshape([2, 3, 4]), [0, 1, 1], [2, 2, 2]).toFloat(),
        tf.slice(tf.greater(normals([3, 5], 104), 0), [1, 1], [2, 3]).toFloat(),
      ];
    });
  });

  it('its gradient (Pad) too, and it keeps no temporaries', async () => {
    await expectSameOnBothBackends(() => [tf.grad((v: tf.Tensor) => tf.sum(tf.square(tf.slice(v, [1, 2, 0, 1], [3, 4, 6, 2]))))(normals([5, 7, 6, 3], 105))]);
    await expectNoDataLeak(() => tf.slice(normals([5, 7, 6, 3], 106), [1, 2, 0, 1], [3, 4, 6, 2]));
  });
});

describe('Sum and Mean gradients (broadcast on the device) match cpu', () => {
  const x = (): tf.Tensor => normals([3, 4, 5, 6], 33);
  for (const op of ['sum', 'mean'] as const) {
    it(`${op}: over leading, inner, negative and all axes, with keepDims, and differentiated twice`, async () => {
      await expectSameOnBothBackends(() => {
        const w = normals([3, 4, 5, 6], 34);
        const grad = (f: (v: tf.Tensor) => tf.Tensor) => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(f(v), f(v))))(x());
        return [
          grad((v) => tf[op](v, [0, 1, 2])),
          grad((v) => tf[op](v, [1, 2], true)),
          grad((v) => tf[op](v, -1)),
          grad((v) => tf[op](tf.mul(v, w))),
          // Second order, as the gradient penalties take it: the gradient of a gradient norm.
          tf.grad((v: tf.Tensor) => tf.sum(tf.square(tf.grad((u: tf.Tensor) => tf[op](tf.square(tf.mul(u, w)), [0, 1, 2]).sum())(v))))(x()),
        ];
      });
    });
  }
});

describe('Sum and Mean on wasm match cpu', () => {
  const x = (): tf.Tensor => normals([3, 4, 5, 6], 31);
  for (const op of ['sum', 'mean'] as const) {
    it(`${op} over leading axes, with and without keepDims`, async () => {
      await expectSameOnBothBackends(() => [
        tf[op](x(), [0, 1, 2]),
        tf[op](x(), [0, 1, 2], true),
        tf[op](x(), [1, 0]),
        tf[op](normals([500, 7], 32), 0),
      ]);
    });
    it(`${op} over other axes still goes through the original kernel`, async () => {
      await expectSameOnBothBackends(() => [tf[op](x(), [1, 2]), tf[op](x(), -1), tf[op](x()), tf[op](x(), [0, 1, 2, 3], true)]);
    });
  }
  it('sum and mean over millions of rows stay within 1e-5 of Σ|x| of the float64 value, and count ones exactly', async () => {
    await tf.setBackend('wasm');
    for (const rows of [1 << 16, 1 << 20, 3_000_000]) {
      const values = new Rng(5).normals(rows * 3).map((v) => v + 0.5);
      const exact = [0, 0, 0];
      const magnitude = [0, 0, 0];
      values.forEach((v, i) => {
        exact[i % 3] = exact[i % 3]! + v;
        magnitude[i % 3] = magnitude[i % 3]! + Math.abs(v);
      });
      const [sum, mean, ones] = tf.tidy(() => {
        const x = tf.tensor2d(values, [rows, 3]);
        return [tf.sum(x, 0), tf.mean(x, 0), tf.sum(tf.ones([rows, 3]), 0)].map((t) => Array.from(t.dataSync()));
      }) as [number[], number[], number[]];
      for (let c = 0; c < 3; c++) {
        expect(Math.abs(sum[c]! - exact[c]!) / magnitude[c]!, `sum of ${rows} rows`).toBeLessThan(1e-5);
        expect(Math.abs(mean[c]! - exact[c]! / rows) / (magnitude[c]! / rows), `mean of ${rows} rows`).toBeLessThan(1e-5);
      }
      expect(ones).toEqual([rows, rows, rows]);
    }
  });

  it('int32 sum keeps its dtype and exact value', async () => {
    await tf.setBackend('wasm');
    const total = tf.tidy(() => tf.sum(tf.tensor([[1, 2], [3, 4]], [2, 2], 'int32'), 0));
    expect(total.dtype).toBe('int32');
    expect(Array.from(total.dataSync())).toEqual([4, 6]);
    total.dispose();
  });
});

describe('BatchMatMul on wasm matches cpu', () => {
  for (const [transposeA, transposeB] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    it(`transposeA ${transposeA}, transposeB ${transposeB}, rank 2 and 3`, async () => {
      await expectSameOnBothBackends(() => {
        const a2 = normals(transposeA ? [7, 5] : [5, 7], 41);
        const b2 = normals(transposeB ? [3, 7] : [7, 3], 42);
        const a3 = normals(transposeA ? [2, 7, 5] : [2, 5, 7], 43);
        const b3 = normals(transposeB ? [2, 3, 7] : [2, 7, 3], 44);
        return [tf.matMul(a2, b2, transposeA, transposeB), tf.matMul(a3, b3, transposeA, transposeB)];
      });
    });
  }
});

describe('Identity on wasm', () => {
  it('shares the buffer: a clone outlives its source with the same values, and both free cleanly', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const x = tf.tensor([1, 2, 3, 4], [2, 2]);
    const copy = tf.clone(x);
    // One buffer, two tensors.
    expect(copy.dataId).toBe(x.dataId);
    x.dispose();
    expect(Array.from(copy.dataSync())).toEqual([1, 2, 3, 4]);
    copy.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.backend().refCount(x.dataId)).toBe(0);
    const ints = tf.clone(tf.tensor([5, 6], [2], 'int32'));
    expect(ints.dtype).toBe('int32');
    expect(Array.from(ints.dataSync())).toEqual([5, 6]);
    ints.dispose();
  });
});

describe('gradients of conv nets on wasm match cpu', () => {
  it('a tiny conv net: conv stride 2 -> leakyRelu -> conv2dTranspose -> tanh', async () => {
    await expectSameOnBothBackends(() => {
      const x = normals([2, 9, 9, 2], 11) as tf.Tensor4D;
      const f1 = normals([3, 3, 2, 4], 12) as tf.Tensor4D;
      const f2 = normals([4, 4, 3, 4], 13) as tf.Tensor4D;
      const loss = (a: tf.Tensor, w1: tf.Tensor, w2: tf.Tensor): tf.Scalar => {
        const h = tf.leakyRelu(tf.conv2d(a as tf.Tensor4D, w1 as tf.Tensor4D, 2, 'same'), 0.2);
        const y = tf.tanh(tf.conv2dTranspose(h as tf.Tensor4D, w2 as tf.Tensor4D, [2, 10, 10, 3], 2, 'same'));
        return tf.mean(tf.square(y));
      };
      return tf.grads(loss)([x, f1, f2]);
    }, 1e-5);
  });

  it('the DCGAN Discriminator and Generator (batch norm in both) from the same seed', async () => {
    const model = { ...defaultTrainingConfig().model, gWidth: 4, dWidth: 4, dNorm: 'batch' as const };
    const shape = { size: 16, channels: 3 as const, numClasses: 0, latentSize: 8, seed: 5 };
    await expectSameOnBothBackends(() => {
      const generator = buildGenerator(model, shape);
      const discriminator = buildDiscriminator(model, shape);
      try {
        const z = normals([4, 8], 21) as tf.Tensor2D;
        const real = tf.tanh(normals([4, 16, 16, 3], 22)) as tf.Tensor4D;
        const variables = [...generator.trainable.values(), ...discriminator.trainable.values()];
        const { grads } = tf.variableGrads(() => {
          const fake = generator.apply(z, null, true);
          const r = discriminator.apply(real, null, true).logits;
          const f = discriminator.apply(fake, null, true).logits;
          return discriminatorLoss('non-saturating', r, f);
        }, variables);
        // Scaled up so a 1e-4 tolerance is meaningful against gradients around 1e-2.
        return variables.map((v) => tf.mul(grads[v.name] as tf.Tensor, 100));
      } finally {
        generator.dispose();
        discriminator.dispose();
      }
    });
  });
});
