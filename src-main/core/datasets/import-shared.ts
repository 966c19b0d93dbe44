/** What folder and paired imports share: the option checks, the cancellation error and how other failures are reported. */
import { BackgroundColor, type ImportFit } from '../../common/datasets';
import { Channels, ImageSize, type RejectedFile } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import type { ImportProgress } from './progress';

/** The options every import takes, whatever it reads and however many datasets it writes. */
export interface ImportRunOptions {
  /** The folder walked. */
  folder: string;
  size: number;
  channels: 1 | 3;
  /** Default 'crop'. */
  fit?: ImportFit;
  /** Default '#000000'. */
  background?: string;
  /** Recorded as the dataset's source instead of `folder` (uploads are imported from a temporary folder). */
  sourceLabel?: string;
  /** Files refused before they reached `folder` (uploads over the size limit); listed with the rejects. */
  preRejected?: readonly RejectedFile[];
  onProgress?: (p: ImportProgress) => void;
  /** Aborting rejects with WorkbenchError('IMPORT_FAILED', 'import cancelled', { cancelled: true }). */
  signal?: AbortSignal;
  /** Images with more pixels than this are rejected before decoding. */
  maxInputPixels?: number;
  /** Files decoded at once; results are still packed in sorted file order. */
  concurrency?: number;
  /** Milliseconds for the progress's throttle and rate (performance.now by default; tests pass their own). */
  now?: () => number;
}

/** Files (or pairs) decoded at once by default; results are still packed in sorted order. */
export const DEFAULT_CONCURRENCY = 4;

export function cancelled(): WorkbenchError {
  return new WorkbenchError('IMPORT_FAILED', 'import cancelled', { cancelled: true });
}

/** Callers inside the workbench pass checked values; this guards direct callers (tests, benches) the contract does not. */
export function checkImportOptions(opts: { size: number; channels: number; background?: string }): void {
  if (!ImageSize.safeParse(opts.size).success || !Channels.safeParse(opts.channels).success) {
    throw new WorkbenchError('INVALID_REQUEST', `size must be an integer 8..256 and channels 1 or 3`, {
      size: opts.size,
      channels: opts.channels,
    });
  }
  if (opts.background !== undefined && !BackgroundColor.safeParse(opts.background).success) {
    throw new WorkbenchError('INVALID_REQUEST', `background must be a colour like #000000, not "${opts.background}"`);
  }
}

export function asImportError(error: unknown): WorkbenchError {
  if (error instanceof WorkbenchError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return new WorkbenchError('IMPORT_FAILED', `import failed: ${message}`, code ? { code } : undefined);
}

/** An abort wins over whatever error it caused downstream. */
export function importFailure(error: unknown, signal: AbortSignal | undefined): WorkbenchError {
  return signal?.aborted ? cancelled() : asImportError(error);
}
