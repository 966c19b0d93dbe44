/** The preload bridge over a fake ipcRenderer: only call and on reach the page, argument types are checked, events reach their listeners. */
import { describe, expect, it, vi } from 'vitest';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../../src-main/common/ipc-channels';
import { createBridge, type IpcRendererLike } from '../../../src-preload/bridge';

/** Records what the bridge sends, and lets the test play the main process's events. */
function fakeIpcRenderer() {
  const invoked: unknown[][] = [];
  const channels = new Map<string, (event: unknown, message: unknown) => void>();
  const ipc: IpcRendererLike = {
    invoke: async (channel, ...args) => {
      invoked.push([channel, ...args]);
      return { ok: true, result: { echo: args } };
    },
    on: (channel, listener) => channels.set(channel, listener),
  };
  const fromMain = (message: unknown) => channels.get(IPC_EVENT_CHANNEL)?.({ sender: 'main' }, message);
  return { ipc, invoked, channels, fromMain };
}

describe('createBridge', () => {
  it('exposes exactly call and on, frozen', () => {
    const { api } = createBridge(fakeIpcRenderer().ipc);
    expect(Object.keys(api).sort()).toEqual(['call', 'on']);
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('listens on the event channel only', () => {
    const fake = fakeIpcRenderer();
    createBridge(fake.ipc);
    expect([...fake.channels.keys()]).toEqual([IPC_EVENT_CHANNEL]);
  });

  it('sends a call on the call channel and hands back what main answered', async () => {
    const fake = fakeIpcRenderer();
    const { api } = createBridge(fake.ipc);
    expect(await api.call('runs.get', { id: 'run_1' })).toEqual({ ok: true, result: { echo: ['runs.get', { id: 'run_1' }] } });
    expect(fake.invoked).toEqual([[IPC_CALL_CHANNEL, 'runs.get', { id: 'run_1' }]]);
  });

  it.each([42, null, undefined, { toString: () => 'app.info' }, ['app.info']])('rejects a call whose method is %j, sending nothing', async (method) => {
    const fake = fakeIpcRenderer();
    const { api } = createBridge(fake.ipc);
    await expect(api.call(method as string, {})).rejects.toThrow(/workbench\.call: the method must be a string/);
    expect(fake.invoked).toEqual([]);
  });

  it('delivers events from main to the listeners of that event until they unsubscribe', () => {
    const fake = fakeIpcRenderer();
    const { api } = createBridge(fake.ipc);
    const metrics = vi.fn();
    const status = vi.fn();
    const off = api.on('run.metrics', metrics);
    api.on('run.status', status);
    fake.fromMain({ event: 'run.metrics', payload: { step: 1 } });
    off();
    fake.fromMain({ event: 'run.metrics', payload: { step: 2 } });
    expect(metrics.mock.calls).toEqual([[{ step: 1 }]]);
    expect(status).not.toHaveBeenCalled();
  });

  it('ignores malformed event messages', () => {
    const fake = fakeIpcRenderer();
    const { api } = createBridge(fake.ipc);
    const listener = vi.fn();
    api.on('run.status', listener);
    for (const message of [null, undefined, 'run.status', { event: 5 }, { payload: {} }]) fake.fromMain(message);
    expect(listener).not.toHaveBeenCalled();
  });

  it('keeps delivering to the other listeners when one throws', () => {
    const fake = fakeIpcRenderer();
    const { api } = createBridge(fake.ipc);
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const second = vi.fn();
    api.on('run.status', () => {
      throw new Error('broken listener');
    });
    api.on('run.status', second);
    fake.fromMain({ event: 'run.status', payload: { status: 'running' } });
    expect(second).toHaveBeenCalledWith({ status: 'running' });
    expect(quiet).toHaveBeenCalledOnce();
    quiet.mockRestore();
  });

  it.each([
    ['a non-string event', 5, () => undefined, /the event must be a string/],
    ['a missing listener', 'run.status', undefined, /the listener must be a function/],
    ['a listener that is not a function', 'run.status', 'alert(1)', /the listener must be a function/],
  ])('refuses to subscribe with %s', (_what, event, listener, message) => {
    const fake = fakeIpcRenderer();
    const { api } = createBridge(fake.ipc);
    expect(() => api.on(event as string, listener as () => void)).toThrow(message);
  });

  it('delivers preload-local events (a folder drop) to the page', () => {
    const bridge = createBridge(fakeIpcRenderer().ipc);
    const dropped = vi.fn();
    bridge.api.on('ui.folderDropped', dropped);
    bridge.emit('ui.folderDropped', { paths: ['/home/me/digits'] });
    expect(dropped).toHaveBeenCalledWith({ paths: ['/home/me/digits'] });
  });
});
