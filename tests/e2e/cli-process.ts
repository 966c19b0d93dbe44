/** Runs the built CLI as a user would (`node out/main/cli.js`), as a finished command or as a live process to signal. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import WebSocket from 'ws';
import { createClient, type WorkbenchClient } from '../../src-main/common/client/client';
import { createWsTransport } from '../../src-main/common/client/ws-transport';
import { builtCli } from './serve';

const run = promisify(execFile);

export interface CliResult {
  code: number;
  json: Record<string, unknown>;
  stderr: string;
}

/** One CLI command with --json; the exit code and the parsed document, whether it succeeded or not. */
export async function cliJson(dataDir: string, ...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [builtCli, '--data-dir', dataDir, '--json', ...args]);
    return { code: 0, json: JSON.parse(stdout) as Record<string, unknown>, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, json: JSON.parse(err.stdout || '{}') as Record<string, unknown>, stderr: err.stderr };
  }
}

export interface LiveCli {
  proc: ChildProcess;
  /** Ctrl+C in a terminal: SIGINT to the whole process group (the CLI and its trainer). */
  interrupt(): void;
  /** What the command wrote to stderr so far. */
  stderr(): string;
  done: Promise<CliResult>;
}

/** A CLI command in its own process group, as a terminal starts it, so a signal can reach the whole group. */
export function cliLive(dataDir: string, ...args: string[]): LiveCli {
  const proc = spawn(process.execPath, [builtCli, '--data-dir', dataDir, '--json', ...args], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout?.on('data', (d) => (stdout += String(d)));
  proc.stderr?.on('data', (d) => (stderr += String(d)));
  const done = new Promise<CliResult>((resolve) =>
    proc.once('exit', (code) => resolve({ code: code ?? -1, json: stdout ? (JSON.parse(stdout) as Record<string, unknown>) : {}, stderr })),
  );
  return { proc, interrupt: () => process.kill(-proc.pid!, 'SIGINT'), stderr: () => stderr, done };
}

/** A contract client of a running `serve`, from the address it printed. */
export async function connectTo(openUrl: string): Promise<{ client: WorkbenchClient; close(): void }> {
  const url = new URL(openUrl);
  const transport = createWsTransport({
    url: `ws://${url.host}/api`,
    token: url.searchParams.get('token') ?? '',
    httpBase: url.origin,
    WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  await transport.ready;
  return { client: createClient(transport), close: () => transport.close() };
}

/** Resolves when `pred` holds, checking every 100 ms; fails after `timeoutMs` naming what it waited for. */
export async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 120_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
