/** Cost of the feature networks (the bundled nsfwjs MobileNetV2, 1792-d, and a dataset's in-domain classifier, 64-d): ms per image on wasm (1 thread and all) and on webgpu when an adapter exists; and what an evaluation of 2,000 samples costs, embedding and distances. */
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../src-main/engine/backends/resolve-backend';
import { defaultThreadCount } from '../src-main/engine/backends/wasm-threads';
import { featureSet } from '../src-main/engine/evaluators/distances';
import { buildDomainClassifier, domainFeatureNet } from '../src-main/engine/evaluators/feature-nets/domain-classifier';
import { loadMobileNetV2Features } from '../src-main/engine/evaluators/feature-nets/mobilenet-v2';
import { measureDistances, measureQuality } from '../src-main/engine/evaluators/quality';
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

    // The in-domain classifier: its cost does not depend on its weights, so an untrained one is timed.
    console.log('\nin-domain classifier (64-d): batches of 64; 28x28x1 (MNIST) and 64x64x3 (brought down to 32x32)');
    console.log('backend          image     ms/image  2,000 samples');
    for (const { label, activate } of runs) {
      const { skip } = await activate();
      if (skip !== null) continue;
      for (const [size, channels] of [
        [28, 1],
        [64, 3],
      ] as const) {
        const net = domainFeatureNet(buildDomainClassifier({ size, channels, classes: 10 }, 0), 'bench', 0, 1);
        const images = tf.randomUniform([64, size, size, channels], -1, 1, 'float32', 1) as tf.Tensor4D;
        await net.embedAndClassify(images);
        const wall: number[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          const start = performance.now();
          await net.embedAndClassify(images);
          wall.push(performance.now() - start);
        }
        images.dispose();
        net.dispose();
        const perImage = median(wall) / 64;
        console.log(`${label.padEnd(16)} ${`${size}x${size}x${channels}`.padEnd(9)} ${perImage.toFixed(3).padStart(9)}  ${((perImage * SAMPLES) / 1000).toFixed(1)} s`);
      }
    }

    // The distances of one evaluation at N = 2,000 per side (plain float64 TypeScript, one core):
    // every measure on the general network's rows, and FD, KID, precision/recall/coverage on the classifier's.
    console.log('\ndistances at N = 2,000 per side (and 500 held-out images for the memorization check), one core');
    for (const dims of [1792, 64]) {
      const rows = (n: number, seed: number) => {
        const data = tf.tidy(() => tf.randomNormal([n, dims], 0, 1, 'float32', seed).dataSync() as Float32Array);
        return featureSet(n, dims, data);
      };
      const [real, generated, heldOut] = [rows(SAMPLES, 1), rows(SAMPLES, 2), rows(500, 3)];
      const start = performance.now();
      const seconds = dims === 1792 ? measureQuality(real, generated, heldOut, 0).seconds : measureDistances(real, generated, 0).seconds;
      const total = (performance.now() - start) / 1000;
      const parts = Object.entries(seconds).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(' · ');
      console.log(`${String(dims).padStart(5)}-d: ${total.toFixed(1)} s (${parts})`);
    }
    console.log(`machine after: ${machineLine()}`);
  },
};
