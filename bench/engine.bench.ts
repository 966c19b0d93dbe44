/** Training speed: images/s of the reference DCGAN per backend, CPU time per step, and full trainer vs bare step loop. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { resolveConfigOrThrow } from '../src-main/common/config-resolve';
import type { TrainingConfig } from '../src-main/common/training-config';
import { resolveBackend } from '../src-main/engine/backends/resolve-backend';
import { TrainingSession } from '../src-main/engine/training-session';
import { readMnist } from '../tests/fixtures/mnist-idx';
import { TrainingLoop } from '../src-main/utility/training-loop';
import { importFolder } from '../src-main/core/datasets/import-folder';
import { writeMnistFolder } from '../tests/fixtures/mnist-folder';
import { printWebgpuEngineRows } from './gpu-steps';

const STEPS = Number(process.env.BENCH_STEPS ?? 30);
const LOOP_STEPS = Number(process.env.BENCH_LOOP_STEPS ?? 500);

function reference(width: number, steps: number, intervals?: TrainingConfig['intervals']): TrainingConfig {
  return resolveConfigOrThrow({ config: { steps, batchSize: 64, latentSize: 100, model: { gWidth: width, dWidth: width }, ...(intervals ? { intervals } : {}) } });
}

async function timeSteps(config: TrainingConfig, data: ConstructorParameters<typeof TrainingSession>[0]['data'], steps: number) {
  const session = new TrainingSession({ config, data });
  await session.step(); // warm-up: kernels compile and caches fill
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await session.step();
  const wall = (performance.now() - t0) / 1000 / steps;
  const cpu = process.cpuUsage(cpu0);
  session.dispose();
  return { wall, cpu: (cpu.user + cpu.system) / 1e6 / steps };
}

export default {
  name: 'engine',
  async run() {
    const mnist = readMnist('train', 4096);
    const data = { images: mnist.images, count: mnist.count, size: 28, channels: 1 as const };
    console.log(`reference DCGAN 28x28x1, batch 64, z 100; ${STEPS} timed steps after one warm-up (BENCH_STEPS to change)`);
    console.log('backend   width  s/step  cpu-s/step  images/s');
    for (const name of ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']) {
      let report;
      try {
        report = await resolveBackend(name);
      } catch (e) {
        console.log(`${name.padEnd(9)} unavailable: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      // The pure-JS backend is ~50x slower: two steps of the narrow net tell enough.
      const steps = name === 'cpu' ? Math.min(STEPS, 2) : STEPS;
      for (const width of name === 'cpu' ? [32] : [64, 32]) {
        const t = await timeSteps(reference(width, steps + 1), data, steps);
        console.log(`${report.name.padEnd(9)} ${String(width).padStart(5)}  ${t.wall.toFixed(3)}  ${t.cpu.toFixed(3).padStart(10)}  ${(64 / t.wall).toFixed(0).padStart(8)}`);
      }
    }
    // webgpu: its own block (the GPU's adapter is named; a software one is labelled and timed briefly).
    await printWebgpuEngineRows(data, STEPS);
    console.log('peer: PyTorch 1.13 CPU on this machine, same DCGAN: about 0.1 CPU-s per step (PLATFORM.md)');

    // The whole trainer (metrics, sample PNGs, checkpoints at the default intervals) against the bare loop.
    await resolveBackend('wasm');
    const dir = mkdtempSync(join(tmpdir(), 'gwb-bench-'));
    try {
      await writeMnistFolder(join(dir, 'src'), 100);
      await importFolder({ folder: join(dir, 'src'), destDir: join(dir, 'ds'), id: 'ds_bench', name: 'bench', size: 28, channels: 1 });
      const config = reference(32, LOOP_STEPS);
      const bare = await timeSteps(config, data, LOOP_STEPS);
      const loop = new TrainingLoop(() => undefined);
      const t0 = performance.now();
      await loop.run({ type: 'start', runId: 'run_bench', runDir: join(dir, 'run'), datasetDir: join(dir, 'ds'), config, backend: 'wasm' });
      const full = (performance.now() - t0) / 1000 / LOOP_STEPS;
      const d = config.intervals;
      console.log(`\nfull trainer vs bare loop, width 32, ${LOOP_STEPS} steps (metrics every ${d.metricsEvery}, samples every ${d.sampleEvery}, checkpoints every ${d.checkpointEvery}):`);
      console.log(`  bare ${bare.wall.toFixed(3)} s/step, full ${full.toFixed(3)} s/step, ratio ${(full / bare.wall).toFixed(3)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    console.log(`tensors alive at the end: ${tf.memory().numTensors}`);
  },
};
