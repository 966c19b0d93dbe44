/** buildPatchGan: stride rule, receptive field, the reference's padding-1 patch grid, locality of each logit, seeded names, spectral state, no leaks. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { buildPatchGan, patchGanReceptiveField, patchGanStrides, type PatchCriticOptions } from '../../../../src-main/engine/nets';
import { requireVariable } from '../../../../src-main/engine/nets/params';
import { maxAbsDiff, normals } from './helpers';

beforeAll(async () => {
  await resolveBackend('wasm');
});

function options(patch: Partial<PatchCriticOptions> = {}): PatchCriticOptions {
  return { size: 32, inChannels: 2, width: 2, norm: 'batch', spectral: false, seed: 5, name: 'discriminator', ...patch };
}

/** The strides of the layer list, as the paper gives it: n stride-2 convs, then two stride-1 convs, all 4×4 padded 1. */
function strides(size: number): number[] {
  return [...Array<number>(patchGanStrides(size)).fill(2), 1, 1];
}

/** Input rows (or columns) patch index g reads: a 4×4 conv with pad 1 at stride s reads s·o − 1 … s·o + 2. */
function box(size: number, g: number): [number, number] {
  return strides(size).reduceRight<[number, number]>(([lo, hi], s) => [s * lo - 1, s * hi + 2], [g, g]);
}

describe('stride count and receptive field', () => {
  it('3 stride-2 layers at 256 (and above), 2 at 128, 1 at 64 and below', () => {
    expect([512, 256, 128, 64, 32, 28, 16, 8].map(patchGanStrides)).toEqual([3, 3, 2, 1, 1, 1, 1, 1]);
  });

  it('receptive field from the layer list: 70 at 256, 34 at 128, 16 at 64', () => {
    // By hand, r ← (r − 1)·s + 4 from the output back: 256 (s = 2,2,2,1,1): 1 → 4 → 7 → 16 → 34 → 70;
    // 128 (2,2,1,1): 1 → 4 → 7 → 16 → 34; 64 (2,1,1): 1 → 4 → 7 → 16.
    expect(patchGanReceptiveField(256)).toBe(70);
    expect(patchGanReceptiveField(128)).toBe(34);
    expect(patchGanReceptiveField(64)).toBe(16);
    expect(patchGanReceptiveField(28)).toBe(16);
    for (const size of [256, 128, 64]) {
      const [lo, hi] = box(size, 0);
      expect(hi - lo + 1).toBe(patchGanReceptiveField(size));
    }
  });
});

describe('patch grid', () => {
  // The reference's sides: ⌊(s + 2 − 4)/stride⌋ + 1 per layer.
  const grids: [number, number][] = [
    [256, 30],
    [128, 30],
    [64, 30],
    [32, 14],
    [28, 12],
    [16, 6],
    [6, 1],
  ];
  for (const [size, grid] of grids) {
    it(`${size}×${size}: P = ${grid}×${grid}, logits [N·P]`, () => {
      const net = buildPatchGan(options({ size }));
      tf.tidy(() => {
        const { logits, patches } = net.apply(normals([2, size, size, 2], 1) as tf.Tensor4D, true);
        expect(patches).toBe(grid * grid);
        expect(logits.shape).toEqual([2 * grid * grid]);
        expect(Array.from(logits.dataSync()).every(Number.isFinite)).toBe(true);
      });
      net.dispose();
    });
  }

  it('refuses a size that leaves no patch, and a wrong input shape', () => {
    const before = tf.memory().numTensors;
    expect(() => buildPatchGan(options({ size: 5 }))).toThrow('image size 5 is too small for the PatchGAN: 1 stride-2 and two stride-1 4×4 convs leave no patch (it needs a size of at least 6)');
    expect(tf.memory().numTensors).toBe(before);
    const net = buildPatchGan(options());
    expect(() => tf.tidy(() => net.apply(tf.zeros([1, 32, 32, 3]), false))).toThrow('discriminator input must be [N, 32, 32, 2], got [1, 32, 32, 3]');
    net.dispose();
  });

  for (const size of [28, 29, 64, 150]) {
    it(`at ${size} equals the reference computed with explicit padding 1 (valid convs over a padded input)`, () => {
      const net = buildPatchGan(options({ size, norm: 'none', width: 3 }));
      const names = [...net.trainable.keys()].filter((k) => k.endsWith('/kernel')).map((k) => k.replace(/\/kernel$/, ''));
      expect(names.length).toBe(strides(size).length);
      const [ours, reference] = tf.tidy(() => {
        const x = normals([2, size, size, 2], 3) as tf.Tensor4D;
        let h: tf.Tensor4D = x;
        strides(size).forEach((s, i) => {
          const name = names[i] ?? '';
          const padded = tf.pad(h, [
            [0, 0],
            [1, 1],
            [1, 1],
            [0, 0],
          ]);
          h = tf.add(tf.conv2d(padded, requireVariable(net.trainable, `${name}/kernel`) as tf.Tensor4D, s, 'valid'), requireVariable(net.trainable, `${name}/bias`));
          if (i < names.length - 1) h = tf.leakyRelu(h, 0.2);
        });
        return [Float32Array.from(net.apply(x, false).logits.dataSync()), Float32Array.from(h.dataSync())];
      });
      expect(maxAbsDiff(ours, reference)).toBeLessThan(1e-5);
      net.dispose();
    });
  }
});

describe('locality', () => {
  for (const size of [64, 128, 256]) {
    it(`at ${size} a patch's logit reads exactly its ${patchGanReceptiveField(size)}-pixel window: pixels just outside leave it unchanged`, () => {
      const net = buildPatchGan(options({ size, norm: 'none' }));
      const grid = Math.sqrt(tf.tidy(() => net.apply(tf.zeros([1, size, size, 2]), false).patches));
      const [gy, gx] = [5, 9];
      const [rowLo, rowHi] = box(size, gy);
      const [colLo, colHi] = box(size, gx);
      expect(rowHi - rowLo + 1).toBe(patchGanReceptiveField(size));
      const x = normals([1, size, size, 2], 2) as tf.Tensor4D;
      const logitAt = (input: tf.Tensor4D): number => tf.tidy(() => net.apply(input, false).logits.dataSync()[gy * grid + gx] ?? NaN);
      const poked = (row: number, col: number): number =>
        tf.tidy(() => {
          const buffer = tf.buffer([1, size, size, 2], 'float32');
          buffer.set(3, 0, row, col, 0);
          return logitAt(tf.add(x, buffer.toTensor()));
        });
      const base = logitAt(x);
      const midCol = Math.floor((colLo + colHi) / 2);
      const midRow = Math.floor((rowLo + rowHi) / 2);
      // Inside edges (clipped to the image) change it; one pixel beyond each edge does not.
      for (const [row, col] of [
        [Math.max(rowLo, 0), midCol],
        [rowHi, midCol],
        [midRow, Math.max(colLo, 0)],
        [midRow, colHi],
      ] as const) {
        expect(poked(row, col), `(${row}, ${col}) inside`).not.toBe(base);
      }
      for (const [row, col] of [
        [rowHi + 1, midCol],
        [midRow, colHi + 1],
        [rowLo - 1, midCol],
        [midRow, colLo - 1],
      ] as const) {
        if (row < 0 || col < 0) continue;
        expect(poked(row, col), `(${row}, ${col}) outside`).toBe(base);
      }
      // A far pixel too.
      expect(poked(size - 1, size - 1)).toBe(base);
      x.dispose();
      net.dispose();
    });
  }
});

describe('seeded initialization and names', () => {
  const snapshot = (patch: Partial<PatchCriticOptions>): Map<string, number[]> => {
    const net = buildPatchGan(options(patch));
    const out = new Map<string, number[]>();
    for (const [name, v] of [...net.trainable, ...net.state]) out.set(name, Array.from(v.dataSync()));
    net.dispose();
    return out;
  };

  it('the same seed and name give identical weights; another seed or ParamStore name different ones', () => {
    const a = snapshot({ seed: 3 });
    expect(snapshot({ seed: 3 })).toEqual(a);
    expect(snapshot({ seed: 4 }).get('layer0/conv/kernel')).not.toEqual(a.get('layer0/conv/kernel'));
    expect(snapshot({ seed: 3, name: 'discriminatorB' }).get('layer0/conv/kernel')).not.toEqual(a.get('layer0/conv/kernel'));
  });

  it('names and widths are stable: C64-C128-C256 (stride 2), C512 (stride 1), out; norm on all but the first and the output', () => {
    const net = buildPatchGan(options({ size: 256, width: 1, inChannels: 6 }));
    const kernels = [...net.trainable].filter(([k]) => k.endsWith('/kernel')).map(([k, v]) => [k, v.shape]);
    expect(kernels).toEqual([
      ['layer0/conv/kernel', [4, 4, 6, 1]],
      ['layer1/conv/kernel', [4, 4, 1, 2]],
      ['layer2/conv/kernel', [4, 4, 2, 4]],
      ['layer3/conv/kernel', [4, 4, 4, 8]],
      ['out/conv/kernel', [4, 4, 8, 1]],
    ]);
    expect([...net.trainable.keys()].filter((k) => !k.endsWith('/kernel'))).toEqual([
      'layer0/conv/bias',
      'layer1/norm/gamma',
      'layer1/norm/beta',
      'layer2/norm/gamma',
      'layer2/norm/beta',
      'layer3/norm/gamma',
      'layer3/norm/beta',
      'out/conv/bias',
    ]);
    net.dispose();
    // Fewer strides drop stride-2 layers from the end; the stride-1 layer is width·2^strides.
    const small = buildPatchGan(options({ size: 64, width: 1, inChannels: 6 }));
    expect([...small.trainable].filter(([k]) => k.endsWith('/kernel')).map(([, v]) => v.shape)).toEqual([
      [4, 4, 6, 1],
      [4, 4, 1, 2],
      [4, 4, 2, 1],
    ]);
    small.dispose();
  });

  it('spectral: true keeps a u vector per kernel as state', () => {
    const net = buildPatchGan(options({ norm: 'instance', spectral: true }));
    const kernels = [...net.trainable.keys()].filter((k) => k.endsWith('/kernel'));
    expect([...net.state.keys()].sort()).toEqual(kernels.map((k) => k.replace(/kernel$/, 'u')).sort());
    net.dispose();
  });
});

describe('memory', () => {
  it('repeated apply calls inside tf.tidy leave the tensor count steady; dispose frees every variable', () => {
    const before = tf.memory().numTensors;
    for (const patch of [{ norm: 'batch' as const, spectral: true }, { norm: 'instance' as const, spectral: false, size: 28 }]) {
      const net = buildPatchGan(options(patch));
      const side = patch.size ?? 32;
      const x = normals([2, side, side, 2], 1) as tf.Tensor4D;
      const built = tf.memory().numTensors;
      for (let i = 0; i < 4; i++) tf.tidy(() => void net.apply(x, i % 2 === 0));
      expect(tf.memory().numTensors).toBe(built);
      const { logits } = net.apply(x, true);
      expect(tf.memory().numTensors).toBe(built + 1);
      tf.dispose([x, logits]);
      net.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
