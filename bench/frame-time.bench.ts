/**
 * Renderer frame time while a run streams metrics: serve mode (the built app) and Debian's Chromium,
 * a real short run, the run page open; requestAnimationFrame deltas in the page while points arrive,
 * then with the run finished as the baseline. Needs `npm run build` and /usr/bin/chromium.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import WebSocket from 'ws';
import { chromium } from 'playwright-core';
import { createClient, type WorkbenchClient } from '../src-main/common/client/client';
import { createWsTransport } from '../src-main/common/client/ws-transport';
import type { Benchmark } from './index';

const root = resolve(import.meta.dirname, '..');
const CLI = join(root, 'out', 'main', 'cli.js');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const MEASURE_MS = 10_000;

/** Frame deltas (ms) over `ms` of requestAnimationFrame callbacks; a string so the page, not Node, types it. */
const FRAMES = (ms: number) => `new Promise((done) => {
  const deltas = []; let last = performance.now(); const end = last + ${ms};
  const tick = (t) => { deltas.push(t - last); last = t; if (t < end) requestAnimationFrame(tick); else done(deltas); };
  requestAnimationFrame(tick);
})`;

function stats(deltas: number[]): string {
  const s = [...deltas].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  const slow = deltas.filter((d) => d > 33.4).length;
  return `${deltas.length} frames, p50 ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, max ${s.at(-1)!.toFixed(1)} ms, ${((100 * slow) / deltas.length).toFixed(1)} % over 33 ms`;
}

/** 64 soft blobs, 28 × 28 grayscale: enough for a run to train on. */
async function writeImages(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (let k = 0; k < 64; k++) {
    const px = Buffer.alloc(28 * 28);
    const [cx, cy] = [8 + (k % 8) * 1.5, 8 + Math.floor(k / 8) * 1.5];
    for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) px[y * 28 + x] = Math.max(0, 255 - 12 * Math.hypot(x - cx, y - cy) ** 1.3);
    await sharp(px, { raw: { width: 28, height: 28, channels: 1 } }).png().toFile(join(dir, `${k}.png`));
  }
}

function serve(dataDir: string): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, [CLI, '--data-dir', dataDir, '--json', 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((res, rej) => {
    let out = '';
    proc.stdout?.on('data', (d) => {
      out += String(d);
      try {
        res({ url: (JSON.parse(out) as { url: string }).url, proc });
      } catch {
        /* the whole document is not there yet */
      }
    });
    proc.once('exit', (code) => rej(new Error(`serve exited with ${code}`)));
  });
}

const bench: Benchmark = {
  name: 'frame time while a run streams metrics',
  async run() {
    if (!existsSync(CLI) || !existsSync(CHROMIUM)) {
      console.log(`skipped: needs the built app (${CLI}: run npm run build) and Chromium at ${CHROMIUM}`);
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'gwb-bench-frames-'));
    const { url, proc } = await serve(join(dir, 'data'));
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const address = new URL(url);
    const transport = createWsTransport({
      url: `ws://${address.host}/api`,
      token: address.searchParams.get('token') ?? '',
      httpBase: address.origin,
      WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket,
    });
    const client: WorkbenchClient = createClient(transport);
    try {
      await writeImages(join(dir, 'images'));
      const { dataset } = await client.call('datasets.import', { path: join(dir, 'images'), size: 28, channels: 1 });
      const config = { steps: 3000, batchSize: 16, model: { gWidth: 16, dWidth: 16 }, intervals: { metricsEvery: 1, sampleEvery: 100, checkpointEvery: 1000 } };
      const run = await client.call('runs.create', { datasetId: dataset.id, preset: 'dcgan', config });
      const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
      await page.goto(url);
      await page.evaluate(`location.hash = '#/runs/${run.id}'`);
      const points = () => page.getByTestId('loss-chart').getAttribute('data-points').then(Number);
      const deadline = Date.now() + 120_000;
      while ((await points()) < 40 && Date.now() < deadline) await page.waitForTimeout(250);
      const before = await points();
      const t0 = Date.now();
      const streaming = (await page.evaluate(FRAMES(MEASURE_MS))) as number[];
      const arrived = (await points()) - before;
      console.log(`streaming (${((arrived / (Date.now() - t0)) * 1000).toFixed(1)} chart points/s appended): ${stats(streaming)}`);
      await client.call('runs.stop', { id: run.id });
      while ((await client.call('runs.get', { id: run.id })).status !== 'stopped') await page.waitForTimeout(250);
      await page.waitForTimeout(1000);
      const idle = (await page.evaluate(FRAMES(MEASURE_MS / 2))) as number[];
      console.log(`idle, same page and charts:  ${stats(idle)}`);
    } finally {
      transport.close();
      await browser.close();
      if (proc.exitCode === null) {
        const gone = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
