/** buildUnet / unetDepth: depth rules, shapes, tanh range, every skip connection wired and local, seeded names, spectral state, no leaks. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { buildUnet, unetDepth, type Translator, type TranslatorOptions } from '../../../../src-main/engine/nets';
import { requireVariable } from '../../../../src-main/engine/nets/params';
import { normals } from './helpers';

beforeAll(async () => {
  await resolveBackend('wasm');
});

function options(patch: Partial<TranslatorOptions> = {}): TranslatorOptions {
  return { size: 16, inChannels: 3, outChannels: 3, width: 4, depth: null, norm: 'batch', spectral: false, seed: 5, name: 'generator', ...patch };
}

function zero(net: Translator, name: string): void {
  const v = requireVariable(net.trainable, name);
  v.assign(tf.zerosLike(v));
}

/** The layer that reads encoder level k's skip: up_{depth−1−k}, the output layer for k = 0. */
function skipReader(depth: number, k: number): string {
  return k === 0 ? 'out/deconv/kernel' : `up${depth - 1 - k}/deconv/kernel`;
}

/** Zeroes the skip half of a decoder kernel [4, 4, out, in]: its input is [decoded, skip] on channels. */
function cutSkip(net: Translator, kernelName: string): void {
  const v = requireVariable(net.trainable, kernelName);
  const [k = 0, , out = 0, inCh = 0] = v.shape;
  const half = inCh / 2;
  tf.tidy(() => v.assign(tf.mul(v, tf.concat([tf.ones([k, k, out, half]), tf.zeros([k, k, out, half])], 3))));
}

/** One image with pixel (row, col) raised by `delta` in every channel. */
function poke(x: tf.Tensor4D, row: number, col: number, delta: number): tf.Tensor4D {
  const [, s = 0, , c = 0] = x.shape;
  const buffer = tf.buffer([1, s, s, c], 'float32');
  for (let ch = 0; ch < c; ch++) buffer.set(delta, 0, row, col, ch);
  return tf.add(x, buffer.toTensor());
}

describe('unetDepth', () => {
  it('defaults to halving while the side is even and at least 4: a 2×2 bottleneck for powers of two, 7×7 at 28', () => {
    expect(unetDepth(16, null)).toBe(3);
    expect(unetDepth(28, null)).toBe(2);
    expect(unetDepth(32, null)).toBe(4);
    expect(unetDepth(64, null)).toBe(5);
    expect(unetDepth(256, null)).toBe(7);
    expect(unetDepth(6, null)).toBe(1);
  });

  it('takes an explicit depth down to a 1×1 bottleneck and refuses one whose sides would go odd, naming size and depth', () => {
    expect(unetDepth(16, 4)).toBe(4);
    expect(unetDepth(256, 8)).toBe(8);
    expect(unetDepth(28, 1)).toBe(1);
    expect(() => unetDepth(28, 3)).toThrow('U-Net depth 3 does not fit image size 28: each stride-2 layer needs an even side, so size / 2^depth must be an integer (28 / 8 = 3.5); allowed depths: 1 to 2');
    expect(() => unetDepth(16, 5)).toThrow(/U-Net depth 5 does not fit image size 16.*allowed depths: 1 to 4/);
    expect(() => unetDepth(16, 0)).toThrow('U-Net depth must be an integer of at least 1, got 0');
    expect(() => unetDepth(16, 1.5)).toThrow('U-Net depth must be an integer of at least 1, got 1.5');
    expect(() => unetDepth(7, null)).toThrow(/image size 7 is too small or odd/);
    expect(() => unetDepth(7, 1)).toThrow(/allowed depths: none/);
  });

  it('buildUnet refuses the same, and a bad input shape, without leaking variables', () => {
    const before = tf.memory().numTensors;
    expect(() => buildUnet(options({ size: 28, depth: 3 }))).toThrow(/U-Net depth 3 does not fit image size 28/);
    expect(() => buildUnet(options({ width: 0 }))).toThrow('U-Net width must be a positive integer, got 0');
    expect(tf.memory().numTensors).toBe(before);
    const net = buildUnet(options());
    expect(() => tf.tidy(() => net.apply(tf.zeros([1, 16, 16, 1]), false))).toThrow('generator input must be [N, 16, 16, 3], got [1, 16, 16, 1]');
    net.dispose();
  });
});

describe('shapes and range', () => {
  const cases: [number, number | null, 'batch' | 'instance' | 'none'][] = [
    [16, null, 'batch'],
    [16, 4, 'instance'],
    [28, null, 'instance'],
    [28, 1, 'none'],
    [32, null, 'batch'],
    [64, null, 'none'],
  ];
  for (const [size, depth, kind] of cases) {
    it(`${size}×${size}, depth ${depth ?? 'default'}, ${kind} norm: [N,${size},${size},1] -> [N,${size},${size},2] strictly inside (-1, 1)`, () => {
      const net = buildUnet(options({ size, depth, norm: kind, inChannels: 1, outChannels: 2 }));
      tf.tidy(() => {
        const x = tf.tanh(normals([3, size, size, 1], 1)) as tf.Tensor4D;
        for (const training of [true, false]) {
          const y = net.apply(x, training);
          expect(y.shape).toEqual([3, size, size, 2]);
          const values = y.dataSync();
          expect(values.every((v) => v > -1 && v < 1)).toBe(true);
          expect(tf.moments(y).variance.dataSync()[0]).toBeGreaterThan(0);
        }
      });
      net.dispose();
    });
  }

  it('widths double from `width` up to 8·width, and the decoder reads [decoded, skip] of equal halves', () => {
    const net = buildUnet(options({ size: 64, width: 2 }));
    const shape = (name: string): number[] => requireVariable(net.trainable, name).shape;
    // Encoder 2, 4, 8, 16, 16 (capped at 8·width).
    expect([0, 1, 2, 3, 4].map((i) => shape(`down${i}/conv/kernel`))).toEqual([
      [4, 4, 3, 2],
      [4, 4, 2, 4],
      [4, 4, 4, 8],
      [4, 4, 8, 16],
      [4, 4, 16, 16],
    ]);
    // Transposed kernels are [4, 4, out, in].
    expect([0, 1, 2, 3].map((j) => shape(`up${j}/deconv/kernel`))).toEqual([
      [4, 4, 16, 16],
      [4, 4, 8, 32],
      [4, 4, 4, 16],
      [4, 4, 2, 8],
    ]);
    expect(shape('out/deconv/kernel')).toEqual([4, 4, 3, 4]);
    net.dispose();
  });
});

describe('skip connections', () => {
  it('with the bottleneck conv zeroed, the output still depends on the input and the first kernel still gets gradient, through the skips alone', () => {
    const net = buildUnet(options({ size: 16 }));
    const depth = unetDepth(16, null);
    zero(net, `down${depth - 1}/conv/kernel`);
    const first = requireVariable(net.trainable, 'down0/conv/kernel');
    const probe = (): { spread: number; gradient: number } =>
      tf.tidy(() => {
        const a = tf.tanh(normals([2, 16, 16, 3], 1)) as tf.Tensor4D;
        const b = tf.tanh(normals([2, 16, 16, 3], 2)) as tf.Tensor4D;
        const spread = tf.max(tf.abs(tf.sub(net.apply(a, true), net.apply(b, true)))).dataSync()[0] ?? 0;
        const weights = normals([2, 16, 16, 3], 3);
        const { grads } = tf.variableGrads(() => tf.sum(tf.mul(net.apply(a, true), weights)) as tf.Scalar, [first]);
        const gradient = tf.max(tf.abs(grads[first.name] as tf.Tensor)).dataSync()[0] ?? 0;
        tf.dispose(grads);
        return { spread, gradient };
      });
    const open = probe();
    expect(open.spread).toBeGreaterThan(1e-4);
    expect(open.gradient).toBeGreaterThan(1e-6);
    // Cut every skip too: nothing of the input reaches the output any more.
    for (let k = 0; k < depth - 1; k++) cutSkip(net, skipReader(depth, k));
    const closed = probe();
    expect(closed.spread).toBe(0);
    expect(closed.gradient).toBe(0);
    net.dispose();
  });

  /**
   * Support of one input pixel through level i's skip, by the 4×4 stride-2 geometry (pad 1 before):
   * down: output q reads inputs 2q−1…2q+2; transposed (its adjoint): output o reads inputs q with
   * 2q−1 ≤ o ≤ 2q+2. Level i is i + 1 downs away from the image and i + 1 ups from the output.
   */
  function reach(p: number, level: number): [number, number] {
    let [lo, hi] = [p, p];
    for (let s = 0; s <= level; s++) [lo, hi] = [Math.ceil((lo - 2) / 2), Math.floor((hi + 1) / 2)];
    for (let s = 0; s <= level; s++) [lo, hi] = [2 * lo - 1, 2 * hi + 2];
    return [lo, hi];
  }

  it('each skip is wired: alone it carries a pixel change to the output near that pixel, and cutting it removes the change', () => {
    const size = 32;
    const depth = unetDepth(size, null);
    const [row, col] = [13, 18];
    for (let level = 0; level < depth - 1; level++) {
      const net = buildUnet(options({ size, norm: 'none', seed: 9 }));
      // Everything below this level sees a constant; every shallower skip is cut.
      zero(net, `down${level + 1}/conv/kernel`);
      for (let k = 0; k < level; k++) cutSkip(net, skipReader(depth, k));
      const diff = (): Float32Array =>
        tf.tidy(() => {
          const x = tf.tanh(normals([1, size, size, 3], 4)) as tf.Tensor4D;
          return tf.sum(tf.abs(tf.sub(net.apply(poke(x, row, col, 2), false), net.apply(x, false))), [0, 3]).dataSync() as Float32Array;
        });
      const changed = diff();
      const [rowLo, rowHi] = reach(row, level);
      const [colLo, colHi] = reach(col, level);
      let inside = 0;
      for (let r = 0; r < size; r++) {
        for (let c = 0; c < size; c++) {
          const d = changed[r * size + c] ?? 0;
          if (r >= rowLo && r <= rowHi && c >= colLo && c <= colHi) inside = Math.max(inside, d);
          else expect(d, `level ${level}: pixel (${r}, ${c}) is outside the skip's reach`).toBe(0);
        }
      }
      expect(inside, `level ${level}`).toBeGreaterThan(0);
      // The poked pixel itself is always within reach (and the reach is local for the shallow skips).
      expect(rowLo <= row && row <= rowHi && colLo <= col && col <= colHi).toBe(true);
      cutSkip(net, skipReader(depth, level));
      expect(Math.max(...diff()), `level ${level} cut`).toBe(0);
      net.dispose();
    }
    // The outermost skip's reach is a few pixels: 13 → rows 11…16.
    expect(reach(13, 0)).toEqual([11, 16]);
  });
});

describe('seeded initialization and names', () => {
  const snapshot = (patch: Partial<TranslatorOptions>): Map<string, number[]> => {
    const net = buildUnet(options(patch));
    const out = new Map<string, number[]>();
    for (const [name, v] of [...net.trainable, ...net.state]) out.set(name, Array.from(v.dataSync()));
    net.dispose();
    return out;
  };

  it('the same seed and name give identical weights; another seed or ParamStore name different ones', () => {
    const a = snapshot({ seed: 3 });
    expect(snapshot({ seed: 3 })).toEqual(a);
    expect(snapshot({ seed: 4 }).get('down0/conv/kernel')).not.toEqual(a.get('down0/conv/kernel'));
    // CycleGAN's G_AB and G_BA share a seed; their scopes keep them apart.
    expect(snapshot({ seed: 3, name: 'generatorBA' }).get('down0/conv/kernel')).not.toEqual(a.get('down0/conv/kernel'));
  });

  it('names are stable: down{i}/conv, down{i}/norm (not the first or the bottleneck), up{j}/deconv, up{j}/norm, out/deconv', () => {
    const net = buildUnet(options({ size: 16 }));
    expect([...net.trainable.keys()]).toEqual([
      'down0/conv/kernel',
      'down0/conv/bias',
      'down1/conv/kernel',
      'down1/norm/gamma',
      'down1/norm/beta',
      'down2/conv/kernel',
      'down2/conv/bias',
      'up0/deconv/kernel',
      'up0/norm/gamma',
      'up0/norm/beta',
      'up1/deconv/kernel',
      'up1/norm/gamma',
      'up1/norm/beta',
      'out/deconv/kernel',
      'out/deconv/bias',
    ]);
    expect([...net.state.keys()]).toEqual([
      'down1/norm/movingMean',
      'down1/norm/movingVariance',
      'up0/norm/movingMean',
      'up0/norm/movingVariance',
      'up1/norm/movingMean',
      'up1/norm/movingVariance',
    ]);
    net.dispose();
  });

  it('spectral: true keeps a u vector per kernel as state, and it moves in training only', () => {
    const net = buildUnet(options({ norm: 'none', spectral: true }));
    const kernels = [...net.trainable.keys()].filter((k) => k.endsWith('/kernel'));
    expect([...net.state.keys()].sort()).toEqual(kernels.map((k) => k.replace(/kernel$/, 'u')).sort());
    const u = requireVariable(net.state, 'down0/conv/u');
    const start = Array.from(u.dataSync());
    tf.tidy(() => net.apply(tf.zeros([1, 16, 16, 3]), false));
    expect(Array.from(u.dataSync())).toEqual(start);
    tf.tidy(() => net.apply(tf.zeros([1, 16, 16, 3]), true));
    expect(Array.from(u.dataSync())).not.toEqual(start);
    net.dispose();
  });
});

describe('memory', () => {
  it('repeated apply calls inside tf.tidy leave the tensor count steady; dispose frees every variable', () => {
    const before = tf.memory().numTensors;
    for (const patch of [{ norm: 'batch' as const, spectral: true }, { norm: 'instance' as const, spectral: false }]) {
      const net = buildUnet(options(patch));
      const x = normals([2, 16, 16, 3], 1) as tf.Tensor4D;
      const built = tf.memory().numTensors;
      for (let i = 0; i < 4; i++) tf.tidy(() => void net.apply(x, i % 2 === 0));
      expect(tf.memory().numTensors).toBe(built);
      const y = net.apply(x, true);
      expect(tf.memory().numTensors).toBe(built + 1);
      tf.dispose([x, y]);
      net.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
