/** Backend resolution on this machine: the best working backend is chosen and every other is explained. */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { BACKEND_ORDER, resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';

function installed(pkg: string): boolean {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

describe('resolveBackend', () => {
  it('picks the first working backend and gives a reason for each of the others', async () => {
    const report = await resolveBackend();
    expect(BACKEND_ORDER).toContain(report.name);
    expect(Object.keys(report.reasons).sort()).toEqual(BACKEND_ORDER.filter((b) => b !== report.name).sort());
    for (const reason of Object.values(report.reasons)) expect(reason.length).toBeGreaterThan(5);
    if (!installed('@tensorflow/tfjs-node-gpu')) expect(report.reasons['tfjs-node-gpu']).toMatch(/not installed/);
    if (!installed('@tensorflow/tfjs-node') && !installed('@tensorflow/tfjs-node-gpu')) {
      expect(report.name).toBe('wasm');
      expect(tf.getBackend()).toBe('wasm');
      expect(report.reasons['cpu']).toMatch(/not needed/);
    }
  });

  it('uses a preferred backend, and names why when it is unavailable', async () => {
    const cpu = await resolveBackend('cpu');
    expect(cpu.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(cpu.reasons['wasm']).toMatch(/cpu was requested/);
    // One thread unless asked for more: tests and short jobs never fan out over the cores.
    expect(await resolveBackend('wasm')).toMatchObject({ name: 'wasm', threads: 1 });
    if (!installed('@tensorflow/tfjs-node')) {
      await expect(resolveBackend('tfjs-node')).rejects.toThrow(/tfjs-node is unavailable: package not installed/);
    }
    await expect(resolveBackend('webgpu')).rejects.toThrow(/unknown backend/);
  });

  it('trains on wasm: the filter gradient that wasm lacks is available', async () => {
    await resolveBackend('wasm');
    const grad = tf.tidy(() => {
      const x = tf.ones([1, 4, 4, 1]) as tf.Tensor4D;
      const f = tf.ones([2, 2, 1, 1]) as tf.Tensor4D;
      return tf.grad((w: tf.Tensor) => tf.sum(tf.conv2d(x, w as tf.Tensor4D, 1, 'valid')))(f);
    });
    // Each tap sees the 3 x 3 valid positions of an all-ones image.
    expect(Array.from(grad.dataSync())).toEqual([9, 9, 9, 9]);
    grad.dispose();
  });
});
