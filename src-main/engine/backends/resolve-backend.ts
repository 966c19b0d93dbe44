/** Picks the fastest TensorFlow.js backend that works here and reports why each other one was not used. */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BackendReport, GpuAdapterReport } from '../../common/domain';
import { registerWasmTrainingKernels } from './wasm-kernels';
import { useWasmThreads, wasmThreadCount } from './wasm-threads';
import { AdapterRefused, activateWebgpu } from './webgpu-backend';

/**
 * Best first. The two native packages are optional dependencies that often fail to install;
 * webgpu counts only on a hardware adapter unless forced (a software one is slower than wasm).
 */
export const BACKEND_ORDER = ['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_ORDER)[number];

const ALIASES: Record<string, BackendName> = {
  '@tensorflow/tfjs-node-gpu': 'tfjs-node-gpu',
  '@tensorflow/tfjs-node': 'tfjs-node',
  tensorflow: 'tfjs-node',
};

const NATIVE_PACKAGES: Record<'tfjs-node-gpu' | 'tfjs-node', string> = {
  'tfjs-node-gpu': '@tensorflow/tfjs-node-gpu',
  'tfjs-node': '@tensorflow/tfjs-node',
};

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isMissingModule(error: unknown, pkg: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && messageOf(error).includes(pkg);
}

/** How to choose: a forced backend, a GPU adapter by name (substring of its vendor or description), wasm's threads. */
export interface BackendChoice {
  backend?: string;
  adapter?: string;
  /** Threads for the wasm backend (default 1; the trainer passes the run's compute.threads). */
  threads?: number;
}

/** Throws with the reason when the backend cannot be used; returns the GPU adapter for webgpu. */
async function activate(name: BackendName, choice: BackendChoice, forced: boolean): Promise<GpuAdapterReport | null> {
  if (name === 'webgpu') return activateWebgpu(choice.adapter, forced);
  if (name === 'tfjs-node-gpu' || name === 'tfjs-node') {
    const pkg = NATIVE_PACKAGES[name];
    try {
      // A variable specifier keeps bundlers from resolving an optional package at build time.
      await import(/* @vite-ignore */ pkg);
    } catch (error) {
      if (isMissingModule(error, pkg)) throw new Error('package not installed (its install needs libtensorflow)', { cause: error });
      throw new Error(`package failed to load: ${messageOf(error)}`, { cause: error });
    }
    if (tf.findBackendFactory('tensorflow') === null) {
      throw new Error('package loaded but registered no "tensorflow" backend (a second copy of @tensorflow/tfjs-core?)');
    }
    if (!(await tf.setBackend('tensorflow'))) throw new Error('the "tensorflow" backend failed to initialize');
    return null;
  }
  if (name === 'wasm') {
    registerWasmTrainingKernels();
    useWasmThreads(choice.threads ?? 1);
    // Resolved from the installed package at run time, so it also works from the bundled out/main/.
    const dist = path.join(path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
    setWasmPaths(dist + path.sep);
  }
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
  } catch (error) {
    throw new Error(`initialization failed: ${messageOf(error)}`, { cause: error });
  }
  if (!ok) throw new Error('initialization failed');
  return null;
}

/** The report of the active backend: with its thread count where we choose it, and the GPU adapter found. */
function reportOf(name: BackendName, reasons: Record<string, string>, adapter: GpuAdapterReport | null): BackendReport {
  return name === 'wasm' ? { name, reasons, adapter, threads: wasmThreadCount() } : { name, reasons, adapter };
}

export function normalizeBackendName(name: string): BackendName {
  const canonical = (BACKEND_ORDER as readonly string[]).includes(name) ? (name as BackendName) : ALIASES[name];
  if (canonical === undefined) throw new Error(`unknown backend "${name}"; expected one of ${BACKEND_ORDER.join(', ')}`);
  return canonical;
}

/**
 * Tries the backends best first (or only `preferred`) and activates the first that works.
 * `reasons` holds a line for every backend not chosen; `adapter` the WebGPU adapter when one was
 * found. With `preferred`, failure throws naming why. `adapter` in the options picks a GPU by name.
 */
export async function resolveBackend(preferred?: string, options: Omit<BackendChoice, 'backend'> = {}): Promise<BackendReport> {
  const reasons: Record<string, string> = {};
  const choice: BackendChoice = { ...options, ...(preferred !== undefined ? { backend: preferred } : {}) };
  if (preferred !== undefined) {
    const name = normalizeBackendName(preferred);
    let adapter: GpuAdapterReport | null;
    try {
      adapter = await activate(name, choice, true);
    } catch (error) {
      throw new Error(`backend ${name} is unavailable: ${messageOf(error)}`, { cause: error });
    }
    for (const other of BACKEND_ORDER) if (other !== name) reasons[other] = `not tried: backend ${name} was requested`;
    return reportOf(name, reasons, adapter);
  }
  let seen: GpuAdapterReport | null = null;
  for (const [index, name] of BACKEND_ORDER.entries()) {
    let adapter: GpuAdapterReport | null;
    try {
      adapter = await activate(name, choice, false);
    } catch (error) {
      if (error instanceof AdapterRefused) seen = error.adapter;
      reasons[name] = messageOf(error);
      continue;
    }
    for (const lower of BACKEND_ORDER.slice(index + 1)) reasons[lower] = `not needed: ${name} is preferred and works`;
    return reportOf(name, reasons, adapter ?? seen);
  }
  throw new Error(`no TensorFlow.js backend works: ${JSON.stringify(reasons)}`);
}
