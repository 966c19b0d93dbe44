/** Limits on what a client may ask: capped request arrays and strings over both transports, requests in flight per WebSocket, and IPC calls that cannot throw. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Handlers } from '../../src-main/common/contract';
import { attachIpc, type IpcInvokeEvent } from '../../src-main/transport/ipc-adapter';
import { createRouter } from '../../src-main/transport/router';
import { MAX_REQUESTS_IN_FLIGHT } from '../../src-main/transport/ws-api';
import { startWsServer } from '../../src-main/transport/ws-server';
import { IPC_EVENT_CHANNEL } from '../../src-main/common/ipc-channels';
import { makeWorkbench, tempDir } from '../fixtures/workbench';
import { ApiSocket, type Reply } from '../fixtures/wire';
import { connectIpc, connectWs, TRUSTED_URL, type Connected } from './transports';

type Wb = ReturnType<typeof makeWorkbench>;

async function errorOf(p: Promise<unknown>): Promise<{ code: string; message: string; details?: unknown }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string; details?: unknown };
  }
  throw new Error('expected the call to fail');
}

describe.each([
  ['ipc', (wb: Wb) => Promise.resolve(connectIpc(wb.workbench.handlers, wb.hub, (rel) => wb.workbench.dataDir.resolveInside(rel), tempDir('renderer')))],
  ['websocket', (wb: Wb) => connectWs(wb.workbench.handlers, wb.hub, (rel) => wb.workbench.dataDir.resolveInside(rel), tempDir('static'))],
] as const)('request caps over %s', (_name, connect) => {
  let wb: Wb;
  let conn: Connected;
  beforeAll(async () => {
    wb = makeWorkbench();
    conn = await connect(wb);
  });
  afterAll(async () => {
    await conn.close();
    wb.workbench.close();
  });

  it('takes up to 256 metric keys of up to 200 characters, and refuses more naming the field', async () => {
    const keys = Array.from({ length: 256 }, (_, i) => `k${i}`.padEnd(200, 'x'));
    // Within the caps the request is valid, so the answer is about the run.
    expect((await errorOf(conn.client.call('runs.metrics', { id: 'run_missing0', keys }))).code).toBe('NOT_FOUND');
    const tooMany = await errorOf(conn.client.call('runs.metrics', { id: 'run_missing0', keys: [...keys, 'one more'] }));
    expect(tooMany).toMatchObject({ code: 'INVALID_REQUEST', details: { issues: [{ path: 'keys', message: 'ask for at most 256 metric keys at once' }] } });
    const tooLong = await errorOf(conn.client.call('runs.compare', { ids: ['run_missing0', 'run_missing1'], keys: ['x'.repeat(201)] }));
    expect(tooLong).toMatchObject({ code: 'INVALID_REQUEST', details: { issues: [{ path: 'keys.0', message: 'a metric key has at most 200 characters' }] } });
  });

  it('refuses a preset name or a folder path longer than any real one', async () => {
    const preset = await errorOf(conn.client.call('config.resolve', { preset: 'p'.repeat(101) }));
    expect(preset).toMatchObject({ code: 'INVALID_REQUEST', details: { issues: [{ path: 'preset' }] } });
    const path = await errorOf(conn.client.call('datasets.scan', { path: `/${'d'.repeat(4096)}` }));
    expect(path).toMatchObject({ code: 'INVALID_REQUEST', details: { issues: [{ path: 'path', message: 'a folder path has at most 4096 characters' }] } });
  });

  it('sends back at most 20 issues, however many fields are wrong', async () => {
    const err = await errorOf(conn.client.call('runs.update', { id: 'run_missing0', tags: Array.from({ length: 30 }, () => '') }));
    expect((err.details as { issues: unknown[] }).issues).toHaveLength(20);
  });
});

describe('requests in flight on one WebSocket', () => {
  it(`answers more than ${MAX_REQUESTS_IN_FLIGHT} waiting requests with TOO_MANY_REQUESTS at once, and takes new ones as answers go out`, async () => {
    const wb = makeWorkbench();
    // A service slow to answer app.info: every call waits until the test lets them through.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const handlers: Handlers = { ...wb.workbench.handlers, 'app.info': async (req) => (await gate, wb.workbench.handlers['app.info'](req)) };
    const server = await startWsServer({ router: createRouter(handlers), hub: wb.hub, staticDir: tempDir('static'), resolveDataFile: (rel) => wb.workbench.dataDir.resolveInside(rel) });
    const busy = await ApiSocket.open(server.port, server.token);
    const other = await ApiSocket.open(server.port, server.token);
    try {
      const extra = 6;
      for (let id = 1; id <= MAX_REQUESTS_IN_FLIGHT + extra; id++) busy.ws.send(JSON.stringify({ id, method: 'app.info' }));
      const refused: Reply[] = [];
      for (let i = 0; i < extra; i++) refused.push(await busy.next());
      expect(refused.map((r) => r.id)).toEqual(Array.from({ length: extra }, (_, i) => MAX_REQUESTS_IN_FLIGHT + 1 + i));
      expect(refused.every((r) => r.error?.code === 'TOO_MANY_REQUESTS')).toBe(true);
      // The limit is per connection: another one is answered meanwhile.
      expect((await other.call('config.presets')).ok).toBe(true);
      release();
      const answered: Reply[] = [];
      for (let i = 0; i < MAX_REQUESTS_IN_FLIGHT; i++) answered.push(await busy.next());
      expect(answered.every((r) => r.ok)).toBe(true);
      expect(answered.map((r) => r.id).sort((a, b) => a! - b!)).toEqual(Array.from({ length: MAX_REQUESTS_IN_FLIGHT }, (_, i) => i + 1));
      expect((await busy.call('app.info', {})).ok).toBe(true);
    } finally {
      busy.close();
      other.close();
      await server.close();
      wb.workbench.close();
    }
  });
});

describe('the IPC adapter', () => {
  let wb: Wb;
  let conn: ReturnType<typeof connectIpc>;
  beforeAll(() => {
    wb = makeWorkbench();
    conn = connectIpc(wb.workbench.handlers, wb.hub, (rel) => wb.workbench.dataDir.resolveInside(rel), tempDir('renderer'));
  });
  afterAll(async () => {
    await conn.close();
    wb.workbench.close();
  });

  it('answers payloads that are not objects, and methods that are not strings, with a typed error naming what came', async () => {
    expect(await conn.ipc.invoke(TRUSTED_URL, 'app.info', 'x')).toEqual({
      ok: false,
      error: { code: 'INVALID_REQUEST', message: 'invalid app.info request: the payload must be an object, not a string' },
    });
    expect(await conn.ipc.invoke(TRUSTED_URL, 'datasets.get', [1])).toMatchObject({ ok: false, error: { message: expect.stringContaining('not an array') } });
    expect(await conn.ipc.invoke(TRUSTED_URL, 42 as unknown as string, {})).toEqual({
      ok: false,
      error: { code: 'UNKNOWN_METHOD', message: 'the method must be a string, not a number' },
    });
    // No payload at all is a request without parameters.
    expect(await conn.ipc.invoke(TRUSTED_URL, 'app.info', undefined)).toMatchObject({ ok: true });
  });

  it('refuses a call whose frame is gone (Electron throws on reading it) instead of throwing', async () => {
    let handler!: (event: IpcInvokeEvent, ...args: unknown[]) => Promise<unknown>;
    const adapter = attachIpc({
      ipcMain: { handle: (_channel, l) => (handler = l), removeHandler: () => undefined },
      router: createRouter(wb.workbench.handlers),
      hub: wb.hub,
      isTrustedFrame: (u) => u === TRUSTED_URL,
    });
    const disposed = {
      get senderFrame(): never {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
      sender: { id: 1 },
    };
    expect(await handler(disposed, 'app.info', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    adapter.dispose();
  });

  it('keeps raising events to the other windows when one is destroyed as it is sent to', () => {
    const seen: unknown[] = [];
    const adapter = attachIpc({
      ipcMain: { handle: () => undefined, removeHandler: () => undefined },
      router: createRouter(wb.workbench.handlers),
      hub: wb.hub,
      isTrustedFrame: () => true,
    });
    adapter.addTarget({ isDestroyed: () => false, send: () => { throw new Error('Object has been destroyed'); } });
    adapter.addTarget({ isDestroyed: () => false, send: (channel, message) => channel === IPC_EVENT_CHANNEL && seen.push(message) });
    expect(() => wb.hub.emit('ui.folderDropped', { paths: ['/a'] })).not.toThrow();
    expect(seen).toEqual([{ event: 'ui.folderDropped', payload: { paths: ['/a'] } }]);
    adapter.dispose();
  });
});
