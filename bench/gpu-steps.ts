/** Timing the engine's training step on a GPU backend (webgpu, tfjs-node-gpu): shared by the gpu-check and engine benchmarks. */
import { resolveConfigOrThrow } from '../src-main/common/config-resolve';
import { adapterLabel } from '../src-main/common/compute-report';
import type { BackendReport } from '../src-main/common/domain';
import { resolveBackend } from '../src-main/engine/backends/resolve-backend';
import { TrainingSession, type TrainingData } from '../src-main/engine/training-session';

export interface StepTiming {
  /** Wall seconds per D+G step, after warm-up. */
  wall: number;
  imagesPerSec: number;
  steps: number;
}

/** Noise images, size × size × 3, from a fixed LCG: the step's speed does not depend on the pixels. */
export function noiseImages(size: number, count = 256): TrainingData {
  const images = new Uint8Array(count * size * size * 3);
  let s = 12345;
  for (let i = 0; i < images.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    images[i] = s >>> 24;
  }
  return { images, count, size, channels: 3 };
}

/**
 * The reference DCGAN (batch 64, z 100, non-saturating) at `width` on `data`: `steps` timed steps
 * after `warmUp` steps (shader compilation and the first buffers happen there).
 */
export async function timeGpuSteps(width: number, data: TrainingData, steps: number, warmUp = 2): Promise<StepTiming> {
  const config = resolveConfigOrThrow({ config: { steps: steps + warmUp, batchSize: 64, latentSize: 100, model: { gWidth: width, dWidth: width } } });
  const session = new TrainingSession({ config, data });
  try {
    for (let i = 0; i < warmUp; i++) await session.step();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await session.step();
    const wall = (performance.now() - t0) / 1000 / steps;
    return { wall, imagesPerSec: 64 / wall, steps };
  } finally {
    session.dispose();
  }
}

/** Forces `name`; returns its report, or the one-line reason it is unavailable. */
export async function tryBackend(name: 'webgpu' | 'tfjs-node-gpu', adapter?: string): Promise<BackendReport | string> {
  try {
    return await resolveBackend(name, adapter === undefined ? {} : { adapter });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** "webgpu on nvidia ampere (NVIDIA GeForce RTX 3060)", with ", software" for an emulated GPU. */
export function backendTitle(report: BackendReport): string {
  return report.adapter !== null && report.name === 'webgpu' ? `${report.name} on ${adapterLabel(report.adapter)}` : report.name;
}

/** A software adapter (SwiftShader) emulates the GPU on the CPU, far slower than a GPU: timed briefly or not at all. */
export function isSoftware(report: BackendReport): boolean {
  return report.name === 'webgpu' && report.adapter?.software === true;
}
