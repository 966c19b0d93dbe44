/** Composition root of serve mode: the core and a forked trainer behind HTTP + WebSocket on 127.0.0.1. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ComputeChoice } from './common/trainer-protocol';
import { forkLauncher } from './core/trainer/fork-launcher';
import { createWorkbench, type Workbench } from './core/workbench';
import { createEventHub } from './transport/event-hub';
import { createRouter } from './transport/router';
import { startWsServer, type RunningServer } from './transport/ws-server';

export interface HeadlessOptions {
  dataDir: string;
  /** Folder of the built renderer (out/renderer). */
  staticDir: string;
  trainerEntry: string;
  trainerExecArgv?: string[];
  /** Environment of each trainer process (the CLI's --threads travels here); default this process's. */
  trainerEnv?: NodeJS.ProcessEnv;
  port?: number;
  token?: string;
  /** Force a compute backend or pick a GPU for every trainer process. */
  compute?: ComputeChoice;
  version: string;
  log?: (message: string) => void;
}

export interface Headless {
  server: RunningServer;
  workbench: Workbench;
  close(): Promise<void>;
}

export async function startHeadless(opts: HeadlessOptions): Promise<Headless> {
  if (!existsSync(join(opts.staticDir, 'index.html'))) {
    throw new Error(`the UI is not built (no ${join(opts.staticDir, 'index.html')}); run "npm run build" first`);
  }
  const hub = createEventHub();
  const workbench = createWorkbench({
    dataDir: opts.dataDir,
    launcher: forkLauncher({ entry: opts.trainerEntry, execArgv: opts.trainerExecArgv, env: opts.trainerEnv }),
    emit: hub.emit,
    mode: 'headless',
    version: opts.version,
    compute: opts.compute,
    log: opts.log,
  });
  // Evaluations the server was stopped in the middle of: measured again in the background.
  workbench.runEvaluations.catchUp();
  const router = createRouter(workbench.handlers, {
    onInternalError: (method, error) => opts.log?.(`internal error in ${method}: ${error instanceof Error ? error.stack : String(error)}`),
  });
  const server = await startWsServer({
    router,
    hub,
    staticDir: opts.staticDir,
    resolveDataFile: (rel) => workbench.dataDir.resolveInside(rel),
    uploads: workbench.datasets.uploads,
    port: opts.port,
    token: opts.token,
    log: opts.log,
  });
  // A second writer that finds the lock is told where this server is.
  workbench.lock?.setUrl(server.url);
  return {
    server,
    workbench,
    async close() {
      await server.close();
      workbench.close();
    },
  };
}
