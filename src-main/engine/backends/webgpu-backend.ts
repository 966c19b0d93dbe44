/** The webgpu backend: a device on the chosen Dawn adapter, registered with TensorFlow.js, and watched for loss and GPU errors. */
import * as tf from '@tensorflow/tfjs';
import type { GpuAdapterReport } from '../../common/domain';
import { adapterLabel } from '../../common/compute-report';
import { chooseAdapter, loadDawn, matchesAdapter, type DawnAdapter, type DawnDevice } from './webgpu-adapter';
import { registerWebgpuTrainingKernels } from './webgpu-kernels';

/** A failure that the adapter was found but cannot be used, carrying the adapter for the report. */
export class AdapterRefused extends Error {
  constructor(
    message: string,
    readonly adapter: GpuAdapterReport,
  ) {
    super(message);
  }
}

/** What went wrong on the GPU: the run pauses on it, and the device is rebuilt before training goes on. */
export class GpuFault extends Error {
  constructor(
    readonly kind: 'device-lost' | 'out-of-memory' | 'gpu-error',
    message: string,
  ) {
    super(message);
  }
}

interface ActiveDevice {
  device: DawnDevice;
  adapter: GpuAdapterReport;
  /** Set once the device is lost (driver reset, GPU removed, destroyed). */
  lost: string | null;
  /** Errors no error scope caught since the last check. */
  uncaptured: string[];
}

let active: ActiveDevice | null = null;

function softwareRefused(report: GpuAdapterReport): AdapterRefused {
  return new AdapterRefused(`only a software adapter was found (${adapterLabel(report)}): slower than wasm; force it with --backend webgpu`, report);
}

/**
 * tfjs-backend-webgpu registers its own backend at import only when `navigator.gpu` exists; it is
 * imported before that so the backend registered here (on the chosen adapter) is the only one.
 */
async function webgpuBackendClass(): Promise<new (device: never, info: never) => tf.KernelBackend> {
  const module = await import('@tensorflow/tfjs-backend-webgpu');
  return module.WebGPUBackend as unknown as new (device: never, info: never) => tf.KernelBackend;
}

/** tfjs-backend-webgpu looks for `navigator.gpu`; Node 21+ has a `navigator` of its own, Node 20 none. */
function exposeGpu(gpu: unknown): void {
  const existing = (globalThis as { navigator?: object }).navigator;
  if (existing !== undefined && 'gpu' in existing) return;
  const navigator = { ...(existing ?? {}), gpu, userAgent: (existing as { userAgent?: string } | undefined)?.userAgent ?? 'node' };
  Object.defineProperty(globalThis, 'navigator', { value: navigator, configurable: true, writable: true });
}

/** The device limits tfjs-backend-webgpu asks for: the adapter's own, not WebGPU's small defaults. */
const REQUIRED_LIMITS = [
  'maxComputeWorkgroupStorageSize',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupSizeX',
  'maxComputeInvocationsPerWorkgroup',
  // Not asked for by tfjs; binding more buffers per shader lets AddN and Concat do more per pass.
  'maxStorageBuffersPerShaderStage',
] as const;

async function openDevice(adapter: DawnAdapter, report: GpuAdapterReport): Promise<ActiveDevice> {
  const requiredLimits: Record<string, number> = {};
  for (const key of REQUIRED_LIMITS) requiredLimits[key] = Number(adapter.limits[key]);
  const device = await adapter.requestDevice({ requiredLimits });
  const state: ActiveDevice = { device, adapter: report, lost: null, uncaptured: [] };
  void device.lost.then((info) => {
    // 'destroyed' is our own doing when the backend is replaced; anything else is the driver or the OS.
    state.lost = `${info.reason === 'destroyed' ? 'the GPU device was destroyed' : 'the GPU device was lost'}${info.message ? ` (${info.message})` : ''}`;
  });
  device.addEventListener('uncapturederror', (event) => {
    state.uncaptured.push(event.error.message);
  });
  return state;
}

/**
 * Makes webgpu the TensorFlow.js backend on the adapter named by `adapterName` (else Dawn's
 * high-performance one). A software adapter is refused unless `allowSoftware` (the user forced
 * webgpu). Calling it again replaces the device, which is how training recovers from a lost one.
 */
export async function activateWebgpu(adapterName: string | undefined, allowSoftware: boolean): Promise<GpuAdapterReport> {
  const Backend = await webgpuBackendClass();
  // A healthy device is kept, with its compiled pipelines; only a lost one is replaced.
  if (active !== null && active.lost === null && tf.findBackend('webgpu') !== null && (adapterName === undefined || matchesAdapter(active.adapter, adapterName))) {
    if (active.adapter.software && !allowSoftware) throw softwareRefused(active.adapter);
    if (!(await tf.setBackend('webgpu'))) throw new Error(`the webgpu backend failed to initialize on ${adapterLabel(active.adapter)}`);
    return active.adapter;
  }
  const gpu = await loadDawn();
  const { adapter, report } = await chooseAdapter(adapterName);
  if (report.software && !allowSoftware) throw softwareRefused(report);
  exposeGpu(gpu);
  registerWebgpuTrainingKernels();
  const previous = active;
  if (tf.findBackend('webgpu') !== null || tf.findBackendFactory('webgpu') !== null) tf.removeBackend('webgpu');
  previous?.device.destroy();
  active = await openDevice(adapter, report);
  const device = active.device;
  tf.registerBackend('webgpu', () => new Backend(device as never, adapter.info as never));
  if (!(await tf.setBackend('webgpu'))) throw new Error(`the webgpu backend failed to initialize on ${adapterLabel(report)}`);
  return report;
}

/** The device training runs on, or null when webgpu is not active (for tests that break it on purpose). */
export function activeGpuDevice(): DawnDevice | null {
  return tf.getBackend() === 'webgpu' ? (active?.device ?? null) : null;
}

/**
 * Runs one unit of GPU work (a training step) inside error scopes and throws a GpuFault when the
 * device was lost or the GPU reported out-of-memory or another error meanwhile. On other backends
 * it only runs `work`.
 */
export async function watchGpu<T>(work: () => Promise<T>): Promise<T> {
  const state = tf.getBackend() === 'webgpu' ? active : null;
  if (state === null) return work();
  throwIfFaulted(state);
  const { device } = state;
  device.pushErrorScope('internal');
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let result: T | undefined;
  let failure: unknown = null;
  try {
    result = await work();
  } catch (error) {
    failure = error;
  }
  // Popped in reverse order of pushing; on a lost device they resolve to null.
  const validation = await device.popErrorScope();
  const oom = await device.popErrorScope();
  const internal = await device.popErrorScope();
  throwIfFaulted(state);
  if (oom !== null) throw new GpuFault('out-of-memory', `the GPU ran out of memory (${oom.message.split('\n')[0]})`);
  const other = validation ?? internal;
  if (other !== null) throw new GpuFault('gpu-error', `the GPU reported an error: ${other.message.split('\n')[0]}`);
  if (failure !== null) throw failure;
  return result as T;
}

function throwIfFaulted(state: ActiveDevice): void {
  if (state.lost !== null) throw new GpuFault('device-lost', state.lost);
  const uncaptured = state.uncaptured.splice(0);
  if (uncaptured.length > 0) throw new GpuFault('gpu-error', `the GPU reported an error: ${(uncaptured[0] ?? '').split('\n')[0]}`);
}
