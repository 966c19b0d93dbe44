/** One contract suite, run over both transports: the same requests give the same answers and events. */
import { existsSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../src-main/common/contract';
import type { Dataset, Run } from '../../src-main/common/domain';
import { writeMnistFolder } from '../fixtures/mnist-folder';
import { hardwareAdapterHere, useSwiftShader } from '../fixtures/webgpu-env';
import { makeWorkbench, tempDir, tinyConfig } from '../fixtures/workbench';
import { connectIpc, connectWs, rejection, transports, type Connected } from './transports';

// Trainers inherit this environment: SwiftShader's Vulkan driver when it is installed.
useSwiftShader();

let mnistFolder: string;
beforeAll(async () => {
  mnistFolder = tempDir('mnist');
  await writeMnistFolder(mnistFolder, 4);
});

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

  // Shared fixtures, made by whichever test first needs them: no test relies on another having run before it.
  let datasetOnce: Promise<Dataset> | undefined;
  let trainedOnce: Promise<Run> | undefined;
  /** The MNIST folder imported once (40 digits, 28 px, grey). */
  const dataset = () =>
    (datasetOnce ??= conn.client.call('datasets.import', { path: mnistFolder, size: 28, channels: 1, name: 'fixture digits' }).then((r) => r.dataset));
  /** A finished 6-step run on that dataset: metrics at steps 1–6, grids and checkpoints at 5 and 6. */
  const trainedRun = () =>
    (trainedOnce ??= (async () => {
      const run = await conn.client.call('runs.create', { datasetId: (await dataset()).id, config: tinyConfig(6) });
      expect((await wb.workbench.host.whenSettled(run.id)).status).toBe('completed');
      return conn.client.call('runs.get', { id: run.id });
    })());

  it('answers app.info with the data directory', async () => {
    const info = await conn.client.call('app.info');
    expect(info.dataDir).toBe(wb.workbench.dataDir.root);
    expect(info.mode).toBe('headless');
  });

  it('reports the compute backend a trainer gets, and why not the others', async () => {
    const hardware = await hardwareAdapterHere();
    const report = await conn.client.call('system.backend');
    expect(report.name).toBe(hardware === null ? 'wasm' : 'webgpu');
    expect(Object.keys(report.reasons)).toEqual(expect.arrayContaining(['tfjs-node-gpu', 'tfjs-node']));
    expect(report.reasons['tfjs-node-gpu']).toMatch(/not installed|unavailable|libtensorflow/);
    if (hardware === null) expect(report.reasons['webgpu']).toMatch(/^(only a software adapter was found|no GPU adapter)/);
    if (report.adapter !== null) expect(report.adapter.description.length).toBeGreaterThan(0);
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
    const err = await rejection(conn.client.call('runs.create', { datasetId: (await dataset()).id, config: { batchSize: 0 } }));
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.details).toMatchObject({ issues: [{ path: 'config.batchSize' }] });
  });

  it('trains a run and streams status, metrics and a sample grid', async () => {
    const { id: datasetId } = await dataset();
    const statuses: string[] = [];
    const metricSteps: number[] = [];
    const samples: number[] = [];
    const diversity: number[] = [];
    let settled!: () => void;
    const completedSeen = new Promise<void>((resolve) => (settled = resolve));
    const offs = [
      conn.client.on('run.status', (s) => {
        statuses.push(s.status);
        if (s.status === 'completed') settled();
      }),
      conn.client.on('run.metrics', (m) => {
        metricSteps.push(...m.points.filter((p) => 'd_loss' in p.values).map((p) => p.step));
        diversity.push(...m.points.filter((p) => 'sample_diversity' in p.values).map((p) => p.step));
      }),
      conn.client.on('run.sample', (s) => samples.push(s.step)),
    ];
    const run = await conn.client.call('runs.create', { datasetId, config: tinyConfig(6) });
    // Wait for what the client saw, not the in-process state: events cross the transport.
    await completedSeen;
    const final = await conn.client.call('runs.get', { id: run.id });
    offs.forEach((off) => off());
    expect(final.status).toBe('completed');
    expect(final.step).toBe(6);
    expect(statuses).toEqual(expect.arrayContaining(['queued', 'running', 'completed']));
    expect(metricSteps).toEqual([1, 2, 3, 4, 5, 6]);
    expect(samples).toEqual([0, 5, 6]);
    // Each sample grid is also measured for the mode-collapse diagnostic.
    expect(diversity).toEqual([0, 5, 6]);
    const series = await conn.client.call('runs.metrics', { id: run.id, keys: ['d_loss', 'g_loss'] });
    expect(series.map((s) => s.points.length)).toEqual([6, 6]);
    for (const s of series) for (const p of s.points) expect(Number.isFinite(p.mean)).toBe(true);
    const files = await conn.client.call('runs.samples', { id: run.id });
    expect(files.map((f) => f.path)).toContain(`runs/${run.id}/samples/6.png`);
    // The page shows the grid from the URL the client builds: HTTP with the token, or app:// on the desktop.
    const grid = await conn.fetch(conn.client.fileUrl(`runs/${run.id}/samples/6.png`));
    expect(grid.status).toBe(200);
    expect(grid.headers.get('content-type')).toBe('image/png');
    expect((await sharp(Buffer.from(await grid.arrayBuffer())).metadata()).format).toBe('png');
  });

  it('scans a folder, imports it with options under a chosen id, renames it, and recognises it again', async () => {
    const earlier = await dataset();
    const scan = await conn.client.call('datasets.scan', { path: mnistFolder });
    expect(scan).toMatchObject({ files: 40, images: 40, wouldReject: 0, unlabelled: 0, sourcePath: mnistFolder });
    expect(scan.classes.map((c) => c.images)).toEqual(new Array(10).fill(4));
    expect(scan.existing.map((d) => d.id)).toContain(earlier.id);
    const importId = `contract-${name}`;
    const progress: EventPayload<'dataset.importProgress'>[] = [];
    const off = conn.client.on('dataset.importProgress', (p) => progress.push(p));
    const { dataset: flat } = await conn.client.call('datasets.import', {
      path: mnistFolder,
      size: 16,
      channels: 1,
      layout: 'flat',
      fit: 'pad',
      background: '#ffffff',
      importId,
    });
    off();
    expect(flat.classes).toEqual([]);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => p.importId === importId)).toBe(true);
    const details = await conn.client.call('datasets.details', { id: flat.id });
    expect(details.options).toEqual({ layout: 'flat', fit: 'pad', background: '#ffffff' });
    expect(details.labels).toEqual(new Array(40).fill(-1));
    expect(details.thumbs?.sheets).toEqual([`datasets/${flat.id}/thumbs/sheet-0000.png`]);
    const renamed = await conn.client.call('datasets.rename', { id: flat.id, name: '  Flat digits ' });
    expect(renamed.name).toBe('Flat digits');
    expect((await conn.client.call('datasets.get', { id: flat.id })).name).toBe('Flat digits');
    expect((await conn.client.call('datasets.scan', { path: mnistFolder })).existing.map((d) => d.id)).toContain(flat.id);
  });

  it('refuses an import naming both a path and an upload, a bad colour, and says when there is nothing to cancel', async () => {
    const both = await rejection(conn.client.call('datasets.import', { path: mnistFolder, upload: 'session-0001' }));
    expect(both.code).toBe('INVALID_REQUEST');
    expect(both.message).toContain('either a folder path or an upload session');
    const colour = await rejection(conn.client.call('datasets.import', { path: mnistFolder, background: 'white' }));
    expect(colour.details).toMatchObject({ issues: [{ path: 'background' }] });
    expect(await conn.client.call('datasets.cancelImport', { importId: 'nothing-running' })).toEqual({ cancelled: false });
    const missing = await rejection(conn.client.call('datasets.scan', { upload: 'no-such-session' }));
    expect(missing.code).toBe('NOT_FOUND');
  });

  it('previews augmentation in the trainer-side worker: same seed, same images', async () => {
    const { id } = await dataset();
    const request = { id, augment: { flip: 1, cutout: { p: 1 } }, seed: 3, count: 2, variants: 2 };
    const a = await conn.client.call('datasets.augmentPreview', request);
    const b = await conn.client.call('datasets.augmentPreview', request);
    expect(a.originals).toHaveLength(2);
    expect(a.variants.map((v) => v.length)).toEqual([2, 2]);
    expect(b.variants).toEqual(a.variants);
    expect(a.variants[0]![0]).not.toBe(a.originals[0]);
    const bad = await rejection(conn.client.call('datasets.augmentPreview', { id, augment: { flip: 2 } }));
    expect(bad.details).toMatchObject({ issues: [{ path: 'augment.flip' }] });
  });

  it('keeps notes and tags on a run, and the preset it started from', async () => {
    const run = await trainedRun();
    expect(run).toMatchObject({ tags: [], notes: '', preset: null });
    const updated = await conn.client.call('runs.update', { id: run.id, notes: 'lr too high?', tags: [' baseline ', 'mnist', 'baseline'] });
    expect(updated).toMatchObject({ notes: 'lr too high?', tags: ['baseline', 'mnist'], name: run.name });
    expect((await conn.client.call('runs.get', { id: run.id })).tags).toEqual(['baseline', 'mnist']);
    const err = await rejection(conn.client.call('runs.update', { id: run.id, tags: [''] }));
    expect(err.details).toMatchObject({ issues: [{ path: 'tags.0' }] });
    const fromPreset = await conn.client.call('runs.create', { datasetId: run.datasetId, preset: 'dcgan', config: tinyConfig(3), start: false });
    expect(fromPreset.preset).toBe('dcgan');
    await conn.client.call('runs.delete', { id: fromPreset.id });
  });

  it('refuses to delete a training run and keeps all of it; once stopped, deleting removes its row, rows and folder', async () => {
    const { id: datasetId } = await dataset();
    const training = new Promise<void>((resolve) => {
      const off = conn.client.on('run.metrics', (m) => m.points.some((p) => p.step >= 6) && (off(), resolve()));
    });
    const run = await conn.client.call('runs.create', { datasetId, config: tinyConfig(5000, { intervals: { metricsEvery: 1, sampleEvery: 5, checkpointEvery: 5 } }) });
    await training;
    const folder = wb.workbench.dataDir.run(run.id);
    const rows = (table: string) => (wb.workbench.store.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE run_id = ?`).get(run.id) as { n: number }).n;

    const refused = await rejection(conn.client.call('runs.delete', { id: run.id }));
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toContain(`stop run ${run.id} before deleting it`);
    expect((await conn.client.call('runs.get', { id: run.id })).status).toBe('running');
    expect(existsSync(folder)).toBe(true);
    expect(rows('metrics')).toBeGreaterThan(0);

    const stopped = new Promise<void>((resolve) => {
      const off = conn.client.on('run.status', (st) => st.runId === run.id && st.status === 'stopped' && (off(), resolve()));
    });
    await conn.client.call('runs.stop', { id: run.id });
    await stopped;
    expect(rows('checkpoints')).toBeGreaterThan(0);
    await conn.client.call('runs.delete', { id: run.id });
    expect((await rejection(conn.client.call('runs.get', { id: run.id }))).code).toBe('NOT_FOUND');
    expect(existsSync(folder)).toBe(false);
    for (const table of ['metrics', 'metric_rollups', 'samples', 'checkpoints', 'evaluations', 'events']) expect(rows(table), table).toBe(0);
  });

  it('compares runs on one grid along steps or time, and summarizes their last and best values', async () => {
    const first = await trainedRun();
    const done = new Promise<void>((resolve) => {
      const off = conn.client.on('run.status', (s) => s.status === 'completed' && (off(), resolve()));
    });
    const second = await conn.client.call('runs.create', { datasetId: first.datasetId, config: tinyConfig(4) });
    await done;
    const ids = [first.id, second.id];
    const bySteps = await conn.client.call('runs.compare', { ids, keys: ['g_loss', 'd_real'], maxPoints: 3 });
    expect(bySteps.map((r) => r.runId)).toEqual(ids);
    for (const { series } of bySteps) {
      expect(series.map((s) => s.key)).toEqual(['g_loss', 'd_real']);
      for (const s of series) expect(s.points.length).toBeLessThanOrEqual(3);
    }
    // Steps 1–6 in buckets of 2 on one grid: the 4-step run fills the first two.
    expect(bySteps[0]!.series[0]!.points.map((p) => p.step)).toEqual([2, 4, 6]);
    expect(bySteps[1]!.series[0]!.points.map((p) => p.step)).toEqual([2, 4]);
    const byTime = await conn.client.call('runs.compare', { ids, x: 'time', maxPoints: 50 });
    for (const { series } of byTime) for (const s of series) for (const p of s.points) expect(p.time).toBeGreaterThan(0);
    expect((await rejection(conn.client.call('runs.compare', { ids: [first.id] }))).code).toBe('INVALID_REQUEST');
    expect((await rejection(conn.client.call('runs.compare', { ids: [first.id, first.id] }))).code).toBe('INVALID_REQUEST');
    expect((await rejection(conn.client.call('runs.compare', { ids: [first.id, 'run_missing0'] }))).code).toBe('NOT_FOUND');

    const summaries = await conn.client.call('runs.summaries', { ids });
    expect(summaries.map((s) => s.runId)).toEqual(ids);
    expect(Object.keys(summaries[0]!.last)).toEqual(expect.arrayContaining(['d_loss', 'g_loss', 'images_per_sec']));
    // No checkpoint evaluated: the best is the newest (steps 5 and 6 of the 6-step run), never chosen by a loss.
    expect(summaries[0]!.best).toEqual({ step: 6, by: 'newest', kid: null });
    expect(summaries[0]!.lastTime).toBeGreaterThan(0);
  });

  it('renders a latent walk from a checkpoint on a trainer process, and refuses what the run cannot render', async () => {
    const run = await trainedRun();
    const classes = await rejection(conn.client.call('runs.generate', { id: run.id, spec: { kind: 'classes' } }));
    expect(classes.code).toBe('INVALID_REQUEST');
    expect(classes.message).toContain('not conditional');
    expect((await rejection(conn.client.call('runs.generate', { id: run.id, spec: { kind: 'interpolate', from: 0, to: 16 } }))).code).toBe('INVALID_REQUEST');
    expect((await rejection(conn.client.call('runs.generate', { id: run.id, step: 3, spec: { kind: 'interpolate', from: 0, to: 1 } }))).code).toBe('NOT_FOUND');
    const spec = { kind: 'interpolate', from: 0, to: 15, frames: 4, mode: 'slerp' } as const;
    const generated = await conn.client.call('runs.generate', { id: run.id, spec });
    expect(generated).toMatchObject({ runId: run.id, step: 6, rows: 1, cols: 4, cellSize: 28, rowLabels: [] });
    expect(generated.path).toMatch(new RegExp(`^runs/${run.id}/generated/interpolate-6-[0-9a-f]+\\.png$`));
    // 4 cells of 28 px and 5 borders of 2 px across, 1 cell high.
    const meta = await sharp(wb.workbench.dataDir.resolveInside(generated.path)).metadata();
    expect([meta.width, meta.height]).toEqual([4 * 28 + 5 * 2, 28 + 2 * 2]);
    // The same request again comes back from disk: no job reaches a trainer process.
    const jobs = wb.workbench.worker.jobsSubmitted;
    expect(jobs).toBeGreaterThan(0);
    expect(await conn.client.call('runs.generate', { id: run.id, spec })).toEqual(generated);
    expect(wb.workbench.worker.jobsSubmitted).toBe(jobs);
  });

  it('renders one row per class from a class-conditional run', async () => {
    const { id: datasetId } = await dataset();
    const done = new Promise<void>((resolve) => {
      const off = conn.client.on('run.status', (s) => ['completed', 'failed'].includes(s.status) && (off(), resolve()));
    });
    const model = { gWidth: 8, dWidth: 8, gConditioning: 'cbn', dConditioning: 'projection' };
    const run = await conn.client.call('runs.create', { datasetId, config: tinyConfig(2, { model }) });
    await done;
    expect((await conn.client.call('runs.get', { id: run.id })).status).toBe('completed');
    const rows = await conn.client.call('runs.generate', { id: run.id, spec: { kind: 'classes', perClass: 3 } });
    expect(rows).toMatchObject({ step: 2, rows: 10, cols: 3, cellSize: 28, rowLabels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] });
    const meta = await sharp(wb.workbench.dataDir.resolveInside(rows.path)).metadata();
    expect([meta.width, meta.height]).toEqual([3 * 28 + 4 * 2, 10 * 28 + 11 * 2]);
  });
});

describe('transport security', () => {
  it.each([
    'https://evil.example/',
    'file:///app/out/renderer/index.html',
    'app://renderer.evil.io/index.html',
    'app://renderer/files/runs/r1/samples/1.png',
    'http://localhost:5173/',
  ])('IPC refuses calls from an untrusted frame: %s', async (frameUrl) => {
    const wb = makeWorkbench();
    const conn = connectIpc(wb.workbench.handlers, wb.hub, (rel) => wb.workbench.dataDir.resolveInside(rel), tempDir('renderer'), frameUrl);
    const err = await rejection(conn.client.call('app.info'));
    expect(err.code).toBe('UNAUTHORIZED');
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

  it('the upload route wants the token and our origin, confines paths, and feeds an import', async () => {
    const wb = makeWorkbench();
    const uploads = wb.workbench.datasets.uploads;
    const conn = await connectWs(wb.workbench.handlers, wb.hub, (rel) => wb.workbench.dataDir.resolveInside(rel), tempDir('static'), uploads);
    const server = conn.server!;
    const png = await sharp({ create: { width: 12, height: 12, channels: 3, background: '#208040' } }).png().toBuffer();
    const { request } = await import('node:http');
    const post = (query: string, body: Buffer, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: server.port, method: 'POST', path: `/upload?${query}`, headers: { 'Content-Length': body.length, ...headers } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end(body);
      });
    const ok = `token=${server.token}&session=contract-up-1`;
    expect(await post(`session=contract-up-1&path=a.png`, png)).toBe(401);
    expect(await post(`${ok}&path=a.png`, png, { Origin: 'http://evil.example' })).toBe(401);
    expect(await post(`${ok}&path=..%2Fescape.png`, png)).toBe(400);
    expect(await post(`${ok}&path=%2Fetc%2Fx.png`, png)).toBe(400);
    expect(await post(`token=${server.token}&session=..&path=a.png`, png)).toBe(400);
    expect((await fetch(`${server.url}/upload?${ok}&path=a.png`)).status).toBe(405);
    expect(await post(`${ok}&path=${encodeURIComponent('leaves/green/a.png')}`, png, { Origin: server.url })).toBe(200);
    const scan = await conn.client.call('datasets.scan', { upload: 'contract-up-1' });
    expect(scan).toMatchObject({ name: 'leaves', images: 1, sourcePath: 'upload:leaves' });
    const { dataset } = await conn.client.call('datasets.import', { upload: 'contract-up-1', size: 12 });
    expect(dataset).toMatchObject({ count: 1, classes: ['green'], sourcePath: 'upload:leaves' });
    expect(existsSync(uploads.sessionDir('contract-up-1'))).toBe(false);
    await conn.close();
    wb.workbench.close();
  });

  it('two folders uploaded as A/ and B/ into one session import as a pair', async () => {
    const wb = makeWorkbench();
    const uploads = wb.workbench.datasets.uploads;
    const conn = await connectWs(wb.workbench.handlers, wb.hub, (rel) => wb.workbench.dataDir.resolveInside(rel), tempDir('static'), uploads);
    const server = conn.server!;
    const png = (colour: string) => sharp({ create: { width: 12, height: 12, channels: 3, background: colour } }).png().toBuffer();
    const upload = async (path: string, body: Buffer) =>
      (await fetch(`${server.url}/upload?token=${server.token}&session=contract-pair-1&path=${encodeURIComponent(path)}`, { method: 'POST', body: new Uint8Array(body), headers: { Origin: server.url } })).status;
    expect(await upload('A/street/1.png', await png('#208040'))).toBe(200);
    expect(await upload('B/street/1.png', await png('#402080'))).toBe(200);
    expect(await upload('B/street/2.png', await png('#804020'))).toBe(200);
    const { a, b, rejected } = await conn.client.call('datasets.importPaired', { upload: 'contract-pair-1', size: 12, name: 'streets' });
    expect(a).toMatchObject({ name: 'streets · A', count: 1, pair: { datasetId: b.id, role: 'A' } });
    expect(b).toMatchObject({ name: 'streets · B', count: 1, pair: { datasetId: a.id, role: 'B' } });
    expect(rejected).toEqual([{ file: 'B/street/2.png', reason: 'no partner in A/' }]);
    expect(existsSync(uploads.sessionDir('contract-pair-1'))).toBe(false);
    await conn.close();
    wb.workbench.close();
  });
});

