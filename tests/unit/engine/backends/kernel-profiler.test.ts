/** The kernel profiler behind `npm run bench -- profile`: it counts every kernel, splits composed kernels' time, and puts the kernels back. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { profileKernels } from '../../../../src-main/engine/backends/kernel-profiler';

beforeAll(async () => {
  await resolveBackend('wasm');
});

describe('profileKernels', () => {
  it('counts each kernel call, and a composed kernel’s own time excludes the wasm kernels it runs', async () => {
    const x = tf.ones([2, 9, 9, 3]) as tf.Tensor4D;
    const dy = tf.ones([2, 5, 5, 4]) as tf.Tensor4D;
    const { result, costs } = await profileKernels('wasm', () =>
      tf.tidy(() => {
        const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 4] } as unknown as tf.NamedAttrMap) as tf.Tensor;
        return tf.add(dw, tf.add(dw, 1)).sum().dataSync()[0];
      }),
    );
    // The profiled function's own result comes back: 2·dw + 1 summed, positive for all-ones inputs.
    expect(result).toBeGreaterThan(0);
    const byKey = new Map(costs.map((c) => [c.key, c]));
    expect(byKey.get('Add')?.calls).toBe(2);
    expect(byKey.get('Sum')?.calls).toBe(1);
    const filter = byKey.get('Conv2DBackpropFilter')!;
    expect(filter.calls).toBe(1);
    // It ran Transpose and Conv2D itself: those are counted, and its own time is what is left.
    expect(byKey.get('Conv2D')?.calls).toBe(1);
    expect(byKey.get('Transpose')!.calls).toBeGreaterThanOrEqual(2);
    const children = byKey.get('Conv2D')!.totalMs + byKey.get('Transpose')!.totalMs;
    expect(filter.totalMs).toBeGreaterThanOrEqual(filter.selfMs);
    expect(filter.selfMs).toBeCloseTo(filter.totalMs - children, 6);
    expect(costs.map((c) => c.selfMs)).toEqual([...costs.map((c) => c.selfMs)].sort((a, b) => b - a));
    tf.dispose([x, dy]);
  });

  it('keys by input shapes on request, and restores the original kernels even when the profiled code throws', async () => {
    const before = tf.getKernelsForBackend('wasm').map((k) => [k.kernelName, k.kernelFunc] as const);
    const { costs } = await profileKernels('wasm', () => tf.tidy(() => tf.add(tf.ones([2, 3]), tf.ones([3])).dataSync()), { byShape: true });
    expect(costs.map((c) => c.key)).toContain('Add a[2,3] b[3]');
    await expect(
      profileKernels('wasm', async () => {
        await Promise.resolve();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const after = new Map(tf.getKernelsForBackend('wasm').map((k) => [k.kernelName, k.kernelFunc] as const));
    for (const [name, fn] of before) expect(after.get(name), name).toBe(fn);
  });
});
