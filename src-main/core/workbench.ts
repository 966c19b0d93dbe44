/** The core composed: data directory, Store, services, TrainerHost, and the contract's handlers over them. */
import type { Emit, Handlers } from '../common/contract';
import type { BackendReport } from '../common/domain';
import type { ComputeChoice } from '../common/trainer-protocol';
import { resolveConfig } from '../common/config-resolve';
import { PRESETS, PRESET_NAMES } from '../common/presets';
import { TrainingConfig, defaultTrainingConfig } from '../common/training-config';
import { DataDir } from './data-dir';
import { DatasetService } from './datasets/dataset-service';
import { RunImages } from './runs/run-images';
import { RunService } from './runs/run-service';
import { Store } from './store/store';
import { GenerateHost } from './trainer/generate-host';
import { RunExport } from './runs/run-export';
import type { TrainerLauncher } from './trainer/launcher';
import { PreviewHost } from './trainer/preview-host';
import { TrainerHost } from './trainer/trainer-host';

export interface WorkbenchOptions {
  dataDir: string;
  launcher: TrainerLauncher;
  emit: Emit;
  mode: 'desktop' | 'headless';
  version: string;
  /** better_sqlite3.node for Electron's ABI, in the desktop app. */
  sqliteBinding?: string;
  /** Force a compute backend or pick a GPU for every trainer process. */
  compute?: ComputeChoice;
  log?: (message: string) => void;
}

export interface Workbench {
  dataDir: DataDir;
  store: Store;
  datasets: DatasetService;
  runs: RunService;
  exporter: RunExport;
  host: TrainerHost;
  /** The augmentation-preview worker, started on the first preview. */
  previews: PreviewHost;
  handlers: Handlers;
  close(): void;
}

export function createWorkbench(opts: WorkbenchOptions): Workbench {
  const dataDir = new DataDir(opts.dataDir);
  const store = Store.open(dataDir.database, opts.sqliteBinding ? { nativeBinding: opts.sqliteBinding } : {});
  const recovered = store.runs.markActiveInterrupted(new Date().toISOString());
  if (recovered > 0) opts.log?.(`${recovered} run(s) were active when the app last stopped; marked interrupted`);
  const host = new TrainerHost({ store, dataDir, launcher: opts.launcher, emit: opts.emit, compute: opts.compute, log: opts.log });
  const previews = new PreviewHost({ launcher: opts.launcher, compute: opts.compute, log: opts.log });
  const datasets = new DatasetService(store, dataDir, opts.emit, { previews });
  const runs = new RunService(store, dataDir, host);
  const generator = new GenerateHost({ launcher: opts.launcher, compute: opts.compute, log: opts.log });
  const images = new RunImages(store, dataDir, generator);
  const exporter = new RunExport(store, dataDir, opts.launcher, opts.compute);

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
    'datasets.scan': (req) => datasets.scan(req),
    'datasets.cancelImport': ({ importId }) => ({ cancelled: datasets.cancelImport(importId) }),
    'datasets.discardUpload': async ({ upload }) => (await datasets.discardUpload(upload), { ok: true as const }),
    'datasets.rename': ({ id, name }) => datasets.rename(id, name),
    'datasets.details': ({ id }) => datasets.details(id),
    'datasets.augmentPreview': ({ id, ...req }) => datasets.augmentPreview(id, req),
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
    'runs.update': (req) => runs.update(req),
    'runs.summaries': ({ ids }) => runs.summaries(ids),
    'runs.compare': (req) => runs.compare(req),
    'runs.export': ({ id, step }) => exporter.export(id, step),
    'runs.generate': ({ id, step, spec }) => images.generate(id, step, spec),
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
    exporter,
    host,
    previews,
    handlers,
    close() {
      previews.shutdown();
      generator.shutdown();
      host.shutdown();
      store.close();
    },
  };
}
