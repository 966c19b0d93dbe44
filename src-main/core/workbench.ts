/** The core composed: data directory (locked for one writer), Store, services, TrainerHost, and the contract's handlers over them. */
import { READ_METHODS, type Emit, type Handlers, type MethodName } from '../common/contract';
import { WorkbenchError } from '../common/errors';
import type { BackendReport } from '../common/domain';
import type { ComputeChoice } from '../common/trainer-protocol';
import { resolveConfig } from '../common/config-resolve';
import { resolvedPresets } from '../common/presets';
import { DataDir } from './data-dir';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock';
import { liveness, type OwnerKind } from './process-identity';
import { recoverDataDir } from './recover-data-dir';
import { DatasetService } from './datasets/dataset-service';
import { EvaluationService } from './quality/evaluation-service';
import { RunEvaluations } from './quality/run-evaluations';
import { RunTranslate } from './runs/run-translate';
import { RunImages } from './runs/run-images';
import { RunGrow } from './runs/run-grow';
import { RunService } from './runs/run-service';
import { MemoryBudget } from './settings/memory-budget';
import { SettingsService } from './settings/settings-service';
import { Store } from './store/store';
import { RunExport } from './runs/run-export';
import type { TrainerLauncher } from './trainer/launcher';
import { JobWorker } from './trainer/job-worker';
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
  /**
   * `write` (the default) takes the data directory's lock and recovers runs whose owner is gone;
   * `read` opens SQLite read-only, takes no lock, changes nothing and refuses every writing method.
   */
  access?: 'write' | 'read';
  /** Who holds the lock, for the message a second writer gets. Default: the desktop app or serve, by mode. */
  owner?: { kind: OwnerKind; command: string };
  /** WebGPU's adapter buffer limit in bytes, when that is the backend (see MemoryBudgetOptions). */
  gpuBufferLimit?: () => number | null;
}

export interface Workbench {
  dataDir: DataDir;
  store: Store;
  datasets: DatasetService;
  runs: RunService;
  /** Grow: runs forked into larger, deeper or wider networks, and their reports. */
  grow: RunGrow;
  settings: SettingsService;
  exporter: RunExport;
  evaluations: EvaluationService;
  /** Evaluation in runs: the checkpoints queued for evaluation, and each run's evaluations. */
  runEvaluations: RunEvaluations;
  host: TrainerHost;
  /** The warm trainer worker of previews, renders, exports and evaluations, started on the first of them. */
  worker: JobWorker;
  handlers: Handlers;
  /** The data directory's lock; null when opened read-only. */
  lock: DataDirLock | null;
  /** Stops training before the process exits: after a checkpoint, or at once with `immediate`. */
  stopTraining(opts?: { immediate?: boolean }): Promise<void>;
  close(): void;
}

export function createWorkbench(opts: WorkbenchOptions): Workbench {
  const readonly = opts.access === 'read';
  const dataDir = new DataDir(opts.dataDir, { create: !readonly });
  const lock = readonly
    ? null
    : acquireDataDirLock(dataDir.root, opts.owner ?? { kind: opts.mode === 'desktop' ? 'desktop' : 'serve', command: opts.mode === 'desktop' ? 'app' : 'serve' });
  let store: Store;
  try {
    store = Store.open(dataDir.database, { ...(opts.sqliteBinding ? { nativeBinding: opts.sqliteBinding } : {}), readonly });
  } catch (error) {
    lock?.release();
    throw error;
  }
  if (!readonly) {
    // Only the lock's holder may sweep: another process's imports and checkpoints leave temp files too.
    recoverDataDir(store, dataDir, opts.log);
    // Legacy rows have no owner; any other owner but a live one is gone (we hold the lock, so it is not training).
    const recovered = store.runs.recoverOrphans(new Date().toISOString(), (owner) => owner === null || liveness(owner) === 'gone');
    if (recovered.length > 0) opts.log?.(`${recovered.length} run(s) were active when their app last stopped; marked interrupted`);
    // A classifier trains in a worker of the app that started it: none of those is left.
    store.datasets.failInterruptedClassifiers(new Date().toISOString());
  }
  const worker = new JobWorker({ launcher: opts.launcher, compute: opts.compute, log: opts.log });
  // The host is made below: these run only once a run trains, by then it exists.
  const tell = (runId: string, step: number, kid: number | null) => host.evaluated(runId, step, kid);
  // An evaluation asked for while the dataset's classifier trains waits for it: its in-domain measures come with it.
  const classifierSettled = (datasetId: string) => datasets.classifierSettled(datasetId);
  const evaluations = new EvaluationService(store, dataDir, worker, { emit: opts.emit, tell, classifierSettled });
  const runEvaluations = new RunEvaluations({ store, service: evaluations, emit: opts.emit, tellFailed: (runId, step) => tell(runId, step, null), log: opts.log });
  const host = new TrainerHost({
    store,
    dataDir,
    launcher: opts.launcher,
    emit: opts.emit,
    compute: opts.compute,
    slots: () => store.settings.get().trainingSlots,
    evaluations: runEvaluations,
    log: opts.log,
  });
  const datasets = new DatasetService(store, dataDir, opts.emit, { previews: worker, classifiers: worker, log: opts.log });
  const budget = new MemoryBudget({ settings: () => store.settings.get(), gpuBufferLimit: opts.gpuBufferLimit });
  const settings = new SettingsService(store.settings, budget);
  const runs = new RunService(store, dataDir, host, budget);
  const grow = new RunGrow(store, dataDir, runs, worker);
  const images = new RunImages(store, dataDir, worker);
  const translator = new RunTranslate(store, dataDir, worker);
  const exporter = new RunExport(store, dataDir, worker);

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
    'datasets.importPaired': (req) => datasets.importPaired(req),
    'datasets.rejects': ({ id }) => datasets.rejects(id),
    'datasets.scan': (req) => datasets.scan(req),
    'datasets.cancelImport': ({ importId }) => ({ cancelled: datasets.cancelImport(importId) }),
    'datasets.discardUpload': async ({ upload }) => (await datasets.discardUpload(upload), { ok: true as const }),
    'datasets.rename': ({ id, name }) => datasets.rename(id, name),
    'datasets.details': ({ id }) => datasets.details(id),
    'datasets.augmentPreview': (req) => datasets.augmentPreview(req),
    'datasets.delete': ({ id }) => (datasets.delete(id), { ok: true as const }),
    'datasets.trainClassifier': ({ id }) => datasets.trainClassifier(id),
    'runs.list': () => runs.list(),
    'runs.get': ({ id }) => runs.get(id),
    'runs.create': (req) => runs.create(req),
    'runs.fork': (req) => runs.fork(req),
    'runs.grow': (req) => grow.grow(req),
    'runs.growth': (req) => grow.growth(req.id),
    'runs.checkpoints': ({ id }) => runs.checkpoints(id),
    'runs.evaluations': ({ id }) => runEvaluations.view(id),
    'runs.nearest': ({ id, step }) => evaluations.nearest(id, step),
    'runs.events': ({ id }) => runs.events(id),
    'runs.start': ({ id }) => runs.start(id),
    'runs.pause': ({ id }) => runs.pause(id),
    'runs.resume': ({ id }) => runs.resume(id),
    'runs.stop': ({ id, immediate }) => runs.stop(id, immediate),
    'runs.delete': ({ id }) => (runs.delete(id), { ok: true as const }),
    'runs.metrics': ({ id, keys, maxPoints }) => runs.metrics(id, keys, maxPoints),
    'runs.samples': ({ id }) => runs.samples(id),
    'runs.update': (req) => runs.update(req),
    'runs.summaries': ({ ids }) => runs.summaries(ids),
    'runs.compare': (req) => runs.compare(req),
    'runs.export': ({ id, step, format, ...options }) => exporter.export(id, step, format, options),
    'runs.generate': ({ id, step, spec }) => images.generate(id, step, spec),
    'runs.translate': (req) => translator.translate(req),
    'quality.evaluate': (req) => evaluations.evaluate(req),
    'config.presets': () => resolvedPresets(),
    'config.resolve': (req) => resolveConfig(req),
    'settings.get': () => settings.view(),
    'settings.update': (patch) => {
      const view = settings.update(patch);
      host.fillSlots();
      return view;
    },
  };

  if (readonly) refuseWrites(handlers);

  return {
    dataDir,
    store,
    lock,
    datasets,
    runs,
    grow,
    settings,
    exporter,
    evaluations,
    runEvaluations,
    host,
    worker,
    handlers,
    stopTraining: (o = {}) => host.stopAll(o),
    close() {
      runEvaluations.close();
      worker.shutdown();
      host.shutdown();
      store.close();
      lock?.release();
    },
  };
}

/** A read-only workbench answers the read methods and names the command to use for the rest. */
function refuseWrites(handlers: Handlers): void {
  for (const method of Object.keys(handlers) as MethodName[]) {
    if (READ_METHODS.has(method)) continue;
    (handlers as Record<MethodName, unknown>)[method] = () => {
      throw new WorkbenchError('READ_ONLY', `${method} changes the data directory, which this command opened read-only`);
    };
  }
}
