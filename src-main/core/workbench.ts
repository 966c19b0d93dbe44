/** The core composed: data directory, Store, services, TrainerHost, and the contract's handlers over them. */
import type { Emit, Handlers } from '../common/contract';
import type { BackendReport } from '../common/domain';
import { resolveConfig } from '../common/config-resolve';
import { PRESETS, PRESET_NAMES } from '../common/presets';
import { TrainingConfig, defaultTrainingConfig } from '../common/training-config';
import { DataDir } from './data-dir';
import { DatasetService } from './datasets/dataset-service';
import { RunService } from './runs/run-service';
import { Store } from './store/store';
import type { TrainerLauncher } from './trainer/launcher';
import { TrainerHost } from './trainer/trainer-host';

export interface WorkbenchOptions {
  dataDir: string;
  launcher: TrainerLauncher;
  emit: Emit;
  mode: 'desktop' | 'headless';
  version: string;
  /** better_sqlite3.node for Electron's ABI, in the desktop app. */
  sqliteBinding?: string;
  backend?: string;
  log?: (message: string) => void;
}

export interface Workbench {
  dataDir: DataDir;
  store: Store;
  datasets: DatasetService;
  runs: RunService;
  host: TrainerHost;
  handlers: Handlers;
  close(): void;
}

export function createWorkbench(opts: WorkbenchOptions): Workbench {
  const dataDir = new DataDir(opts.dataDir);
  const store = Store.open(dataDir.database, opts.sqliteBinding ? { nativeBinding: opts.sqliteBinding } : {});
  const recovered = store.runs.markActiveInterrupted(new Date().toISOString());
  if (recovered > 0) opts.log?.(`${recovered} run(s) were active when the app last stopped; marked interrupted`);
  const host = new TrainerHost({ store, dataDir, launcher: opts.launcher, emit: opts.emit, backend: opts.backend, log: opts.log });
  const datasets = new DatasetService(store, dataDir, opts.emit);
  const runs = new RunService(store, dataDir, host);

  let backendReport: Promise<BackendReport> | undefined;
  const handlers: Handlers = {
    'app.info': () => ({ version: opts.version, dataDir: dataDir.root, mode: opts.mode }),
    'system.backend': () => (backendReport ??= host.probeBackend().catch((e: unknown) => {
      backendReport = undefined;
      throw e;
    })),
    'datasets.list': () => datasets.list(),
    'datasets.get': ({ id }) => datasets.get(id),
    'datasets.import': (req) => datasets.import(req),
    'datasets.rejects': ({ id }) => datasets.rejects(id),
    'datasets.delete': ({ id }) => (datasets.delete(id), { ok: true as const }),
    'runs.list': () => runs.list(),
    'runs.get': ({ id }) => runs.get(id),
    'runs.create': (req) => runs.create(req),
    'runs.fork': (req) => runs.fork(req),
    'runs.checkpoints': ({ id }) => runs.checkpoints(id),
    'runs.events': ({ id }) => runs.events(id),
    'runs.start': ({ id }) => runs.start(id),
    'runs.pause': ({ id }) => runs.pause(id),
    'runs.resume': ({ id }) => runs.resume(id),
    'runs.stop': ({ id }) => runs.stop(id),
    'runs.delete': ({ id }) => (runs.delete(id), { ok: true as const }),
    'runs.metrics': ({ id, keys, maxPoints }) => runs.metrics(id, keys, maxPoints),
    'runs.samples': ({ id }) => runs.samples(id),
    'config.defaults': () => defaultTrainingConfig(),
    'config.presets': () =>
      PRESET_NAMES.map((name) => ({ name, summary: PRESETS[name].summary, config: TrainingConfig.parse(PRESETS[name].config) })),
    'config.resolve': (req) => resolveConfig(req),
  };

  return {
    dataDir,
    store,
    datasets,
    runs,
    host,
    handlers,
    close() {
      host.shutdown();
      store.close();
    },
  };
}
