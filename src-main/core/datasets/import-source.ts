/** Where an import or scan reads from: an absolute folder on this machine, or a browser upload session. */
import { stat } from 'node:fs/promises';
import { basename, isAbsolute, resolve } from 'node:path';
import type { ParsedRequestOf } from '../../common/contract';
import { UPLOAD_SOURCE_PREFIX } from '../../common/datasets';
import type { RejectedFile } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import type { UploadStore } from './uploads';

/** The source fields that the contract's scan and import requests share. */
export type SourceRequest = Pick<ParsedRequestOf<'datasets.scan'>, 'path' | 'upload'>;

export interface ResolvedSource {
  /** The folder walked. */
  folder: string;
  /** What the dataset records as its source: the folder, or `upload:<name>` for uploads (their folder is temporary). */
  sourcePath: string;
  /** Default dataset name. */
  name: string;
  /** Files refused during upload (over the size limit), relative to `folder`. */
  preRejected: RejectedFile[];
  upload?: string;
}

export async function resolveSource(req: SourceRequest, uploads: UploadStore): Promise<ResolvedSource> {
  if (req.upload !== undefined) {
    const root = await uploads.importRoot(req.upload);
    return {
      folder: root.folder,
      sourcePath: `${UPLOAD_SOURCE_PREFIX}${root.name}`,
      name: root.name,
      preRejected: uploads.refused(req.upload, root.prefix),
      upload: req.upload,
    };
  }
  const folder = await localFolder(req.path ?? '', 'path');
  return { folder, sourcePath: folder, name: basename(folder) || folder, preRejected: [] };
}

/**
 * A folder of images on this machine as a request names it (an import's or an evaluation's): an
 * absolute path to a folder that exists. `field` is the request's field a refusal names.
 */
export async function localFolder(path: string, field: string): Promise<string> {
  if (!isAbsolute(path)) {
    throw new WorkbenchError('INVALID_REQUEST', `give an absolute folder path, not "${path}"`, {
      issues: [{ path: field, message: 'must be an absolute path' }],
    });
  }
  const folder = resolve(path);
  const st = await stat(folder).catch(() => null);
  if (!st) throw new WorkbenchError('NOT_FOUND', `no folder at ${folder}`);
  if (!st.isDirectory()) throw new WorkbenchError('INVALID_REQUEST', `${folder} is a file, not a folder: give the folder that holds the images`);
  return folder;
}
