/**
 * `npm run bench -- gpu-check`: what a person runs on a machine with a GPU (Linux, Windows or
 * macOS). It installs nothing: it prints `doctor`, then times the engine's training step on webgpu
 * (and on tfjs-node-gpu when that package installed) at widths 64 and 128, sizes 32 and 64, as one
 * table. GPU_ADAPTER=name picks one GPU of two; BENCH_STEPS sets the timed steps (default 20).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark } from './index';
import { backendTitle, isSoftware, noiseImages, timeGpuSteps, tryBackend } from './gpu-steps';

const STEPS = Number(process.env['BENCH_STEPS'] ?? 20);
const WIDTHS = [64, 128];
const SIZES = [32, 64];

function runDoctor(): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'gwb-gpu-check-'));
  try {
    const cli = join(import.meta.dirname, '..', 'src-main', 'cli.ts');
    const adapter = process.env['GPU_ADAPTER'] ? ['--adapter', process.env['GPU_ADAPTER']] : [];
    const out = spawnSync(process.execPath, ['--import', 'tsx', cli, '--data-dir', dataDir, ...adapter, 'doctor'], { encoding: 'utf8' });
    return out.status === 0 ? out.stdout.trimEnd() : `doctor failed (exit ${out.status}): ${out.stderr.trim() || out.stdout.trim()}`;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export default {
  name: 'gpu-check',
  async run() {
    console.log(runDoctor());
    console.log(`\nreference DCGAN (batch 64, z 100) on noise images x3 channels; ${STEPS} timed steps after 2 warm-up steps (BENCH_STEPS)`);
    const rows: string[][] = [['backend', 'width', 'size', 's/step', 'images/s', 'note']];
    for (const name of ['webgpu', 'tfjs-node-gpu'] as const) {
      const report = await tryBackend(name, process.env['GPU_ADAPTER']);
      if (typeof report === 'string') {
        rows.push([name, '-', '-', '-', '-', `unavailable: ${report}`]);
        continue;
      }
      const software = isSoftware(report);
      for (const width of WIDTHS) {
        for (const size of SIZES) {
          // A software adapter emulates the GPU on the CPU (minutes per step at these widths): not timed.
          if (software) {
            rows.push([backendTitle(report), String(width), String(size), '-', '-', 'not timed: a software adapter; the wasm row of `npm run bench -- engine` is the CPU figure']);
            continue;
          }
          const t = await timeGpuSteps(width, noiseImages(size), STEPS);
          rows.push([backendTitle(report), String(width), String(size), t.wall.toFixed(3), t.imagesPerSec.toFixed(0), '']);
        }
      }
    }
    // The note (last column) is left unpadded: it may be a long reason.
    const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length)));
    const line = (row: string[]) => row.map((cell, col) => (col === row.length - 1 ? cell : col >= 1 ? cell.padStart(widths[col]!) : cell.padEnd(widths[col]!)));
    for (const row of rows) console.log(line(row).join('  ').trimEnd());
  },
} satisfies Benchmark;
