/** The bundled MobileNetV2 feature network on the real wasm backend: loads offline from nsfwjs's tarball, N×1792 finite rows, deterministic, independent of batching and of grey vs RGB, tells patterns apart, leaks nothing. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../../../src-main/common/rng';
import { resolveBackend } from '../../../../../src-main/engine/backends/resolve-backend';
import type { FeatureNet } from '../../../../../src-main/engine/evaluators/feature-nets/feature-net';
import { loadMobileNetV2Features, MOBILENET_V2_DIMS } from '../../../../../src-main/engine/evaluators/feature-nets/mobilenet-v2';

const SIZE = 32;
/** Smaller than the N of a real measure, so that 5 images span two forward passes (4 + 1). */
const BATCH = 4;

let net: FeatureNet;
let fetches = 0;

beforeAll(async () => {
  await resolveBackend('wasm');
  // Any fetch while loading, by tfjs's platform or anything else, fails and is counted.
  const refuse = () => {
    fetches++;
    throw new Error('network access during load');
  };
  vi.stubGlobal('fetch', refuse);
  const platformFetch = vi.spyOn(tf.env().platform, 'fetch').mockImplementation(refuse);
  try {
    net = await loadMobileNetV2Features({ batchSize: BATCH });
  } finally {
    platformFetch.mockRestore();
    vi.unstubAllGlobals();
  }
}, 60_000);

afterAll(() => net?.dispose());

/** [n, SIZE, SIZE, channels] in [-1, 1] from a per-image, per-pixel function. */
function images(n: number, channels: number, value: (k: number, y: number, x: number, c: number) => number): tf.Tensor4D {
  const data = new Float32Array(n * SIZE * SIZE * channels);
  let i = 0;
  for (let k = 0; k < n; k++)
    for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) for (let c = 0; c < channels; c++) data[i++] = value(k, y, x, c);
  return tf.tensor4d(data, [n, SIZE, SIZE, channels]);
}

/** Five distinct colour images: smooth gradients and sinusoids that differ per image and channel. */
function varied(n = 5): tf.Tensor4D {
  return images(n, 3, (k, y, x, c) => Math.sin((x * (k + 1) + y * (c + 2)) / 5 + k) * 0.8);
}

const stripes = (k: number, y: number, x: number) => (Math.floor(x / 4) % 2 === 0 ? 0.8 : -0.8);
const checkerboard = (k: number, y: number, x: number) => ((Math.floor(x / 4) + Math.floor(y / 4)) % 2 === 0 ? 0.8 : -0.8);

function row(rows: Float32Array, i: number): Float32Array {
  return rows.subarray(i * MOBILENET_V2_DIMS, (i + 1) * MOBILENET_V2_DIMS);
}

function distance(a: Float32Array, b: Float32Array): number {
  let sq = 0;
  for (let i = 0; i < a.length; i++) sq += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(sq);
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

async function embed(x: tf.Tensor4D): Promise<Float32Array> {
  try {
    return await net.embed(x);
  } finally {
    x.dispose();
  }
}

describe('nsfwjs MobileNetV2 features', () => {
  it('loads from the installed package without any network access, and names what it is', () => {
    expect(fetches).toBe(0);
    expect(net.id).toBe('nsfwjs-mobilenet_v2_mid-1792');
    expect(net.displayName).toBe('nsfwjs MobileNetV2 (1792-d)');
    expect(net.measureTag).toBe('nsfwjs MobileNetV2, 1792-d');
    expect(net.dims).toBe(1792);
    expect(net.preprocessing).toMatch(/bilinear.*224/);
    expect(net.id).not.toMatch(/fid|inception/i);
    // The id stands for these exact weights: upgrading nsfwjs means a new id, since old values would no longer compare.
    const entry = createRequire(import.meta.url).resolve('nsfwjs');
    const installed = JSON.parse(readFileSync(join(entry.slice(0, entry.lastIndexOf(`${sep}dist${sep}`)), 'package.json'), 'utf8')) as { version: string };
    const project = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };
    expect([installed.version, project.dependencies['nsfwjs']]).toEqual(['4.4.0', '4.4.0']);
  });

  it('returns N×1792 finite, non-negative rows that differ between images', async () => {
    const rows = await embed(varied());
    expect(rows.length).toBe(5 * 1792);
    expect(rows.every(Number.isFinite)).toBe(true);
    // ReLU6 then average pooling: every feature lies in [0, 6].
    expect(rows.every((v) => v >= 0 && v <= 6)).toBe(true);
    expect(rows.some((v) => v > 0)).toBe(true);
    expect(distance(row(rows, 0), row(rows, 1))).toBeGreaterThan(0);
  });

  it('is deterministic: the same images twice give identical rows', async () => {
    const x = varied();
    const first = await net.embed(x);
    const second = await net.embed(x);
    x.dispose();
    expect(Array.from(second)).toEqual(Array.from(first));
  });

  it('does not depend on batching: each image alone matches its row in a batch of 5 (passes of 4 + 1) within 1e-4', async () => {
    const x = varied();
    const together = await net.embed(x);
    for (let i = 0; i < 5; i++) {
      const alone = await embed(tf.slice(x, [i, 0, 0, 0], [1, -1, -1, -1]));
      expect(maxAbsDiff(alone, row(together, i))).toBeLessThanOrEqual(1e-4);
    }
    x.dispose();
  });

  it('gives a grey image and its RGB replica the same features', async () => {
    const grey = images(3, 1, (k, y, x) => Math.cos((x + 2 * y) / (3 + k)) * 0.9);
    const rgb = tf.tile(grey, [1, 1, 1, 3]) as tf.Tensor4D;
    const fromGrey = await embed(grey);
    const fromRgb = await embed(rgb);
    expect(maxAbsDiff(fromGrey, fromRgb)).toBeLessThanOrEqual(1e-5);
  });

  it('puts stripes and a checkerboard further apart than either image and itself with slight noise', async () => {
    const rng = new Rng(12);
    const noise = rng.normals(2 * SIZE * SIZE);
    const pattern = (k: number, y: number, x: number) => (k % 2 === 0 ? stripes : checkerboard)(k, y, x);
    const rows = await embed(images(4, 1, (k, y, x) => pattern(k, y, x) + (k >= 2 ? 0.03 * noise[(k - 2) * SIZE * SIZE + y * SIZE + x]! : 0)));
    const [s, c, sNoisy, cNoisy] = [0, 1, 2, 3].map((i) => row(rows, i));
    const apart = distance(s!, c!);
    const noisy = Math.max(distance(s!, sNoisy!), distance(c!, cNoisy!));
    expect(noisy).toBeGreaterThan(0);
    // About 4× on this machine; 2× leaves room for another CPU's float rounding.
    expect(apart).toBeGreaterThan(2 * noisy);
  });

  it('leaves no tensor or backend buffer behind, over several passes and a batch that does not divide evenly', async () => {
    const x = varied(7);
    await net.embed(x); // Warm-up: anything the backend allocates once per kernel.
    const tensors = tf.memory().numTensors;
    const dataIds = tf.engine().backend.numDataIds();
    await net.embed(x);
    const one = tf.slice(x, [0, 0, 0, 0], [1, -1, -1, -1]);
    await net.embed(one);
    one.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(dataIds);
    x.dispose();
  });

  it('refuses images that are neither grey nor RGB', async () => {
    const two = tf.zeros([1, SIZE, SIZE, 2]) as tf.Tensor4D;
    await expect(net.embed(two)).rejects.toThrow(/1 or 3 channels/);
    two.dispose();
  });
});

describe('a disposed network', () => {
  it('frees its weights and refuses to embed', async () => {
    const tensors = tf.memory().numTensors;
    const other = await loadMobileNetV2Features();
    expect(tf.memory().numTensors).toBeGreaterThan(tensors);
    other.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
    const x = varied(1);
    await expect(other.embed(x)).rejects.toThrow(/disposed/);
    x.dispose();
  });
});
