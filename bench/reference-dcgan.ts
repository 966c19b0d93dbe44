/** What the engine and profile benches train: the PyTorch peer's DCGAN as a workbench config, real MNIST, and a step timer. */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolveConfigOrThrow } from '../src-main/common/config-resolve';
import type { PresetName } from '../src-main/common/presets';
import type { TrainingConfig } from '../src-main/common/training-config';
import { TrainingSession, type TrainingData } from '../src-main/engine/training-session';
import { readMnist } from '../tests/fixtures/mnist-idx';

/**
 * Exactly bench/peers/dcgan_torch.py: G z64 → dense + bias → ReLU → convT 64→32 → BN → ReLU → convT 32→1 → tanh;
 * D conv 1→32 → LeakyReLU → conv 32→64 → LeakyReLU → dense 3136→1; batch 64, Adam 2e-4 (0.5, 0.999), non-saturating.
 */
export function peerConfig(steps: number): TrainingConfig {
  const adam = { type: 'adam', lr: 2e-4, beta1: 0.5, beta2: 0.999 } as const;
  return resolveConfigOrThrow({
    config: {
      steps,
      batchSize: 64,
      latentSize: 64,
      model: { arch: 'dcgan', depth: 2, gWidth: 32, dWidth: 32, gNorm: 'batch', gProjectionNorm: false, dNorm: 'none' },
      loss: { type: 'non-saturating' },
      optimizerG: adam,
      optimizerD: adam,
    },
  });
}

/** A preset at a width, batch 64, for the rows beside the peer. */
export function presetConfig(preset: PresetName, width: number, steps: number): TrainingConfig {
  return resolveConfigOrThrow({ preset, config: { steps, batchSize: 64, model: { gWidth: width, dWidth: width } } });
}

let mnist: TrainingData | null = null;

/** 4096 real MNIST digits, 28×28×1. */
export function mnistData(): TrainingData {
  if (mnist === null) {
    const m = readMnist('train', 4096);
    mnist = { images: m.images, count: m.count, size: 28, channels: 1 };
  }
  return mnist;
}

export interface StepTime {
  /** Wall milliseconds per step. */
  ms: number;
  /** CPU milliseconds per step, every thread of this process. */
  cpuMs: number;
  /** Share of the CPU time of each thread that did work, largest first (Linux only; [] elsewhere). */
  threadShares: number[];
}

/** CPU clock ticks of every thread of this process, by thread id, from /proc (empty where there is none). */
function ticksByThread(): Map<string, number> {
  const ticks = new Map<string, number>();
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return ticks;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(tid, Number(fields[11]) + Number(fields[12]));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return ticks;
}

function shares(before: Map<string, number>, after: Map<string, number>): number[] {
  const used = [...after].map(([tid, t]) => t - (before.get(tid) ?? 0)).filter((d) => d > 0);
  const total = used.reduce((a, b) => a + b, 0);
  return total === 0 ? [] : used.map((d) => d / total).sort((a, b) => b - a);
}

/** Mean time of `steps` steps after `warmUp` (kernels compile, caches fill), on the active backend. */
export async function timeSteps(config: TrainingConfig, data: TrainingData, steps: number, warmUp = 2): Promise<StepTime> {
  const session = new TrainingSession({ config, data });
  try {
    for (let i = 0; i < warmUp; i++) await session.step();
    const ticks0 = ticksByThread();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await session.step();
    const ms = (performance.now() - t0) / steps;
    const cpu = process.cpuUsage(cpu0);
    return { ms, cpuMs: (cpu.user + cpu.system) / 1000 / steps, threadShares: shares(ticks0, ticksByThread()) };
  } finally {
    session.dispose();
  }
}

/** One line on how busy the machine is: the figures are only comparable within one run. */
export function machineLine(): string {
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  return `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), load average ${one.toFixed(1)} / ${five.toFixed(1)} / ${fifteen.toFixed(1)} (1/5/15 min)`;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
