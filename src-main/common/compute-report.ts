/** Plain-text pieces of a BackendReport, shared by `doctor` and the UI's compute badge: the GPU adapter in one line and its limits. */
import type { GpuAdapterReport } from './domain';

/** "nvidia ampere (NVIDIA GeForce RTX 3060)"; ", software" is added for a CPU emulation such as SwiftShader. */
export function adapterLabel(adapter: GpuAdapterReport): string {
  const name = [adapter.vendor, adapter.architecture].filter((s) => s !== '').join(' ') || 'unknown adapter';
  const detail = adapter.description || adapter.device;
  return `${name}${detail ? ` (${detail})` : ''}${adapter.software ? ', software' : ''}`;
}

function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

/** "f16 no · maxBufferSize 1 GiB · …": sizes of buffers and workgroup memory in binary units, counts as they are. */
export function adapterLimitsLine(adapter: GpuAdapterReport): string {
  const limits = Object.entries(adapter.limits).map(([key, value]) => `${key} ${/Size$/.test(key) ? bytes(value) : String(value)}`);
  return [`f16 ${adapter.f16 ? 'yes' : 'no'}`, ...limits].join(' · ');
}
