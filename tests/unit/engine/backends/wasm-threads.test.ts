/** Multi-threaded wasm in Node: the threading tests, the only unit tests that ask for more than one thread. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { defaultThreadCount, MAX_WASM_THREADS, useWasmThreads, wasmThreadCount } from '../../../../src-main/engine/backends/wasm-threads';
import { TrainingSession } from '../../../../src-main/engine/training-session';
import { Rng } from '../../../../src-main/common/rng';
import { repoRoot } from '../../../fixtures/workbench';
import { mnistData, run, tinyConfig, trainableSnapshot } from '../session/helpers';

function normals(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(new Rng(seed).normals(shape.reduce((a, b) => a * b, 1)), shape);
}

/** Values and gradients of a small conv net (strided conv, transposed conv, dense) as plain arrays. */
function convNetGradients(): Float32Array[] {
  const outs = tf.tidy(() => {
    const x = normals([4, 12, 12, 3], 1) as tf.Tensor4D;
    const f1 = normals([4, 4, 3, 16], 2) as tf.Tensor4D;
    const f2 = normals([4, 4, 8, 16], 3) as tf.Tensor4D;
    const w = normals([6 * 6 * 16, 5], 4) as tf.Tensor2D;
    const loss = (a: tf.Tensor, k1: tf.Tensor, k2: tf.Tensor, d: tf.Tensor): tf.Scalar => {
      const h = tf.leakyRelu(tf.conv2d(a as tf.Tensor4D, k1 as tf.Tensor4D, 2, 'same'), 0.2);
      const up = tf.conv2dTranspose(h, k2 as tf.Tensor4D, [4, 12, 12, 8], 2, 'same');
      const flat = tf.reshape(tf.conv2d(up, k2 as tf.Tensor4D, 2, 'same'), [4, 6 * 6 * 16]);
      return tf.mean(tf.square(tf.matMul(flat as tf.Tensor2D, d as tf.Tensor2D)));
    };
    return tf.grads(loss)([x, f1, f2, w]);
  });
  const values = outs.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(outs);
  return values;
}

afterAll(async () => {
  await resolveBackend('wasm');
});

describe('wasm on several threads', () => {
  it('runs on the threads asked for, reports them, and computes what the cpu backend computes', async () => {
    await resolveBackend('cpu');
    const cpu = convNetGradients();
    const report = await resolveBackend('wasm', { threads: 2 });
    expect(report).toMatchObject({ name: 'wasm', threads: 2 });
    expect(tf.getBackend()).toBe('wasm');
    expect(wasmThreadCount()).toBe(2);
    const wasm = convNetGradients();
    wasm.forEach((g, i) => {
      const reference = cpu[i]!;
      const scale = Math.max(...reference.map(Math.abs));
      let worst = 0;
      g.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - reference[j]!))));
      expect(worst / scale).toBeLessThan(1e-5);
    });
  });

  it('trains deterministically: one seed twice on 2 threads gives the same metrics and weights, bit for bit', async () => {
    await resolveBackend('wasm', { threads: 2 });
    const config = tinyConfig({ model: { gWidth: 8, dWidth: 8 } });
    const train = async () => {
      const session = new TrainingSession({ config, data: mnistData() });
      const metrics = await run(session, 3);
      const weights = trainableSnapshot(session);
      session.dispose();
      return { metrics, weights };
    };
    const a = await train();
    const b = await train();
    expect(b.metrics).toEqual(a.metrics);
    expect(b.weights).toEqual(a.weights);
  });

  it('goes back to one thread, and refuses counts that are not whole numbers ≥ 1', async () => {
    expect(await resolveBackend('wasm', { threads: 1 })).toMatchObject({ name: 'wasm', threads: 1 });
    expect(wasmThreadCount()).toBe(1);
    await expect(resolveBackend('wasm', { threads: 0 })).rejects.toThrow(/thread count must be a whole number ≥ 1, got 0/);
    expect(() => useWasmThreads(1.5)).toThrow(/got 1.5/);
    expect(defaultThreadCount()).toBeGreaterThanOrEqual(1);
    expect(defaultThreadCount()).toBeLessThanOrEqual(MAX_WASM_THREADS);
  });

  it('leaves a process free to exit: the pthread workers do not hold it open', async () => {
    // Without unref'd workers this child would never end and the call would time out.
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(repoRoot, 'tests', 'fixtures', 'wasm-threads-child.ts'), '2'], {
      cwd: repoRoot,
      timeout: 120_000,
    });
    expect(stdout.trim()).toBe('threads 2 centre 72');
  }, 150_000);
});
