/** The webgpu kernels the workbench replaces, against the cpu backend. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { registerWebgpuTrainingKernels } from '../../../../src-main/engine/backends/webgpu-kernels';
import { webgpuAdapterForTests } from '../../../fixtures/webgpu-env';

const adapter = await webgpuAdapterForTests();

describe.skipIf(adapter === null)('webgpu training kernels', () => {
  beforeAll(async () => {
    await resolveBackend('webgpu');
  });

  it('AddN over more inputs than a shader may bind (a gradient norm over many weights) equals the cpu sum', async () => {
    const values = Array.from({ length: 29 }, (_, i) => Float32Array.from({ length: 6 }, (_, j) => Math.sin(i * 7 + j) * (i + 1)));
    const sumOn = async (backend: string) => {
      await tf.setBackend(backend);
      const inputs = values.map((v) => tf.tensor2d(v, [2, 3]));
      const before = tf.memory().numTensors;
      const sum = tf.addN(inputs);
      const out = Array.from(await sum.data());
      expect(tf.memory().numTensors).toBe(before + 1);
      tf.dispose([sum, ...inputs]);
      return out;
    };
    const cpu = await sumOn('cpu');
    const gpu = await sumOn('webgpu');
    gpu.forEach((v, i) => expect(v).toBeCloseTo(cpu[i] ?? Number.NaN, 4));
  });

  it('registers once: a second call keeps its kernels and names them', () => {
    expect(registerWebgpuTrainingKernels()).toEqual(['AddN']);
    const kernel = tf.getKernel('AddN', 'webgpu');
    expect(registerWebgpuTrainingKernels()).toEqual(['AddN']);
    expect(tf.getKernel('AddN', 'webgpu')).toBe(kernel);
  });
});
