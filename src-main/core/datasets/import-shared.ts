/** What folder and paired imports share: the option checks, the cancellation error and how other failures are reported. */
import { BackgroundColor } from '../../common/datasets';
import { Channels, ImageSize } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';

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
