/** Dataset use cases: scan, import (cancellable, from a folder or an upload; also as aligned A/B pairs), list, details, rename, delete, augmentation previews, the in-domain classifier's training. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { CLASSIFIER_SEED, CLASSIFIER_UNAVAILABLE, classifierUnavailable } from '../../common/classifier';
import type { Emit, ParsedRequestOf, ResponseOf } from '../../common/contract';
import type { AugmentPreview, DatasetDetails, ScanResult } from '../../common/datasets';
import type { Dataset, RejectedFile } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import type { DataDir } from '../data-dir';
import { newId } from '../ids';
import type { Store } from '../store/store';
import { augmentPreview, type PreviewWorker } from './augment-preview';
import { detailsOf, ManifestCache } from './dataset-details';
import { importFolder } from './import-folder';
import { resolveSource, type ResolvedSource } from './import-source';
import type { JobWorker } from '../trainer/job-worker';
import { importPaired } from './import-paired';
import type { ImportRunOptions } from './import-shared';
import { CLASSIFIER_DIR, readManifest, type Manifest } from './packed-format';
import { scanFolder } from './scan-folder';
import { readSyntheticProvenance } from './synthetic-manifest';
import { UploadStore, uploadsRoot } from './uploads';

export interface DatasetServiceOptions {
  /** Where augmentation previews are computed (the trainer-side worker). */
  previews?: PreviewWorker;
  uploads?: UploadStore;
  /** Where in-domain classifiers train (the trainer-side worker); without it a dataset gets none. */
  classifiers?: Pick<JobWorker, 'trainClassifier'>;
  log?: (message: string) => void;
  /** The clock of import progress (rate and ETA), in milliseconds; performance.now by default. */
  now?: () => number;
}

/** Upload sessions untouched this long are left over from a closed tab or a crash. */
const STALE_UPLOAD_MS = 24 * 60 * 60 * 1000;

export class DatasetService {
  readonly uploads: UploadStore;
  /** Running imports by id, with the upload session each reads (if any). */
  private readonly imports = new Map<string, { controller: AbortController; upload?: string }>();
  private readonly manifests = new ManifestCache();
  /** Classifier trainings under way, by dataset: awaited by tests and by a delete. */
  private readonly classifierJobs = new Map<string, Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly dataDir: DataDir,
    private readonly emit: Emit,
    private readonly opts: DatasetServiceOptions = {},
  ) {
    this.uploads = opts.uploads ?? new UploadStore(uploadsRoot(dataDir.root));
    void this.uploads.sweep(STALE_UPLOAD_MS).catch(() => {});
  }

  list(): Dataset[] {
    return this.store.datasets.list();
  }

  get(id: string): Dataset {
    const d = this.store.datasets.get(id);
    if (!d) throw new WorkbenchError('NOT_FOUND', `no dataset with id ${id}`);
    return d;
  }

  /** Walk and sniff only: what an import would find, and the datasets already made from this source. */
  async scan(req: ParsedRequestOf<'datasets.scan'>): Promise<ScanResult> {
    const source = await resolveSource(req, this.uploads);
    const scan = await scanFolder(source.folder, req.layout);
    const refused = source.preRejected.length;
    return {
      ...scan,
      files: scan.files + refused,
      wouldReject: scan.wouldReject + refused,
      sourcePath: source.sourcePath,
      name: source.name,
      existing: this.store.datasets.findRelated(source.sourcePath, scan.fingerprint),
    };
  }

  import(req: ParsedRequestOf<'datasets.import'>, signal?: AbortSignal): Promise<ResponseOf<'datasets.import'>> {
    return this.tracked(req, signal, (source, importId, aborted) => this.importFrom(req, source, importId, aborted));
  }

  /** Two datasets of aligned pairs, A (inputs) and B (targets), each naming the other as its pair. */
  importPaired(req: ParsedRequestOf<'datasets.importPaired'>, signal?: AbortSignal): Promise<ResponseOf<'datasets.importPaired'>> {
    return this.tracked(req, signal, (source, importId, aborted) => this.importPairedFrom(req, source, importId, aborted));
  }

  /**
   * An import's bookkeeping: its id (for cancellation and progress), the caller's signal, and the
   * upload session it reads, discarded once imported or cancelled.
   */
  private async tracked<T>(
    req: { importId?: string; upload?: string; path?: string },
    signal: AbortSignal | undefined,
    run: (source: ResolvedSource, importId: string, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const importId = req.importId ?? newId('imp');
    if (this.imports.has(importId)) throw new WorkbenchError('CONFLICT', `an import with id ${importId} is already running`);
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    if (signal?.aborted) controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.imports.set(importId, { controller, upload: req.upload });
    try {
      const source = await resolveSource(req, this.uploads);
      const result = await run(source, importId, controller.signal);
      if (source.upload) await this.uploads.discard(source.upload);
      return result;
    } catch (error) {
      // A cancelled upload import is over for good; a failed one keeps its files for another try.
      if (controller.signal.aborted && req.upload) await this.uploads.discard(req.upload).catch(() => {});
      throw error;
    } finally {
      this.imports.delete(importId);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private async importPairedFrom(
    req: ParsedRequestOf<'datasets.importPaired'>,
    source: ResolvedSource,
    importId: string,
    signal: AbortSignal,
  ): Promise<ResponseOf<'datasets.importPaired'>> {
    const ids = { a: newId('ds'), b: newId('ds') };
    const name = req.name ?? source.name;
    const half = (role: 'A' | 'B', id: string) => ({ id, name: `${name} · ${role}`, destDir: this.dataDir.dataset(id) });
    const { a, b, rejected } = await importPaired({
      ...this.runOptions(req, source, importId, signal),
      layout: req.layout,
      a: half('A', ids.a),
      b: half('B', ids.b),
    });
    const datasetA = this.datasetOf(a, rejected.length, null, { datasetId: ids.b, role: 'A' });
    const datasetB = this.datasetOf(b, rejected.length, null, { datasetId: ids.a, role: 'B' });
    try {
      this.store.datasets.insertPair(datasetA, datasetB, a.fingerprint);
    } catch (error) {
      // No rows, so no folders: a sweep would remove them too, but not before the next start.
      for (const id of [ids.a, ids.b]) rmSync(this.dataDir.dataset(id), { recursive: true, force: true });
      throw error;
    }
    this.emit('dataset.imported', datasetA);
    this.emit('dataset.imported', datasetB);
    return { a: datasetA, b: datasetB, rejected };
  }

  /** What every import of a request takes: its source, shape and fit, and progress events under its id. */
  private runOptions(
    req: Pick<ParsedRequestOf<'datasets.import'>, 'size' | 'channels' | 'fit' | 'background'>,
    source: ResolvedSource,
    importId: string,
    signal: AbortSignal,
  ): ImportRunOptions {
    return {
      folder: source.folder,
      size: req.size,
      channels: req.channels,
      fit: req.fit,
      background: req.background,
      sourceLabel: source.sourcePath,
      preRejected: source.preRejected,
      signal,
      now: this.opts.now,
      onProgress: (p) => this.emit('dataset.importProgress', { importId, path: source.sourcePath, ...p }),
    };
  }

  /** The row of a dataset just packed, from its manifest. */
  private datasetOf(manifest: Manifest, rejected: number, synthetic: Dataset['synthetic'], pair: Dataset['pair']): Dataset {
    const { id } = manifest;
    return {
      id,
      name: manifest.name,
      sourcePath: manifest.sourcePath,
      size: manifest.size,
      channels: manifest.channels,
      count: manifest.count,
      classes: manifest.classes,
      rejectedCount: rejected,
      createdAt: manifest.createdAt,
      previewPath: manifest.preview === null ? null : `datasets/${id}/${manifest.preview}`,
      heldOut: manifest.heldOut.length,
      synthetic,
      classifier: null,
      pair,
    };
  }

  private async importFrom(
    req: ParsedRequestOf<'datasets.import'>,
    source: ResolvedSource,
    importId: string,
    signal: AbortSignal,
  ): Promise<ResponseOf<'datasets.import'>> {
    const id = newId('ds');
    const name = req.name ?? source.name;
    const { manifest, rejected } = await importFolder({
      destDir: this.dataDir.dataset(id),
      ...this.runOptions(req, source, importId, signal),
      id,
      name,
      layout: req.layout,
    });
    // A folder a run's generator wrote says so in its manifest: the dataset is marked synthetic.
    const synthetic = await readSyntheticProvenance(source.folder);
    const dataset = this.datasetOf(manifest, rejected.length, synthetic, null);
    this.store.datasets.insert(dataset, manifest.fingerprint);
    this.emit('dataset.imported', dataset);
    // A dataset with classes and a held-out split gets its classifier once, in the background.
    const training = this.opts.classifiers && classifierUnavailable(dataset) === null ? this.trainClassifier(id) : dataset;
    return { dataset: training, rejected };
  }

  /**
   * Starts training the dataset's in-domain classifier in the trainer-side worker (again, after a
   * failure or to replace it) and answers at once with the dataset marked `training`; the dataset is
   * updated (`dataset.updated`) when it is ready or has failed.
   */
  trainClassifier(id: string): Dataset {
    const dataset = this.get(id);
    const unavailable = classifierUnavailable(dataset);
    const why = unavailable === null ? null : CLASSIFIER_UNAVAILABLE[unavailable];
    if (why !== null) throw new WorkbenchError('INVALID_REQUEST', `dataset “${dataset.name}” cannot have a classifier: ${why}`, { issues: [{ path: 'id', message: why }] });
    if (!this.opts.classifiers) throw new WorkbenchError('TRAINER_FAILED', 'a classifier trains in the trainer, which this workbench was started without');
    if (this.classifierJobs.has(id)) throw new WorkbenchError('CONFLICT', `the classifier of dataset “${dataset.name}” is already training`);
    this.setClassifier(id, { status: 'training', startedAt: new Date().toISOString() });
    const datasetDir = this.dataDir.dataset(id);
    const job = this.opts.classifiers
      .trainClassifier({ datasetDir, outDir: join(datasetDir, CLASSIFIER_DIR), seed: CLASSIFIER_SEED })
      .then(
        (report) => this.setClassifier(id, { status: 'ready', ...report }),
        (error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          this.opts.log?.(`the classifier of dataset ${id} failed: ${message}`);
          this.setClassifier(id, { status: 'failed', error: message, at: new Date().toISOString() });
        },
      )
      .finally(() => this.classifierJobs.delete(id));
    this.classifierJobs.set(id, job);
    return this.get(id);
  }

  /** Settles when the dataset's classifier training (if one is under way) has finished, either way. */
  async classifierSettled(id: string): Promise<void> {
    await this.classifierJobs.get(id);
  }

  private setClassifier(id: string, classifier: Dataset['classifier']): void {
    // The dataset may have been deleted while its classifier trained.
    if (!this.store.datasets.get(id)) return;
    this.store.datasets.setClassifier(id, classifier);
    this.emit('dataset.updated', this.get(id));
  }

  /** False when no such import is running (it may have just finished). */
  cancelImport(importId: string): boolean {
    const running = this.imports.get(importId);
    running?.controller.abort();
    return running !== undefined;
  }

  /** Removes uploaded files that will not be imported (the dialog was closed). */
  async discardUpload(session: string): Promise<void> {
    if ([...this.imports.values()].some((i) => i.upload === session)) {
      throw new WorkbenchError('CONFLICT', 'an import is reading these uploaded files; cancel it first');
    }
    await this.uploads.discard(session);
  }

  rename(id: string, name: string): Dataset {
    this.get(id);
    this.store.datasets.rename(id, name);
    const dataset = this.get(id);
    this.emit('dataset.updated', dataset);
    return dataset;
  }

  async details(id: string): Promise<DatasetDetails> {
    const dataset = this.get(id);
    const manifest = await this.manifests.get(id, () => readManifest(this.dataDir.dataset(id)));
    return detailsOf(dataset, manifest, this.dataDir.relative(this.dataDir.dataset(id)));
  }

  async rejects(id: string): Promise<RejectedFile[]> {
    this.get(id);
    return (await this.manifests.get(id, () => readManifest(this.dataDir.dataset(id)))).rejects;
  }

  async augmentPreview(req: ParsedRequestOf<'datasets.augmentPreview'>): Promise<AugmentPreview> {
    const id = req.id;
    const dataset = this.get(id);
    if (!this.opts.previews) throw new WorkbenchError('TRAINER_FAILED', 'augmentation previews need the trainer, which this workbench was started without');
    return augmentPreview(this.opts.previews, { dir: this.dataDir.dataset(id), count: dataset.count }, req);
  }

  delete(id: string): void {
    const dataset = this.get(id);
    if (this.classifierJobs.has(id)) throw new WorkbenchError('CONFLICT', `the classifier of dataset “${dataset.name}” is training; delete the dataset when it has finished`);
    const users = this.store.runs.countUsingDataset(id);
    if (users > 0) {
      throw new WorkbenchError(
        'CONFLICT',
        `dataset “${dataset.name}” is used by ${users} run${users === 1 ? '' : 's'}; delete ${users === 1 ? 'that run' : 'those runs'} first`,
        { runs: users },
      );
    }
    // The partner of a paired half stays, as an ordinary dataset (it is whole on its own): it loses its pair.
    const unpaired = this.store.datasets.delete(id);
    this.manifests.forget(id);
    rmSync(this.dataDir.dataset(id), { recursive: true, force: true });
    for (const partner of unpaired) this.emit('dataset.updated', this.get(partner));
  }
}
