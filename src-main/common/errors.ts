/** Error codes shared by every layer, and the one error type that crosses the API boundary. */
import { z } from 'zod';

export const ErrorCode = z.enum([
  'INVALID_REQUEST',
  'UNKNOWN_METHOD',
  /** A WebSocket connection already has as many requests waiting as it may (see ws-api). */
  'TOO_MANY_REQUESTS',
  'NOT_FOUND',
  'CONFLICT',
  'PATH_OUTSIDE_DATA_DIR',
  'IMPORT_FAILED',
  'NO_IMAGES',
  'TRAINER_FAILED',
  'UNAUTHORIZED',
  /** Another process owns the data directory (see DataDirLock). */
  'DATA_DIR_LOCKED',
  /** A writing request reached a workbench opened read-only. */
  'READ_ONLY',
  /** Not enough free disk space: details carry bytesNeeded and bytesFree. */
  'NO_SPACE',
  /** The database refused a write (locked, full, I/O error). */
  'STORE_FAILED',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ApiErrorShape = z.object({
  code: ErrorCode,
  message: z.string(),
  details: z.unknown().optional(),
});
export type ApiErrorShape = z.infer<typeof ApiErrorShape>;

/** Thrown by services; the router turns it into `{ code, message, details }` unchanged. */
export class WorkbenchError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'WorkbenchError';
  }

  toShape(): ApiErrorShape {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** One issue of a failed validation, with the dotted path of the field. */
export interface FieldIssue {
  path: string;
  message: string;
}

export function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({
    path: i.path.map(String).join('.') || '(root)',
    message: i.message,
  }));
}
