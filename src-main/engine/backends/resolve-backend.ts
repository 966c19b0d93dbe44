/** Picks the fastest TensorFlow.js backend that works here and reports why each other one was not used. */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BackendReport } from '../../common/domain';
import { registerWasmTrainingKernels } from './wasm-kernels';
import { useWasmThreads, wasmThreadCount } from './wasm-threads';

/** Best first. The two native packages are optional dependencies that often fail to install. */
export const BACKEND_ORDER = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;
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

export interface BackendOptions {
  /** Threads for the wasm backend (default 1; the trainer passes the run's compute.threads). */
  threads?: number;
}

/** Throws with the reason when the backend cannot be used. */
async function activate(name: BackendName, options: BackendOptions): Promise<void> {
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
    return;
  }
  if (name === 'wasm') {
    registerWasmTrainingKernels();
    useWasmThreads(options.threads ?? 1);
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
}

/** The report of the active backend: with its thread count where we choose it. */
function reportOf(name: BackendName, reasons: Record<string, string>): BackendReport {
  return name === 'wasm' ? { name, reasons, threads: wasmThreadCount() } : { name, reasons };
}

export function normalizeBackendName(name: string): BackendName {
  const canonical = (BACKEND_ORDER as readonly string[]).includes(name) ? (name as BackendName) : ALIASES[name];
  if (canonical === undefined) throw new Error(`unknown backend "${name}"; expected one of ${BACKEND_ORDER.join(', ')}`);
  return canonical;
}

/**
 * Tries the backends best first (or only `preferred`) and activates the first that works.
 * `reasons` holds a line for every backend not chosen. With `preferred`, failure throws naming why.
 */
export async function resolveBackend(preferred?: string, options: BackendOptions = {}): Promise<BackendReport> {
  const reasons: Record<string, string> = {};
  if (preferred !== undefined) {
    const name = normalizeBackendName(preferred);
    try {
      await activate(name, options);
    } catch (error) {
      throw new Error(`backend ${name} is unavailable: ${messageOf(error)}`, { cause: error });
    }
    for (const other of BACKEND_ORDER) if (other !== name) reasons[other] = `not tried: backend ${name} was requested`;
    return reportOf(name, reasons);
  }
  for (const [index, name] of BACKEND_ORDER.entries()) {
    try {
      await activate(name, options);
    } catch (error) {
      reasons[name] = messageOf(error);
      continue;
    }
    for (const lower of BACKEND_ORDER.slice(index + 1)) reasons[lower] = `not needed: ${name} is preferred and works`;
    return reportOf(name, reasons);
  }
  throw new Error(`no TensorFlow.js backend works: ${JSON.stringify(reasons)}`);
}
