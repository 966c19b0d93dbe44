/** Finds the WebGPU adapters Dawn (npm `webgpu`) sees here, picks one by name or power preference, and describes it for the backend report. */
import { existsSync } from 'node:fs';
import { adapterLabel } from '../../common/compute-report';
import type { GpuAdapterReport } from '../../common/domain';

/** The parts of Dawn's WebGPU objects we use, typed here because `webgpu` is an optional dependency. */
export interface DawnDevice {
  readonly lost: Promise<{ reason: string; message: string }>;
  destroy(): void;
  pushErrorScope(filter: 'out-of-memory' | 'validation' | 'internal'): void;
  popErrorScope(): Promise<{ message: string } | null>;
  addEventListener(type: 'uncapturederror', listener: (event: { error: { message: string } }) => void): void;
}

export interface DawnAdapter {
  readonly info: { vendor: string; architecture: string; device: string; description: string; isFallbackAdapter?: boolean };
  readonly features: ReadonlySet<string>;
  readonly limits: Readonly<Record<string, number>>;
  requestDevice(descriptor?: { requiredLimits?: Record<string, number>; requiredFeatures?: string[] }): Promise<DawnDevice>;
}

interface DawnGpu {
  requestAdapter(options?: { powerPreference?: PowerPreference }): Promise<DawnAdapter | null>;
}

interface DawnModule {
  create(flags: string[]): DawnGpu;
  globals: Record<string, unknown>;
}

type PowerPreference = 'high-performance' | 'low-power';

/** The limits a training step runs into first: buffer sizes, workgroup memory and size, storage bindings. */
const REPORTED_LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupsPerDimension',
] as const;

/** CPU implementations of WebGPU/Vulkan: fine for tests, slower than the wasm backend for training. */
const SOFTWARE_NAMES = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|\bwarp\b/i;

export interface FoundAdapter {
  adapter: DawnAdapter;
  report: GpuAdapterReport;
}

let dawn: Promise<DawnModule> | null = null;
let gpu: DawnGpu | null = null;

/** Loads Dawn's bindings once and installs the WebGPU globals (GPUBufferUsage, …) that tfjs-backend-webgpu expects. */
export async function loadDawn(): Promise<DawnGpu> {
  dawn ??= import(/* @vite-ignore */ DAWN_PACKAGE).then((m: DawnModule) => m);
  let module: DawnModule;
  try {
    module = await dawn;
  } catch (error) {
    dawn = null;
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new Error(`package "${DAWN_PACKAGE}" is not installed (an optional dependency; npm skips it where its prebuilt Dawn does not fit)`, { cause: error });
    }
    throw new Error(`Dawn's prebuilt bindings failed to load on ${process.platform}-${process.arch}: ${messageOf(error)}`, { cause: error });
  }
  if (gpu === null) {
    Object.assign(globalThis, module.globals);
    gpu = module.create([]);
  }
  return gpu;
}

/** A variable keeps bundlers from resolving the optional package at build time. */
const DAWN_PACKAGE = 'webgpu';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function describeAdapter(adapter: DawnAdapter, powerPreference: PowerPreference): GpuAdapterReport {
  const info = adapter.info;
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`;
  const limits: Record<string, number> = {};
  for (const key of REPORTED_LIMITS) limits[key] = Number(adapter.limits[key]);
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    software: info.isFallbackAdapter === true || SOFTWARE_NAMES.test(text),
    f16: adapter.features.has('shader-f16'),
    powerPreference,
    limits,
  };
}

/**
 * Every adapter Dawn offers, best first: what it picks for high performance, then for low power
 * (on a laptop with two GPUs, the discrete and the integrated one). Duplicates are dropped.
 */
export async function listAdapters(): Promise<FoundAdapter[]> {
  const gpu = await loadDawn();
  const found: FoundAdapter[] = [];
  for (const powerPreference of ['high-performance', 'low-power'] as const) {
    const adapter = await gpu.requestAdapter({ powerPreference });
    if (adapter === null) continue;
    const report = describeAdapter(adapter, powerPreference);
    if (!found.some((f) => adapterLabel(f.report) === adapterLabel(report))) found.push({ adapter, report });
  }
  return found;
}

/** `name` matches case-insensitively anywhere in the vendor, architecture, device or description. */
export function matchesAdapter(report: GpuAdapterReport, name: string): boolean {
  const needle = name.trim().toLowerCase();
  return [report.vendor, report.architecture, report.device, report.description].some((s) => s.toLowerCase().includes(needle));
}

/** The adapter to train on: the one named by `name`, else the high-performance one. Throws saying why there is none. */
export async function chooseAdapter(name?: string): Promise<FoundAdapter> {
  const found = await listAdapters();
  if (found.length === 0) throw new Error(noAdapterReason());
  if (name === undefined || name.trim() === '') return found[0] as FoundAdapter;
  const match = found.find((f) => matchesAdapter(f.report, name));
  if (match === undefined) throw new Error(`no WebGPU adapter matches "${name}"; found: ${found.map((f) => adapterLabel(f.report)).join('; ')}`);
  return match;
}

/** Where Debian and most Linux distributions put the Vulkan loader Dawn opens. */
const VULKAN_LOADER_PATHS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib/x86_64-linux-gnu', '/lib64'].map(
  (dir) => `${dir}/libvulkan.so.1`,
);

/** Why Dawn found no adapter, in one line, with what to install. */
export function noAdapterReason(): string {
  if (process.platform === 'linux') {
    if (!VULKAN_LOADER_PATHS.some((p) => existsSync(p))) {
      return 'no GPU adapter: the Vulkan loader (libvulkan.so.1, Debian/Ubuntu package libvulkan1) is not installed';
    }
    const icd = process.env['VK_ICD_FILENAMES'] ?? process.env['VK_DRIVER_FILES'];
    if (icd !== undefined && icd.split(':').some((f) => f !== '' && !existsSync(f))) {
      return `no GPU adapter: VK_ICD_FILENAMES names a Vulkan driver file that does not exist (${icd})`;
    }
    return 'no GPU adapter: Vulkan offered no usable driver (install your GPU vendor’s driver with Vulkan support: NVIDIA, AMD or Intel)';
  }
  if (process.platform === 'darwin') return 'no GPU adapter: Metal offered none (a Mac with a Metal GPU is needed)';
  if (process.platform === 'win32') return 'no GPU adapter: D3D12 and Vulkan offered none (update the GPU driver; Windows 10 or later)';
  return `no GPU adapter: Dawn has no backend for ${process.platform}`;
}
