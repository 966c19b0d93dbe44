/** Dataset use cases: import a folder into the packed format, list, read rejects, delete. */
import { existsSync, rmSync, statSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import type { Emit } from '../../common/contract';
import type { Dataset, RejectedFile } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import type { DataDir } from '../data-dir';
import { newId } from '../ids';
import type { Store } from '../store/store';
import { importFolder } from './import-folder';
import { readManifest } from './packed-format';

export interface ImportRequest {
  path: string;
  size: number;
  channels: 1 | 3;
  name?: string;
}

export class DatasetService {
  constructor(
    private readonly store: Store,
    private readonly dataDir: DataDir,
    private readonly emit: Emit,
  ) {}

  list(): Dataset[] {
    return this.store.datasets.list();
  }

  get(id: string): Dataset {
    const d = this.store.datasets.get(id);
    if (!d) throw new WorkbenchError('NOT_FOUND', `no dataset with id ${id}`);
    return d;
  }

  async import(req: ImportRequest, signal?: AbortSignal): Promise<{ dataset: Dataset; rejected: RejectedFile[] }> {
    if (!isAbsolute(req.path)) {
      throw new WorkbenchError('INVALID_REQUEST', `give an absolute folder path, not "${req.path}"`, {
        issues: [{ path: 'path', message: 'must be an absolute path' }],
      });
    }
    const folder = resolve(req.path);
    if (!existsSync(folder) || !statSync(folder).isDirectory()) {
      throw new WorkbenchError('NOT_FOUND', `no folder at ${folder}`);
    }
    const id = newId('ds');
    const name = req.name ?? basename(folder);
    const { manifest, rejected } = await importFolder({
      folder,
      destDir: this.dataDir.dataset(id),
      id,
      name,
      size: req.size,
      channels: req.channels,
      signal,
      onProgress: (p) => this.emit('dataset.importProgress', { path: folder, ...p }),
    });
    const dataset: Dataset = {
      id,
      name,
      sourcePath: folder,
      size: req.size,
      channels: req.channels,
      count: manifest.count,
      classes: manifest.classes,
      rejectedCount: rejected.length,
      createdAt: manifest.createdAt,
      previewPath: manifest.preview === null ? null : `datasets/${id}/${manifest.preview}`,
    };
    this.store.datasets.insert(dataset);
    this.emit('dataset.imported', dataset);
    return { dataset, rejected };
  }

  async rejects(id: string): Promise<RejectedFile[]> {
    this.get(id);
    return (await readManifest(this.dataDir.dataset(id))).rejects;
  }

  delete(id: string): void {
    this.get(id);
    const users = this.store.runs.countUsingDataset(id);
    if (users > 0) {
      throw new WorkbenchError('CONFLICT', `dataset ${id} is used by ${users} run(s); delete those runs first`);
    }
    this.store.datasets.delete(id);
    rmSync(this.dataDir.dataset(id), { recursive: true, force: true });
  }
}
