import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useAppStore } from '../../../src-renderer/stores/app';
import { setupStores, type FakeTransport } from './fake-transport';

describe('useAppStore', () => {
  let transport: FakeTransport;

  beforeEach(() => {
    ({ transport } = setupStores({ 'app.info': () => ({ version: '0.1.0', dataDir: '/data', mode: 'headless' }) }));
  });

  it('loads the app info', async () => {
    const store = useAppStore();
    await store.loadInfo();
    expect(store.info).toEqual({ version: '0.1.0', dataDir: '/data', mode: 'headless' });
    expect(store.infoError).toBeNull();
  });

  it('keeps the error when the server cannot be reached', async () => {
    transport.handlers['app.info'] = () => {
      throw new Error('could not connect to the workbench server');
    };
    const store = useAppStore();
    await store.loadInfo();
    expect(store.info).toBeNull();
    expect(store.infoError).toMatch(/could not connect/);
  });

  it('loads the compute backend report, and keeps the error when the probe fails', async () => {
    const report = {
      name: 'webgpu',
      reasons: { wasm: 'not needed: webgpu is preferred and works' },
      adapter: {
        vendor: 'nvidia',
        architecture: 'ampere',
        device: '',
        description: 'NVIDIA GeForce RTX 3060',
        software: false,
        f16: true,
        powerPreference: 'high-performance',
        limits: { maxBufferSize: 2 ** 31 },
      },
    };
    transport.handlers['system.backend'] = () => report;
    const store = useAppStore();
    const loading = store.loadBackend();
    expect(store.backendLoading).toBe(true);
    await loading;
    expect(store.backend).toEqual(report);
    expect(store.backendLoading).toBe(false);
    transport.handlers['system.backend'] = () => {
      throw new Error('no TensorFlow.js backend works');
    };
    await store.loadBackend();
    expect(store.backendError).toMatch(/no TensorFlow.js backend works/);
    expect(store.backend).toEqual(report);
  });

  it('switches the locale', () => {
    const store = useAppStore();
    store.setLocale('zh-CN');
    expect(store.locale).toBe('zh-CN');
    store.setLocale('en');
    expect(store.locale).toBe('en');
  });

  it('shows notices until dismissed or timed out', () => {
    vi.useFakeTimers();
    try {
      const store = useAppStore();
      const a = store.notify('info', 'hello', 1000);
      store.notify('error', 'sticky', 0);
      expect(store.notices.map((n) => n.text)).toEqual(['hello', 'sticky']);
      vi.advanceTimersByTime(1000);
      expect(store.notices.map((n) => n.text)).toEqual(['sticky']);
      store.dismiss(a);
      store.dismiss(store.notices[0]!.id);
      expect(store.notices).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('turns data-dir paths into loadable URLs through the transport', () => {
    const store = useAppStore();
    expect(store.fileUrl('runs/r1/samples/10.png')).toBe('fake://data/runs/r1/samples/10.png');
  });
});
