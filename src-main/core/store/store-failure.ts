/** Tells a store that refused a write (locked, full, failing disk) apart from a bug, and names the cause for the user. */
import { reason, type RunReason } from '../../common/run-reasons';

interface CodedError {
  code?: unknown;
  message?: unknown;
}

/** The reason a run pauses when the database or the disk refuses a write; null when `error` is something else (a bug). */
export function storeFailureReason(error: unknown): RunReason | null {
  const code = typeof (error as CodedError | null)?.code === 'string' ? ((error as CodedError).code as string) : '';
  const detail = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED') {
    return reason('STORE_BUSY', `the database stayed locked by another program for too long (${detail}); close it, then resume the run`);
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') {
    return reason('DISK_FULL', `the disk is full (${detail}); free some space, then resume the run`);
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY_') || code === 'SQLITE_CANTOPEN' || code === 'EIO' || code === 'EROFS') {
    return reason('STORE_IO', `the database could not be written (${code}: ${detail}); check the disk, then resume the run`);
  }
  return null;
}
