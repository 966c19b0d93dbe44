/** One contract suite, run over both transports: the same requests give the same answers and events. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../src-main/common/contract';
import { ApiError } from '../../src-renderer/api/transport';
import { writeMnistFolder } from '../fixtures/mnist-folder';
import { makeWorkbench, tempDir, tinyConfig } from '../fixtures/workbench';
import { connectIpc, connectWs, type Connected } from './transports';

const transports = {
  ipc: (wb: ReturnType<typeof makeWorkbench>) => Promise.resolve(connectIpc(wb.workbench.handlers, wb.hub)),
  websocket: (wb: ReturnType<typeof makeWorkbench>) =>
    connectWs(wb.workbench.handlers, wb.hub, (rel) => wb.workbench.dataDir.resolveInside(rel), tempDir('static')),
};

let mnistFolder: string;
beforeAll(async () => {
  mnistFolder = tempDir('mnist');
  await writeMnistFolder(mnistFolder, 4);
});

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

describe.each(Object.keys(transports) as (keyof typeof transports)[])('contract over %s', (name) => {
  let wb: ReturnType<typeof makeWorkbench>;
  let conn: Connected;

  beforeAll(async () => {
    wb = makeWorkbench();
    conn = await transports[name](wb);
  });
  afterAll(async () => {
    await conn.close();
    wb.workbench.close();
  });

  it('answers app.info with the data directory', async () => {
    const info = await conn.client.call('app.info');
    expect(info.dataDir).toBe(wb.workbench.dataDir.root);
    expect(info.mode).toBe('headless');
  });

  it('refuses an unknown method with UNKNOWN_METHOD', async () => {
    const err = await rejection(conn.client.call('nope.nothing' as 'app.info'));
    expect(err.code).toBe('UNKNOWN_METHOD');
  });

  it('refuses an invalid request naming the field and the reason', async () => {
    const err = await rejection(conn.client.call('datasets.import', { path: '/tmp', size: 3, channels: 3 }));
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.message).toContain('size');
    expect(err.details).toMatchObject({ issues: [{ path: 'size' }] });
  });

  it('refuses unknown keys instead of ignoring them', async () => {
    const err = await rejection(conn.client.call('datasets.list', { sneaky: true } as never));
    expect(err.code).toBe('INVALID_REQUEST');
  });

  it('says NOT_FOUND for a dataset that does not exist', async () => {
    const err = await rejection(conn.client.call('datasets.get', { id: 'ds_missing00' }));
    expect(err.code).toBe('NOT_FOUND');
  });

  it('imports a folder with progress events, then lists it', async () => {
    const progress: EventPayload<'dataset.importProgress'>[] = [];
    const off = conn.client.on('dataset.importProgress', (p) => progress.push(p));
    const { dataset, rejected } = await conn.client.call('datasets.import', { path: mnistFolder, size: 28, channels: 1 });
    off();
    expect(dataset.count).toBe(40);
    expect(dataset.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(rejected).toEqual([]);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)?.phase).toBe('done');
    const list = await conn.client.call('datasets.list');
    expect(list.map((d) => d.id)).toContain(dataset.id);
  });

  it('refuses a training config with the field path and the reason', async () => {
    const [dataset] = await conn.client.call('datasets.list');
    const err = await rejection(conn.client.call('runs.create', { datasetId: dataset!.id, config: { batchSize: 0 } }));
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.details).toMatchObject({ issues: [{ path: 'config.batchSize' }] });
  });

  it('trains a run and streams status, metrics and a sample grid', async () => {
    const [dataset] = await conn.client.call('datasets.list');
    const statuses: string[] = [];
    const metricSteps: number[] = [];
    const samples: number[] = [];
    let settled!: () => void;
    const completedSeen = new Promise<void>((resolve) => (settled = resolve));
    const offs = [
      conn.client.on('run.status', (s) => {
        statuses.push(s.status);
        if (s.status === 'completed') settled();
      }),
      conn.client.on('run.metrics', (m) => metricSteps.push(...m.points.map((p) => p.step))),
      conn.client.on('run.sample', (s) => samples.push(s.step)),
    ];
    const run = await conn.client.call('runs.create', { datasetId: dataset!.id, config: tinyConfig(6) });
    // Wait for what the client saw, not the in-process state: events cross the transport.
    await completedSeen;
    const final = await conn.client.call('runs.get', { id: run.id });
    offs.forEach((off) => off());
    expect(final.status).toBe('completed');
    expect(final.step).toBe(6);
    expect(statuses).toEqual(expect.arrayContaining(['queued', 'running', 'completed']));
    expect(metricSteps).toEqual([1, 2, 3, 4, 5, 6]);
    expect(samples).toEqual([0, 5, 6]);
    const series = await conn.client.call('runs.metrics', { id: run.id, keys: ['d_loss', 'g_loss'] });
    expect(series.map((s) => s.points.length)).toEqual([6, 6]);
    for (const s of series) for (const p of s.points) expect(Number.isFinite(p.mean)).toBe(true);
    const files = await conn.client.call('runs.samples', { id: run.id });
    expect(files.map((f) => f.path)).toContain(`runs/${run.id}/samples/6.png`);
  });
});

describe('transport security', () => {
  it('IPC refuses calls from an untrusted frame', async () => {
    const wb = makeWorkbench();
    const conn = connectIpc(wb.workbench.handlers, wb.hub);
    const reply = await conn.ipc.invoke('https://evil.example/', 'app.info', {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    await conn.close();
    wb.workbench.close();
  });

  it('the WebSocket server wants the token, the right Host, and serves only images inside the data directory', async () => {
    const wb = makeWorkbench();
    const conn = await transports.websocket(wb);
    const { server } = conn;
    if (!server) throw new Error('no server');
    const WebSocketImpl = (await import('ws')).default;
    const refused = await new Promise<string>((resolve) => {
      const ws = new WebSocketImpl(`ws://127.0.0.1:${server.port}/api?token=wrong`);
      ws.on('open', () => resolve('open'));
      ws.on('error', (e) => resolve(e.message));
    });
    expect(refused).toContain('401');
    const badOrigin = await new Promise<string>((resolve) => {
      const ws = new WebSocketImpl(`ws://127.0.0.1:${server.port}/api?token=${server.token}`, { origin: 'http://evil.example' });
      ws.on('open', () => resolve('open'));
      ws.on('error', (e) => resolve(e.message));
    });
    expect(badOrigin).toContain('401');
    expect((await fetch(`${server.url}/files/workbench.sqlite?token=${server.token}`)).status).toBe(403);
    expect((await fetch(`${server.url}/files/..%2F..%2Fetc%2Fpasswd.png?token=${server.token}`)).status).toBe(403);
    expect((await fetch(`${server.url}/files/runs/x.png`)).status).toBe(401);
    expect((await fetch(`${server.url}/files/runs/missing.png?token=${server.token}`)).status).toBe(404);
    expect((await fetch(`${server.url}/`)).headers.get('content-security-policy')).toContain("script-src 'self'");
    const rebinding = await new Promise<number>((resolve) => {
      // fetch() forbids setting Host, so speak HTTP directly.
      import('node:http').then(({ request }) => {
        const req = request({ host: '127.0.0.1', port: server.port, path: '/', headers: { Host: 'attacker.example' } }, (res) => resolve(res.statusCode ?? 0));
        req.end();
      });
    });
    expect(rebinding).toBe(403);
    await conn.close();
    wb.workbench.close();
  });
});

