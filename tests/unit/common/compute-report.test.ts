/** The GPU adapter as `doctor` and the compute badge print it: its one-line label and its limits in binary units. */
import { describe, expect, it } from 'vitest';
import { adapterLabel, adapterLimitsLine } from '../../../src-main/common/compute-report';
import type { GpuAdapterReport } from '../../../src-main/common/domain';

const adapter = (patch: Partial<GpuAdapterReport>): GpuAdapterReport => ({
  vendor: 'nvidia',
  architecture: 'ampere',
  device: '',
  description: 'NVIDIA GeForce RTX 3060',
  software: false,
  f16: false,
  powerPreference: 'high-performance',
  limits: {},
  ...patch,
});

describe('adapterLabel', () => {
  it('names vendor and architecture, with the description in parentheses', () => {
    expect(adapterLabel(adapter({}))).toBe('nvidia ampere (NVIDIA GeForce RTX 3060)');
  });

  it('prefers the description to the device, and falls back to the device', () => {
    expect(adapterLabel(adapter({ description: 'Radeon RX 6800', device: '0x73bf' }))).toBe('nvidia ampere (Radeon RX 6800)');
    expect(adapterLabel(adapter({ description: '', device: '0x73bf' }))).toBe('nvidia ampere (0x73bf)');
  });

  it('leaves out empty parts: no parentheses without detail, one name without architecture', () => {
    expect(adapterLabel(adapter({ architecture: '', description: '' }))).toBe('nvidia');
    expect(adapterLabel(adapter({ vendor: '', description: '' }))).toBe('ampere');
  });

  it('says "unknown adapter" when the adapter names nothing, and marks a CPU emulation as software', () => {
    expect(adapterLabel(adapter({ vendor: '', architecture: '', description: '', device: '' }))).toBe('unknown adapter');
    expect(adapterLabel(adapter({ vendor: 'google', architecture: '', description: 'SwiftShader Device (Subzero)', software: true }))).toBe(
      'google (SwiftShader Device (Subzero)), software',
    );
  });
});

describe('adapterLimitsLine', () => {
  it('starts with f16 support and lists each limit, sizes in binary units and counts as they are', () => {
    const limits = {
      maxBufferSize: 2 ** 30,
      maxStorageBufferBindingSize: 128 * 2 ** 20,
      maxComputeWorkgroupStorageSize: 16384,
      maxComputeInvocationsPerWorkgroup: 256,
      maxComputeWorkgroupSizeX: 1024,
    };
    expect(adapterLimitsLine(adapter({ f16: true, limits }))).toBe(
      'f16 yes · maxBufferSize 1 GiB · maxStorageBufferBindingSize 128 MiB · maxComputeWorkgroupStorageSize 16 KiB · maxComputeInvocationsPerWorkgroup 256 · maxComputeWorkgroupSizeX 1024',
    );
    expect(adapterLimitsLine(adapter({ f16: false }))).toBe('f16 no');
  });

  it('steps up a unit at 1024, keeps one decimal for fractions, and stops at TiB', () => {
    const line = (value: number) => adapterLimitsLine(adapter({ limits: { maxBufferSize: value } }));
    expect(line(1023)).toBe('f16 no · maxBufferSize 1023 B');
    expect(line(1024)).toBe('f16 no · maxBufferSize 1 KiB');
    expect(line(1.5 * 2 ** 30)).toBe('f16 no · maxBufferSize 1.5 GiB');
    expect(line(2 ** 40)).toBe('f16 no · maxBufferSize 1 TiB');
    expect(line(2 ** 50)).toBe('f16 no · maxBufferSize 1024 TiB');
  });
});
