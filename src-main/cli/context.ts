/** What every CLI command shares: global options, a client of the contract (in this process or of a server), printing, progress bars. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, type Command } from 'commander';
import cliProgress from 'cli-progress';
import WebSocket from 'ws';
import pkg from '../../package.json';
import { createClient, type WorkbenchClient } from '../common/client/client';
import { ApiError } from '../common/client/transport-port';
import { createWsTransport } from '../common/client/ws-transport';
import { DATABASE_FILE } from '../core/data-dir';
import { defaultDataDir } from '../core/default-data-dir';
import { forkLauncher } from '../core/trainer/fork-launcher';
import type { TrainerLauncher } from '../core/trainer/launcher';
import { createWorkbench } from '../core/workbench';
import { computeFields, THREADS_ENV, type ComputeChoice } from '../common/trainer-protocol';
import { createEventHub } from '../transport/event-hub';
import { createInProcessTransport } from '../transport/in-process-transport';
import { createRouter } from '../transport/router';

export interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
  backend?: string;
  server?: string;
  threads?: number;
  adapter?: string;
}

/** Where the trainer and the built UI are, from source (tsx) or from the bundle in out/main. */
export function locateApp(moduleUrl: string) {
  const here = dirname(fileURLToPath(moduleUrl));
  const fromSource = moduleUrl.endsWith('.ts');
  return {
    trainer: fromSource
      ? { entry: join(here, 'utility', 'trainer.ts'), execArgv: ['--import', 'tsx'] }
      : { entry: join(here, 'trainer.js'), execArgv: [] as string[] },
    staticDir: fromSource ? resolve(here, '..', 'out', 'renderer') : resolve(here, '..', 'renderer'),
  };
}

export type AppLocation = ReturnType<typeof locateApp>;

/** A command's way into the workbench: the contract's client and nothing else, whether the core runs in this process or in a server. */
export interface Connection {
  client: WorkbenchClient;
  close(): Promise<void>;
}

/** Where a command writes: stdout and stderr in the shell, buffers in tests that run commands in-process. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** True when a person can answer a question (a confirmation) on stdin. */
  interactive: boolean;
}

export const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  get interactive() {
    return Boolean(process.stdin.isTTY && process.stderr.isTTY);
  },
};

export class CliContext {
  /** The exit code once the command is done: 1 when a run did not complete, 2 for a refused request. */
  exitCode = 0;

  constructor(
    private readonly program: Command,
    readonly app: AppLocation,
    readonly io: CliIo = processIo,
  ) {}

  get options(): GlobalOptions {
    return this.program.opts<GlobalOptions>();
  }

  get dataDir(): string {
    return resolve(this.options.dataDir ?? defaultDataDir());
  }

  get version(): string {
    return pkg.version;
  }

  /**
   * Opens the workbench for one command, behind the same router as IPC and WebSocket. `write` takes
   * the data directory's lock (a running app or server refuses it, naming itself); `read` opens
   * SQLite read-only and changes nothing. With --server, every call goes to that server instead.
   */
  async connect(access: 'read' | 'write', command: string): Promise<Connection> {
    if (this.options.server) return connectToServer(this.options.server);
    const hub = createEventHub();
    const workbench = createWorkbench({
      dataDir: this.dataDir,
      launcher: this.trainerLauncher(),
      emit: hub.emit,
      mode: 'headless',
      version: pkg.version,
      compute: this.compute,
      // A read where there is no database yet makes an empty one: `doctor`, `config` and `scan` work before the first import.
      access: access === 'read' && !existsSync(join(this.dataDir, DATABASE_FILE)) ? 'write' : access,
      owner: { kind: 'cli', command },
    });
    const router = createRouter(workbench.handlers);
    return {
      client: createClient(createInProcessTransport(router, hub)),
      close: async () => workbench.close(),
    };
  }

  /** Starts trainer processes for this command, with --threads in their environment. */
  trainerLauncher(): TrainerLauncher {
    return forkLauncher({ ...this.app.trainer, env: this.trainerEnv() });
  }

  /** --threads reaches every trainer process this CLI starts through their environment. */
  trainerEnv(): NodeJS.ProcessEnv {
    const { threads } = this.options;
    return threads === undefined ? process.env : { ...process.env, [THREADS_ENV]: String(threads) };
  }

  /** --backend and --adapter, for every trainer process this command starts. */
  get compute(): ComputeChoice {
    return computeFields({ backend: this.options.backend, adapter: this.options.adapter });
  }

  /** One JSON document with --json, else the human text. */
  print(json: unknown, text: () => string): void {
    this.io.out(this.options.json ? `${JSON.stringify(json, null, 2)}\n` : `${text()}\n`);
  }

  /** A line for the person at the terminal (progress notes, Ctrl+C), never part of the result. */
  note(text: string): void {
    this.io.err(`${text}\n`);
  }

  /** A progress bar on a terminal; nothing when piped or with --json. */
  bar(label: string): cliProgress.SingleBar | null {
    if (this.options.json || !process.stderr.isTTY) return null;
    return new cliProgress.SingleBar(
      { format: `${label} [{bar}] {value}/{total} {extra}`, stream: process.stderr, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
  }

  /** Runs `fn` with a connection and always closes it. */
  async with<T>(access: 'read' | 'write', command: string, fn: (c: Connection) => Promise<T>): Promise<T> {
    const connection = await this.connect(access, command);
    try {
      return await fn(connection);
    } finally {
      await connection.close();
    }
  }
}

/** `--server http://127.0.0.1:PORT/?token=…`, as `serve` prints it. */
async function connectToServer(address: string): Promise<Connection> {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new ApiError('INVALID_REQUEST', `--server wants the address serve printed, like http://127.0.0.1:5173/?token=…; got "${address}"`);
  }
  const token = url.searchParams.get('token');
  if (!token) throw new ApiError('INVALID_REQUEST', '--server: the address has no ?token=…; copy the whole address serve printed');
  const transport = createWsTransport({
    url: `${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}/api`,
    token,
    httpBase: url.origin,
    WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  try {
    await transport.ready;
  } catch {
    transport.close();
    throw new ApiError('UNAUTHORIZED', `could not connect to the workbench server at ${url.origin} (is it running, and is the token right?)`);
  }
  return { client: createClient(transport), close: async () => transport.close() };
}

export function int(name: string, min: number, max: number) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
    return n;
  };
}

/**
 * A number for the contract to judge: only "is it a number" is checked here, so that bounds and
 * integrality are refused by the contract with the same message as over IPC and WebSocket.
 */
export function num(name: string) {
  return (value: string) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number`);
    return n;
  };
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
