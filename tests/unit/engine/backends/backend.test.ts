/** Backend resolution on this machine: the best working backend is chosen and every other is explained. */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { BACKEND_ORDER, resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { adaptersHere, hardwareAdapterHere, useSwiftShader, webgpuAdapterForTests } from '../../../fixtures/webgpu-env';

// Before Dawn starts: the Vulkan loader reads it once.
useSwiftShader();

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
      // Both directions: a hardware adapter must be used, a software one (SwiftShader) or none must not.
      const hardware = await hardwareAdapterHere();
      const expected = hardware === null ? 'wasm' : 'webgpu';
      expect(report.name).toBe(expected);
      expect(tf.getBackend()).toBe(expected);
      expect(report.reasons['cpu']).toMatch(/not needed/);
      if (hardware !== null) expect(report.adapter).toMatchObject({ software: false, description: hardware.description });
    } else {
      // The other direction: npm keeps an optional native package only when its libtensorflow
      // installed, so a machine that has one trains on it, and wasm says why it was not needed.
      const native = installed('@tensorflow/tfjs-node-gpu') ? ['tfjs-node-gpu', 'tfjs-node'] : ['tfjs-node'];
      expect(native).toContain(report.name);
      expect(report.reasons['wasm']).toMatch(/not needed/);
    }
  });

  it('finds a software adapter but does not train on it unless forced, and says so', async () => {
    // Under CI=true a missing adapter fails here instead of taking the branch below.
    await webgpuAdapterForTests();
    const { adapters, reason } = await adaptersHere();
    const report = await resolveBackend();
    if (adapters.length === 0) {
      expect(report.adapter).toBeNull();
      expect(report.reasons['webgpu']).toBe(reason);
      return;
    }
    if (adapters.some((a) => !a.software)) return; // the first test covers a machine with a GPU
    expect(report.name).not.toBe('webgpu');
    expect(report.reasons['webgpu']).toMatch(/^only a software adapter was found \(.+, software\): slower than wasm; force it with --backend webgpu$/);
    expect(report.adapter).toMatchObject({ software: true, vendor: adapters[0]?.vendor, description: adapters[0]?.description });
    expect(report.adapter?.limits['maxBufferSize']).toBeGreaterThan(0);
    const forced = await resolveBackend('webgpu');
    expect(forced).toMatchObject({ name: 'webgpu', adapter: { software: true } });
    expect(tf.getBackend()).toBe('webgpu');
    expect(forced.reasons['wasm']).toMatch(/webgpu was requested/);
  });

  it('picks a GPU by name, and lists the adapters when none matches', async () => {
    const { adapters } = await adaptersHere();
    const first = adapters[0];
    if (first === undefined) {
      await expect(resolveBackend('webgpu')).rejects.toThrow(/webgpu is unavailable: no GPU adapter: /);
      return;
    }
    const byName = await resolveBackend('webgpu', { adapter: first.description.slice(0, 6).toUpperCase() });
    expect(byName.adapter?.description).toBe(first.description);
    await expect(resolveBackend('webgpu', { adapter: 'no-such-gpu' })).rejects.toThrow(
      `backend webgpu is unavailable: no WebGPU adapter matches "no-such-gpu"; found: ${first.vendor}`,
    );
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
    await expect(resolveBackend('metal')).rejects.toThrow(/unknown backend "metal"; expected one of tfjs-node-gpu, webgpu, tfjs-node, wasm, cpu/);
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
