/** Training speed side by side: the PyTorch peer's DCGAN on wasm (1 thread, all threads), on webgpu and in PyTorch, back to back; other nets; full trainer vs bare loop. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../src-main/engine/backends/resolve-backend';
import { defaultThreadCount } from '../src-main/engine/backends/wasm-threads';
import { TrainingLoop } from '../src-main/engine/loop/training-loop';
import { runTraining } from '../src-main/utility/training-run';
import { importFolder } from '../src-main/core/datasets/import-folder';
import { writeMnistFolder } from '../tests/fixtures/mnist-folder';
import { SWIFTSHADER_ICD } from '../tests/fixtures/webgpu-env';
import { runTorchPeer, torchMissing } from './peers/torch-peer';
import { machineLine, median, mnistData, peerConfig, presetConfig, timeSteps, type StepTime } from './reference-dcgan';
import { backendTitle, isSoftware, tryBackend } from './gpu-steps';

const STEPS = Number(process.env.BENCH_STEPS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const LOOP_STEPS = Number(process.env.BENCH_LOOP_STEPS ?? 300);

interface Row {
  label: string;
  threads: number;
  times: StepTime[];
}

function line(row: Row, torch: Row | undefined): string {
  const ms = median(row.times.map((t) => t.ms));
  const cpu = median(row.times.map((t) => t.cpuMs));
  const ratio = torch === undefined || row === torch ? '' : `${(ms / median(torch.times.map((t) => t.ms))).toFixed(2)}x`;
  // Cores the process actually got: below the thread count, the machine was busy with other work.
  const cores = (cpu / ms).toFixed(2);
  return `${row.label.padEnd(12)} ${String(row.threads).padStart(7)} ${ms.toFixed(1).padStart(8)} ${cpu.toFixed(1).padStart(11)} ${cores.padStart(6)} ${(64_000 / ms).toFixed(0).padStart(8)}   ${ratio}`;
}

/** The reference network, interleaved round by round so that load changes hit every row alike. */
async function peerComparison(): Promise<void> {
  const all = defaultThreadCount();
  const threadCounts = all > 1 ? [1, all] : [1];
  const missing = await torchMissing();
  console.log(`machine: ${machineLine()}`);
  console.log("reference DCGAN = the PyTorch peer's network (bench/peers/dcgan_torch.py): MNIST 28x28x1, batch 64, z 64, width 32,");
  console.log(`  BN only after G's first convT, Adam 2e-4; ${ROUNDS} rounds of ${STEPS} steps, rows interleaved, median per row`);
  if (missing !== null) console.log(`PyTorch peer skipped: ${missing}`);
  const rows = new Map<string, Row>();
  const add = (label: string, threads: number, time: StepTime) => {
    const key = `${label}/${threads}`;
    const row = rows.get(key) ?? { label, threads, times: [] };
    row.times.push(time);
    rows.set(key, row);
  };
  let torchVersion = 'torch';
  for (let round = 0; round < ROUNDS; round++) {
    for (const threads of threadCounts) {
      if (missing === null) {
        const peer = await runTorchPeer(threads, STEPS);
        torchVersion = `torch ${peer.torch.replace(/a0$/, '')}`;
        add('torch', threads, peer);
      }
      await resolveBackend('wasm', { threads });
      add('wasm', threads, await timeSteps(peerConfig(STEPS + 2), mnistData(), STEPS));
    }
  }
  console.log('engine       threads  ms/step  cpu-ms/step  cores  images/s   ours / torch (same threads)');
  for (const threads of threadCounts) {
    const torch = rows.get(`torch/${threads}`);
    if (torch !== undefined) console.log(line({ ...torch, label: torchVersion }, undefined));
    console.log(line(rows.get(`wasm/${threads}`)!, torch));
  }
  const one = rows.get('wasm/1');
  const many = rows.get(`wasm/${all}`);
  if (one !== undefined && many !== undefined && many !== one) {
    console.log(`wasm on ${all} threads is ${(median(one.times.map((t) => t.ms)) / median(many.times.map((t) => t.ms))).toFixed(2)}x faster than on 1`);
    const split = many.times.at(-1)?.threadShares ?? [];
    if (split.length > 0) {
      console.log(`  CPU time by thread on ${all} threads (last round): ${split.map((f) => `${(100 * f).toFixed(0)}%`).join(' / ')} — the pool shares the work; "cores" shows how much CPU the machine gave`);
    }
  }
  await webgpuRow();
  console.log(`machine after: ${machineLine()}`);
}

/**
 * The same network on webgpu, the adapter named. A software adapter (SwiftShader here) emulates the
 * GPU on the CPU: labelled so, and timed on one step only.
 */
async function webgpuRow(): Promise<void> {
  const report = await tryBackend('webgpu', process.env['GPU_ADAPTER']);
  if (typeof report === 'string') {
    console.log(`webgpu unavailable: ${report}`);
    // Dawn reads the Vulkan driver list once per process, so the software driver cannot be tried now.
    if (process.env['VK_ICD_FILENAMES'] === undefined && existsSync(SWIFTSHADER_ICD)) {
      console.log(`  to time webgpu on the software adapter of Debian's chromium: VK_ICD_FILENAMES=${SWIFTSHADER_ICD} npm run bench -- engine`);
    }
    return;
  }
  const software = isSoftware(report);
  const t = await timeSteps(peerConfig(STEPS + 2), mnistData(), software ? 1 : STEPS, software ? 1 : 2);
  console.log(`${'webgpu'.padEnd(12)} ${'-'.padStart(7)} ${t.ms.toFixed(1).padStart(8)} ${t.cpuMs.toFixed(1).padStart(11)} ${(t.cpuMs / t.ms).toFixed(2).padStart(6)} ${(64_000 / t.ms).toFixed(0).padStart(8)}   ${backendTitle(report)}${software ? ' (one step: software emulation, not a GPU speed)' : ''}`);
}

/** The presets users start from, at their usual widths, on every core. */
async function otherNetworks(): Promise<void> {
  const threads = defaultThreadCount();
  await resolveBackend('wasm', { threads });
  console.log(`\nother networks on wasm, ${threads} threads, batch 64, MNIST 28x28 (${Math.max(3, STEPS / 4)} steps each)`);
  for (const [preset, width] of [['dcgan', 64], ['dcgan', 32], ['sngan-hinge', 32]] as const) {
    const t = await timeSteps(presetConfig(preset, width, 100), mnistData(), Math.max(3, STEPS / 4), 1);
    console.log(`  ${preset.padEnd(12)} width ${String(width).padStart(3)}  ${t.ms.toFixed(0).padStart(6)} ms/step  ${t.cpuMs.toFixed(0).padStart(6)} cpu-ms/step  ${(t.cpuMs / t.ms).toFixed(2)} cores`);
  }
}

/** The whole trainer (metrics, sample PNGs, checkpoints at the default intervals) against the bare step loop. */
async function trainerOverhead(): Promise<void> {
  const threads = defaultThreadCount();
  await resolveBackend('wasm', { threads });
  const dir = mkdtempSync(join(tmpdir(), 'gwb-bench-'));
  try {
    await writeMnistFolder(join(dir, 'src'), 100);
    await importFolder({ folder: join(dir, 'src'), destDir: join(dir, 'ds'), id: 'ds_bench', name: 'bench', size: 28, channels: 1 });
    const config = { ...peerConfig(LOOP_STEPS), compute: { threads } };
    const bare = await timeSteps(config, mnistData(), LOOP_STEPS);
    // The host's part of the protocol: nothing is stored here, so every sync is answered at once.
    const loop: TrainingLoop = new TrainingLoop((m) => {
      if (m.type === 'sync') queueMicrotask(() => loop.synced(m.id));
    });
    const t0 = performance.now();
    await runTraining(loop, { type: 'start', runId: 'run_bench', runDir: join(dir, 'run'), datasetDir: join(dir, 'ds'), config, evaluations: { evaluated: [], awaiting: [] }, backend: 'wasm' });
    const full = (performance.now() - t0) / LOOP_STEPS;
    const d = config.intervals;
    console.log(`\nfull trainer vs bare loop, reference DCGAN, ${threads} threads, ${LOOP_STEPS} steps (metrics every ${d.metricsEvery}, samples every ${d.sampleEvery}, checkpoints every ${d.checkpointEvery}):`);
    console.log(`  bare ${bare.ms.toFixed(1)} ms/step, full ${full.toFixed(1)} ms/step, ratio ${(full / bare.ms).toFixed(3)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export default {
  name: 'engine',
  async run() {
    await peerComparison();
    await otherNetworks();
    await trainerOverhead();
    console.log(`tensors alive at the end: ${tf.memory().numTensors}`);
  },
};
