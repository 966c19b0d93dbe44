/** Runs the PyTorch peer (dcgan_torch.py) with Debian's python3-torch on pthread OpenBLAS, or says how to get it. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** Debian's interpreter: a python3 earlier on PATH (pyenv, conda) may not see Debian's packages. */
const PYTHON = '/usr/bin/python3';
const OPENBLAS_PTHREAD = '/usr/lib/x86_64-linux-gnu/openblas-pthread';
const SCRIPT = join(import.meta.dirname, 'dcgan_torch.py');
const run = promisify(execFile);

export interface PeerTime {
  torch: string;
  ms: number;
  cpuMs: number;
  threadShares: number[];
}

function env(threads: number): NodeJS.ProcessEnv {
  const libraryPath = [OPENBLAS_PTHREAD, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  const n = String(threads);
  return { ...process.env, LD_LIBRARY_PATH: libraryPath, OPENBLAS_NUM_THREADS: n, OMP_NUM_THREADS: n };
}

/** Null when the peer can run here, else why not and how to install it. */
export async function torchMissing(): Promise<string | null> {
  try {
    await run(PYTHON, ['-c', 'import torch'], { env: env(1) });
    return null;
  } catch {
    return `${PYTHON} cannot import torch; install Debian's build to compare: apt-get install -y python3-torch libopenblas0-pthread`;
  }
}

export async function runTorchPeer(threads: number, steps: number): Promise<PeerTime> {
  const { stdout } = await run(PYTHON, [SCRIPT, String(threads), String(steps)], { env: env(threads), timeout: 30 * 60_000 });
  const line = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { torch: string; ms_per_step: number; cpu_ms_per_step: number };
  return { torch: line.torch, ms: line.ms_per_step, cpuMs: line.cpu_ms_per_step, threadShares: [] };
}
