/** Cost of the bundled feature network (nsfwjs MobileNetV2, 1792-d): ms per image in batches of 32 on wasm (1 thread and all) and on webgpu when an adapter exists, and what 2,000 samples would take. */
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../src-main/engine/backends/resolve-backend';
import { defaultThreadCount } from '../src-main/engine/backends/wasm-threads';
import { loadMobileNetV2Features } from '../src-main/engine/evaluators/feature-nets/mobilenet-v2';
import { backendTitle, isSoftware, tryBackend } from './gpu-steps';
import { machineLine, median } from './reference-dcgan';

const BATCH = 32;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** The sample count a distribution measure (FD, KID) would embed per side. */
const SAMPLES = 2_000;

export default {
  name: 'features',
  async run() {
    const all = defaultThreadCount();
    const threadCounts = all > 1 ? [1, all] : [1];
    console.log(`machine: ${machineLine()}`);
    console.log(`batches of ${BATCH} images 64x64x3 in [-1,1] (resized to 224x224); warm-up pass, then median of ${ROUNDS} passes`);
    console.log('threads  load-ms  ms/batch  ms/image  cpu-ms/image  cores  2,000 samples');
    /** Each row's backend: null when it is ready, else why it is skipped; `once` times a single pass. */
    const runs: { label: string; activate: () => Promise<{ skip: string | null; once: boolean }> }[] = threadCounts.map((threads) => ({
      label: String(threads),
      activate: async () => (await resolveBackend('wasm', { threads }), { skip: null, once: false }),
    }));
    // webgpu last: a software adapter (SwiftShader) is timed once and labelled, for what it is, a CPU emulation.
    runs.push({
      label: 'webgpu',
      activate: async () => {
        const report = await tryBackend('webgpu', process.env['GPU_ADAPTER']);
        if (typeof report === 'string') return { skip: `webgpu unavailable: ${report}`, once: false };
        const software = isSoftware(report);
        console.log(`webgpu: ${backendTitle(report)}${software ? ' (software adapter: a CPU emulation of a GPU, not a GPU figure; one timed pass)' : ''}`);
        return { skip: null, once: software };
      },
    });
    for (const { label, activate } of runs) {
      const { skip, once } = await activate();
      if (skip !== null) {
        console.log(skip);
        continue;
      }
      const t0 = performance.now();
      const net = await loadMobileNetV2Features({ batchSize: BATCH });
      const loadMs = performance.now() - t0;
      const images = tf.randomUniform([BATCH, 64, 64, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
      await net.embed(images);
      const wall: number[] = [];
      const cpu: number[] = [];
      for (let round = 0; round < (once ? 1 : ROUNDS); round++) {
        const cpu0 = process.cpuUsage();
        const start = performance.now();
        await net.embed(images);
        wall.push(performance.now() - start);
        const used = process.cpuUsage(cpu0);
        cpu.push((used.user + used.system) / 1000);
      }
      images.dispose();
      net.dispose();
      const ms = median(wall);
      const perImage = ms / BATCH;
      const cpuPerImage = median(cpu) / BATCH;
      const total = (perImage * SAMPLES) / 1000;
      console.log(
        `${label.padStart(7)} ${loadMs.toFixed(0).padStart(8)} ${ms.toFixed(0).padStart(9)} ${perImage.toFixed(1).padStart(9)} ${cpuPerImage.toFixed(1).padStart(13)} ${(cpuPerImage / perImage).toFixed(2).padStart(6)}  ${total.toFixed(0)} s`,
      );
    }
    console.log(`2,000 samples = the generated side only; real images' features can be embedded once per dataset and kept`);
    console.log(`machine after: ${machineLine()}`);
  },
};
