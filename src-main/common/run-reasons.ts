/** Why a run paused, failed, stopped early or was interrupted: a structured value the UI and CLI read field by field. */
import { z } from 'zod';

export const RunReasonCode = z.enum([
  /** A loss or gradient norm stopped being finite; the run rewound to `resumeStep` and paused. */
  'NON_FINITE',
  /** The same, before any checkpoint existed: the run failed. */
  'NON_FINITE_NO_CHECKPOINT',
  /** The database was locked by another connection for longer than the busy timeout. */
  'STORE_BUSY',
  /** The disk (or the database's page limit) is full. */
  'DISK_FULL',
  /** Reading or writing the database or the run's files failed at the operating-system level. */
  'STORE_IO',
  /** Not enough free space to write a checkpoint: `bytesNeeded` against `bytesFree`. */
  'NO_SPACE',
  /** The trainer process ended without saying why (killed, crashed): `signal` or `exitCode`. */
  'TRAINER_EXITED',
  /** The app or server that owned the run stopped while it was active. */
  'APP_STOPPED',
  /** Stopped at once (a second Ctrl+C): no final checkpoint, the run resumes from `resumeStep`. */
  'STOPPED_WITHOUT_CHECKPOINT',
  /** The trainer raised an error it could not recover from. */
  'TRAINER_ERROR',
  /** The GPU device was lost or ran out of memory. */
  'DEVICE_LOST',
  'OUT_OF_MEMORY',
  /** The GPU reported another error (a validation or internal error); the run paused. */
  'GPU_ERROR',
  /** After a GPU fault, the device could not be set up again on resume. */
  'GPU_UNAVAILABLE',
  /** A reason stored as plain text by an older version of the workbench. */
  'LEGACY',
]);
export type RunReasonCode = z.infer<typeof RunReasonCode>;

/** JSON has no NaN or Infinity: a non-finite value travels as its name. */
export const MetricValue = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]);
export type MetricValue = z.infer<typeof MetricValue>;

export const RunReason = z.object({
  code: RunReasonCode,
  /** The same reason in English prose, for logs and the command line. */
  message: z.string(),
  metric: z.string().optional().describe('The metric key the reason is about.'),
  step: z.number().int().optional().describe('The step at which it happened.'),
  value: MetricValue.optional().describe('The value that triggered it.'),
  threshold: z.number().optional().describe('The limit the value crossed, when there is one.'),
  resumeStep: z.number().int().nullable().optional().describe('The checkpoint the run resumes from (null: from scratch).'),
  bytesNeeded: z.number().optional(),
  bytesFree: z.number().optional(),
  signal: z.string().optional(),
  exitCode: z.number().int().optional(),
});
export type RunReason = z.infer<typeof RunReason>;

export function metricValue(v: number): MetricValue {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return v;
}

export function reason(code: RunReasonCode, message: string, fields: Omit<RunReason, 'code' | 'message'> = {}): RunReason {
  return { code, message, ...fields };
}
