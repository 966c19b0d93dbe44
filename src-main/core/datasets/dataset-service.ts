/** Dataset use cases: scan, import (cancellable, from a folder or an upload), list, details, rename, delete, augmentation previews. */
import { rmSync } from 'node:fs';
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
import { readManifest } from './packed-format';
import { scanFolder } from './scan-folder';
import { readSyntheticProvenance } from './synthetic-manifest';
import { UploadStore, uploadsRoot } from './uploads';

export interface DatasetServiceOptions {
  /** Where augmentation previews are computed (the trainer-side worker). */
  previews?: PreviewWorker;
  uploads?: UploadStore;
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

  async import(req: ParsedRequestOf<'datasets.import'>, signal?: AbortSignal): Promise<ResponseOf<'datasets.import'>> {
    const importId = req.importId ?? newId('imp');
    if (this.imports.has(importId)) throw new WorkbenchError('CONFLICT', `an import with id ${importId} is already running`);
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    if (signal?.aborted) controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.imports.set(importId, { controller, upload: req.upload });
    try {
      const source = await resolveSource(req, this.uploads);
      const result = await this.importFrom(req, source, importId, controller.signal);
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

  private async importFrom(
    req: ParsedRequestOf<'datasets.import'>,
    source: ResolvedSource,
    importId: string,
    signal: AbortSignal,
  ): Promise<ResponseOf<'datasets.import'>> {
    const id = newId('ds');
    const name = req.name ?? source.name;
    const { manifest, rejected } = await importFolder({
      folder: source.folder,
      destDir: this.dataDir.dataset(id),
      id,
      name,
      size: req.size,
      channels: req.channels,
      layout: req.layout,
      fit: req.fit,
      background: req.background,
      sourceLabel: source.sourcePath,
      preRejected: source.preRejected,
      signal,
      now: this.opts.now,
      onProgress: (p) => this.emit('dataset.importProgress', { importId, path: source.sourcePath, ...p }),
    });
    // A folder a run's generator wrote says so in its manifest: the dataset is marked synthetic.
    const synthetic = await readSyntheticProvenance(source.folder);
    const dataset: Dataset = {
      id,
      name,
      sourcePath: source.sourcePath,
      size: req.size,
      channels: req.channels,
      count: manifest.count,
      classes: manifest.classes,
      rejectedCount: rejected.length,
      createdAt: manifest.createdAt,
      previewPath: manifest.preview === null ? null : `datasets/${id}/${manifest.preview}`,
      heldOut: manifest.heldOut.length,
      synthetic,
    };
    this.store.datasets.insert(dataset, manifest.fingerprint);
    this.emit('dataset.imported', dataset);
    return { dataset, rejected };
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
    const users = this.store.runs.countUsingDataset(id);
    if (users > 0) {
      throw new WorkbenchError(
        'CONFLICT',
        `dataset “${dataset.name}” is used by ${users} run${users === 1 ? '' : 's'}; delete ${users === 1 ? 'that run' : 'those runs'} first`,
        { runs: users },
      );
    }
    this.store.datasets.delete(id);
    this.manifests.forget(id);
    rmSync(this.dataDir.dataset(id), { recursive: true, force: true });
  }
}
