/** Starts the built app in serve mode (`node out/main/cli.js serve`) and Debian's Chromium, as a user would run them. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import WebSocket from 'ws';
import { createClient, type WorkbenchClient } from '../../src-main/common/client/client';
import { createWsTransport } from '../../src-main/common/client/ws-transport';
import { repoRoot, tempDir } from '../fixtures/workbench';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const builtCli = join(repoRoot, 'out', 'main', 'cli.js');
export const screenshotsDir = join(repoRoot, 'test-results', 'screenshots');

export function assertBuilt() {
  if (!existsSync(builtCli)) throw new Error('out/main/cli.js is missing: the e2e tests run after "electron-vite build" (npm run test:e2e)');
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium)`);
}

export interface Served {
  url: string;
  dataDir: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

export async function serve(dataDir = tempDir('serve')): Promise<Served> {
  const proc = spawn(process.execPath, [builtCli, '--data-dir', dataDir, '--json', 'serve', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr?.on('data', (d) => (stderr += String(d)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout?.on('data', (d) => {
      out += String(d);
      try {
        resolve((JSON.parse(out) as { url: string }).url);
      } catch {
        /* wait for the whole document */
      }
    });
    proc.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    dataDir,
    proc,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

/** The API of the served app over its WebSocket, for a test's setup (what the test is about goes through the page). */
export function apiClient(served: Served): { client: WorkbenchClient; close(): void } {
  const url = new URL(served.url);
  const transport = createWsTransport({
    url: `ws://${url.host}/api`,
    token: url.searchParams.get('token') ?? '',
    httpBase: url.origin,
    WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  return { client: createClient(transport), close: () => transport.close() };
}

export async function launchBrowser(): Promise<BrowserContext> {
  return chromium.launchPersistentContext(tempDir('chromium'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1360, height: 860 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Opens the served app in a new page, recording into `errors` every console error, uncaught exception and failed response. */
export async function openApp(browser: BrowserContext, url: string, errors: string[]): Promise<Page> {
  const page = await browser.newPage();
  page.on('console', (m) => m.type() === 'error' && errors.push(`${m.text()} at ${m.location().url}`));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('response', (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));
  await page.goto(url);
  return page;
}

/** A served app open in Chromium, as most browser tests start: the build checked, a fresh data directory served, the app's page recording its errors into `errors`. */
export async function openServedApp(errors: string[]): Promise<{ served: Served; browser: BrowserContext; page: Page }> {
  assertBuilt();
  mkdirSync(screenshotsDir, { recursive: true });
  const served = await serve();
  const browser = await launchBrowser();
  return { served, browser, page: await openApp(browser, served.url, errors) };
}
