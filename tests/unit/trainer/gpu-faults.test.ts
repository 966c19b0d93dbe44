/**
 * A GPU that fails mid-run never loses the run: the trainer loop pauses with a diagnostic and,
 * resumed, rebuilds from its last checkpoint and finishes. Real webgpu (SwiftShader here), real faults.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfigOrThrow } from '../../../src-main/common/config-resolve';
import type { TrainerToHost } from '../../../src-main/common/trainer-protocol';
import { activeGpuDevice } from '../../../src-main/engine/backends/webgpu-backend';
import { TrainingLoop } from '../../../src-main/engine/loop/training-loop';
import { runTraining } from '../../../src-main/utility/training-run';
import { writeMnistFolder } from '../../fixtures/mnist-folder';
import { webgpuAdapterForTests } from '../../fixtures/webgpu-env';
import { makeWorkbench, tempDir, tinyConfig, parsed } from '../../fixtures/workbench';

const adapter = await webgpuAdapterForTests();

/** Runs a TrainingLoop in this process and lets the test wait for the messages it sends. */
function harness() {
  const messages: TrainerToHost[] = [];
  const waiters: { test: (m: TrainerToHost) => boolean; resolve: (m: TrainerToHost) => void }[] = [];
  const loop: TrainingLoop = new TrainingLoop((m) => {
    messages.push(m);
    // The host's part: this harness stores nothing, so everything sent is already "stored".
    if (m.type === 'sync') queueMicrotask(() => loop.synced(m.id));
    for (const w of waiters.splice(0)) {
      if (w.test(m)) w.resolve(m);
      else waiters.push(w);
    }
  });
  const next = <T extends TrainerToHost['type']>(type: T, test: (m: Extract<TrainerToHost, { type: T }>) => boolean = () => true) =>
    new Promise<Extract<TrainerToHost, { type: T }>>((resolve) => {
      const seen = messages.find((m) => m.type === type && test(m as Extract<TrainerToHost, { type: T }>));
      if (seen) return resolve(seen as Extract<TrainerToHost, { type: T }>);
      waiters.push({ test: (m) => m.type === type && test(m as Extract<TrainerToHost, { type: T }>), resolve: (m) => resolve(m as Extract<TrainerToHost, { type: T }>) });
    });
  return { loop, messages, next };
}

describe.skipIf(adapter === null)('GPU faults during training (webgpu)', () => {
  const { workbench } = makeWorkbench();
  let datasetDir: string;

  beforeAll(async () => {
    const folder = tempDir('gpu-faults-mnist');
    await writeMnistFolder(folder, 2);
    const { dataset } = await workbench.datasets.import(parsed('datasets.import', { path: folder, size: 28, channels: 1 }));
    datasetDir = workbench.dataDir.dataset(dataset.id);
  });
  afterAll(() => workbench.close());

  // Tiny: SwiftShader compiles every shader on the CPU, again for the new device after a loss.
  const config = resolveConfigOrThrow({
    config: tinyConfig(6, { batchSize: 4, latentSize: 8, model: { gWidth: 4, dWidth: 4 }, sampleGridSize: 2, intervals: { metricsEvery: 1, sampleEvery: 100, checkpointEvery: 2 } }),
  });

  for (const fault of ['the device is lost', 'the GPU reports an error'] as const) {
    it(`${fault}: pauses with a diagnostic, then resumes from the last checkpoint and completes`, { timeout: 300_000 }, async () => {
      const { loop, messages, next } = harness();
      const runId = fault === 'the device is lost' ? 'run_lostdevice' : 'run_gpuerror';
      const done = runTraining(loop, { type: 'start', runId, runDir: join(workbench.dataDir.root, 'runs', runId), datasetDir, config, evaluations: { evaluated: [], awaiting: [] }, backend: 'webgpu' });
      await next('checkpoint', (m) => m.step === 2);
      const device = activeGpuDevice();
      expect(device).not.toBeNull();
      if (fault === 'the device is lost') device?.destroy();
      // Far past maxBufferSize: a real validation error outside any error scope.
      else (device as unknown as { createBuffer(d: { size: number; usage: number }): unknown }).createBuffer({ size: 2 ** 52, usage: 128 });

      const paused = await next('paused', (m) => m.reason !== undefined);
      const expected = fault === 'the device is lost' ? /^the GPU device was destroyed \(.+\) at step \d+\./ : /^the GPU reported an error: .+ at step \d+\./;
      expect(paused.reason?.code).toBe(fault === 'the device is lost' ? 'DEVICE_LOST' : 'GPU_ERROR');
      expect(paused.reason?.message).toMatch(expected);
      expect(paused.reason?.message).toMatch(/The run is kept: it paused, and resuming continues from the last checkpoint \(step [24]\)/);
      expect([2, 4]).toContain(paused.reason?.resumeStep);
      expect(messages.some((m) => m.type === 'finished')).toBe(false);

      loop.resume();
      await next('resumed');
      await done;
      const finished = await next('finished');
      expect(finished).toMatchObject({ status: 'completed', step: 6 });
      const losses = messages.flatMap((m) => (m.type === 'metrics' ? m.points.flatMap((p) => ('d_loss' in p.values ? [p.values['d_loss']] : [])) : []));
      expect(losses.length).toBeGreaterThanOrEqual(6);
      expect(losses.every((v) => Number.isFinite(v))).toBe(true);
      expect(activeGpuDevice()).not.toBe(fault === 'the device is lost' ? device : null);
    });
  }
});
