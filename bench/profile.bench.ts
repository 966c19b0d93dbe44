/** Where a training step's time goes on wasm: wall time per kernel (self and with the kernels it runs), and per kernel and shape. */
import { resolveBackend } from '../src-main/engine/backends/resolve-backend';
import { profileKernels, type KernelCost } from '../src-main/engine/backends/kernel-profiler';
import { defaultThreadCount } from '../src-main/engine/backends/wasm-threads';
import { TrainingSession } from '../src-main/engine/training-session';
import type { TrainingConfig } from '../src-main/common/training-config';
import { machineLine, mnistData, peerConfig, presetConfig } from './reference-dcgan';

const STEPS = Number(process.env.BENCH_STEPS ?? 10);
const TOP = Number(process.env.PROFILE_TOP ?? 20);
const THREADS = process.env.PROFILE_THREADS === undefined ? 1 : Number(process.env.PROFILE_THREADS);

function table(costs: KernelCost[], wallMs: number, steps: number, rows: number): void {
  const selfTotal = costs.reduce((s, c) => s + c.selfMs, 0);
  console.log(`  ${'kernel'.padEnd(72)} ms/step  share  calls/step  incl. ms/step`);
  for (const c of costs.slice(0, rows)) {
    const perStep = c.selfMs / steps;
    console.log(
      `  ${c.key.slice(0, 72).padEnd(72)} ${perStep.toFixed(2).padStart(7)} ${((100 * c.selfMs) / (wallMs * steps)).toFixed(1).padStart(5)}% ${(c.calls / steps).toFixed(0).padStart(11)} ${(c.totalMs / steps).toFixed(2).padStart(14)}`,
    );
  }
  const rest = costs.slice(rows).reduce((s, c) => s + c.selfMs, 0) / steps;
  console.log(`  ${`(${Math.max(0, costs.length - rows)} more)`.padEnd(72)} ${rest.toFixed(2).padStart(7)}`);
  console.log(`  kernels ${(selfTotal / steps).toFixed(1)} ms/step of ${wallMs.toFixed(1)} wall; the rest (${(wallMs - selfTotal / steps).toFixed(1)} ms) is JavaScript: tape, tidy, RNG, batches, optimizer bookkeeping`);
}

async function profileStep(label: string, config: TrainingConfig, steps: number): Promise<void> {
  const session = new TrainingSession({ config, data: mnistData() });
  try {
    await session.step();
    await session.step();
    for (const byShape of [false, true]) {
      const t0 = performance.now();
      const { costs } = await profileKernels('wasm', async () => {
        for (let i = 0; i < steps; i++) await session.step();
      }, { byShape });
      const wall = (performance.now() - t0) / steps;
      console.log(`\n${label}, ${byShape ? 'by kernel and input shapes' : 'by kernel'} (${steps} steps, ${wall.toFixed(1)} ms/step with the timers):`);
      table(costs, wall, steps, byShape ? TOP : TOP);
    }
  } finally {
    session.dispose();
  }
}

export default {
  name: 'profile',
  async run() {
    const threads = Math.min(THREADS, defaultThreadCount());
    await resolveBackend('wasm', { threads });
    console.log(`machine: ${machineLine()}`);
    console.log(`wasm on ${threads} thread(s) (PROFILE_THREADS to change); wall time per kernel, sorted by self time`);
    await profileStep("reference DCGAN (the PyTorch peer's network), batch 64", peerConfig(100), STEPS);
    await profileStep('sngan-hinge (ResNet, spectral norm), width 32, batch 64', presetConfig('sngan-hinge', 32, 100), Math.max(2, Math.round(STEPS / 4)));
  },
};
