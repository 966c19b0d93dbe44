/** Multi-threaded wasm in Node: tfjs's threaded-SIMD build, loaded so that Node's worker_threads can run its pthreads. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { BackendWasm, getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

/** The threaded build starts this many pthread workers up front, and backend.cc caps XNNPACK's pool to it. */
export const MAX_WASM_THREADS = 8;
/** tfjs-backend-wasm registers 'wasm' at this priority; ours keeps it. */
const WASM_PRIORITY = 2;
const GLUE = 'tfjs-backend-wasm-threaded-simd.js';
const BINARY = 'tfjs-backend-wasm-threaded-simd.wasm';
const WORKER = 'tfjs-backend-wasm-threaded-simd.worker.js';

// Not named `require`: the bundle of the trainer declares its own.
const requireFromHere = createRequire(import.meta.url);

type BackendModule = ConstructorParameters<typeof BackendWasm>[0];
interface ThreadedModule {
  cwrap: (name: string, returnType: string | null, argTypes: string[]) => (...args: number[]) => number;
  PThread: { runningWorkers: Worker[] };
  tfjs?: unknown;
}
type Imports = Record<string, Record<string, unknown>>;
interface FactoryConfig {
  locateFile(file: string): string;
  mainScriptUrlOrBlob: string;
  instantiateWasm(imports: Imports, receive: (instance: unknown, module: unknown) => void): object;
  onAbort(what: unknown): void;
}
/** The global WebAssembly API (this project's TypeScript lib has no DOM types). */
const webAssembly = (globalThis as unknown as { WebAssembly: { instantiate(bytes: Uint8Array, imports: Imports): Promise<{ instance: unknown; module: unknown }> } })
  .WebAssembly;

/** tfjs's own loader: single-threaded (it turns threads off whenever it runs in Node, tfjs issue 3830). */
const singleThreaded = tf.findBackendFactory('wasm');
let configured = 1;

/** All the cores this process may use, within what the threaded build supports. */
export function defaultThreadCount(): number {
  return clampThreads(availableParallelism());
}

function clampThreads(threads: number): number {
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`thread count must be a whole number ≥ 1, got ${threads}`);
  return Math.min(threads, MAX_WASM_THREADS);
}

/**
 * Makes the 'wasm' backend run XNNPACK on `threads` threads (capped at MAX_WASM_THREADS; 1 keeps
 * tfjs's single-threaded SIMD build). It takes effect at the next tf.setBackend('wasm'); an
 * initialized wasm backend with another count is removed first, and its tensors with it.
 */
export function useWasmThreads(threads: number): void {
  const count = clampThreads(threads);
  const registered = tf.findBackendFactory('wasm') !== null;
  if (registered && count === configured) return;
  if (singleThreaded === null) throw new Error('@tensorflow/tfjs-backend-wasm registered no wasm backend');
  if (registered) tf.removeBackend('wasm');
  tf.registerBackend('wasm', count === 1 ? singleThreaded : () => loadThreaded(count), WASM_PRIORITY);
  configured = count;
}

/** Threads XNNPACK runs on in the initialized wasm backend (-1 before the first initialization). */
export function wasmThreadCount(): number {
  return getThreadsCount();
}

function wasmOutDir(): string {
  return join(dirname(requireFromHere.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
}

/**
 * tfjs hands Emscripten its pthread worker and its main script as blob: URLs, which Node's Worker
 * cannot start. Here the worker script is a real file (written to a private temp folder, read
 * only while the workers start) and the main script is the glue file itself. The build sizes
 * XNNPACK's pool as min(requested, logical cores / 2) to skip hyper-threads, so the core count
 * it asks for is reported as twice the requested threads.
 */
async function loadThreaded(threads: number): Promise<tf.KernelBackend> {
  if (!(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'))) throw new Error('multi-threaded wasm needs WebAssembly SIMD, which this runtime lacks');
  const out = wasmOutDir();
  const glue = join(out, GLUE);
  const factory = requireFromHere(glue) as (config: FactoryConfig) => Promise<ThreadedModule>;
  const binary = readFileSync(join(out, BINARY));
  const { wasmWorkerContents } = requireFromHere(join(out, WORKER)) as { wasmWorkerContents: string };
  const scratch = mkdtempSync(join(tmpdir(), 'gwb-wasm-'));
  try {
    const workerFile = join(scratch, 'pthread-worker.cjs');
    // The package keeps the script in a template literal that turned its "\n" escapes into newlines.
    writeFileSync(workerFile, wasmWorkerContents.replace(/\n/g, '\\n'));
    const module = await new Promise<ThreadedModule>((resolve, reject) => {
      factory({
        locateFile: (file) => (file.endsWith('.worker.js') ? workerFile : join(out, file)),
        mainScriptUrlOrBlob: glue,
        instantiateWasm(imports, receive) {
          const env = { ...imports['env'], emscripten_num_logical_cores: () => 2 * threads };
          webAssembly.instantiate(binary, { ...imports, env, wasi_snapshot_preview1: env }).then((r) => receive(r.instance, r.module), reject);
          return {};
        },
        onAbort: (what) => reject(new Error(`the threaded wasm module aborted: ${String(what)}`)),
      }).then(resolve, reject);
    });
    module.tfjs = {
      init: module.cwrap('init', null, []),
      initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
      getThreadsCount: module.cwrap('get_threads_count', 'number', []),
      registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
      disposeData: module.cwrap('dispose_data', null, ['number']),
      dispose: module.cwrap('dispose', null, []),
    };
    setThreadsCount(threads);
    const backend = new BackendWasm(module as unknown as BackendModule);
    // The pool's threads wait on futexes, not on the event loop: they must not keep the process alive.
    for (const worker of module.PThread.runningWorkers) worker.unref();
    return backend;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
