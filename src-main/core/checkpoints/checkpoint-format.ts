/**
 * The on-disk format of a checkpoint folder `runs/<id>/checkpoints/<step>/` and how it is verified:
 * `state.json` (meta, tensor index, metric, and the length and sha256 of the blob) plus `tensors.bin`.
 * Written by the trainer, verified by the trainer before loading and by the core before trusting a row.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const STATE_FILE = 'state.json';
export const TENSORS_FILE = 'tensors.bin';
/**
 * In the checkpoints folder of a run trained before issue 12: the step and value of its best checkpoint
 * by a loss. No longer written (the best is now the lowest KID of the evaluated checkpoints, which the
 * store holds); the checkpoints it names are still never pruned.
 */
export const BEST_FILE = 'best.json';
/** 2 added the blob's length and checksum (and, until issue 12, the checkpoint's loss metric); 1 still reads (length checked from its index). */
export const CHECKPOINT_FORMAT = 2;

const TensorEntry = z.object({
  name: z.string(),
  shape: z.array(z.number().int().min(0)),
  dtype: z.enum(['float32', 'int32']),
  /** Byte offset into tensors.bin. */
  offset: z.number().int().min(0),
  /** Number of elements (4 bytes each). */
  length: z.number().int().min(0),
});
export type TensorEntry = z.infer<typeof TensorEntry>;

const Blob = z.object({ bytes: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) });
export type BlobRecord = z.infer<typeof Blob>;

const RecordedMetric = z.object({ key: z.string(), value: z.number().nullable() });
export type RecordedMetric = z.infer<typeof RecordedMetric>;

export const CheckpointHead = z.union([
  z.object({
    format: z.literal(CHECKPOINT_FORMAT),
    step: z.number().int().min(0),
    /** Written before issue 12: the run's best-metric key and its mean since the previous checkpoint. Read, never used. */
    metric: RecordedMetric.optional(),
    meta: z.record(z.string(), z.unknown()),
    tensors: z.array(TensorEntry),
    blob: Blob,
  }),
  z.object({
    format: z.literal(1),
    step: z.number().int().min(0),
    meta: z.record(z.string(), z.unknown()),
    tensors: z.array(TensorEntry),
  }),
]);
export type CheckpointHead = z.infer<typeof CheckpointHead>;

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** What is wrong with a checkpoint, in words a person can act on; thrown by the readers below. */
export class DamagedCheckpoint extends Error {
  constructor(
    readonly dir: string,
    readonly problem: string,
  ) {
    super(`checkpoint ${dir} is damaged: ${problem}`);
    this.name = 'DamagedCheckpoint';
  }
}

/** Parses state.json text; the folder's step (its name) must match the recorded one. */
export function parseHead(dir: string, text: string, step?: number): CheckpointHead {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new DamagedCheckpoint(dir, `${STATE_FILE} is not valid JSON (${text.length} bytes; torn write?)`);
  }
  const parsed = CheckpointHead.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DamagedCheckpoint(dir, `${STATE_FILE} is not a checkpoint head (${issue ? `${issue.path.join('.') || 'root'}: ${issue.message}` : 'unknown shape'})`);
  }
  if (step !== undefined && parsed.data.step !== step) throw new DamagedCheckpoint(dir, `${STATE_FILE} records step ${parsed.data.step}, not ${step}`);
  return parsed.data;
}

/** Bytes tensors.bin must have: recorded in format 2, implied by the tensor index in format 1. */
export function expectedBytes(head: CheckpointHead): number {
  if (head.format === CHECKPOINT_FORMAT) return head.blob.bytes;
  return head.tensors.reduce((end, t) => Math.max(end, t.offset + t.length * 4), 0);
}

/** The blob's length, the index inside it, and (when given the bytes) its checksum. */
export function checkBlob(dir: string, head: CheckpointHead, size: number, bytes?: Uint8Array): void {
  const want = expectedBytes(head);
  if (size !== want) throw new DamagedCheckpoint(dir, `${TENSORS_FILE} has ${size} bytes, ${STATE_FILE} records ${want}${size < want ? ' (truncated)' : ''}`);
  const outside = head.tensors.find((t) => t.offset % 4 !== 0 || t.offset + t.length * 4 > size);
  if (outside) throw new DamagedCheckpoint(dir, `tensor ${outside.name} lies outside ${TENSORS_FILE} or is misaligned`);
  if (bytes && head.format === CHECKPOINT_FORMAT) {
    const found = sha256(bytes);
    if (found !== head.blob.sha256) {
      throw new DamagedCheckpoint(dir, `${TENSORS_FILE} checksum mismatch (sha256 recorded ${head.blob.sha256.slice(0, 12)}…, found ${found.slice(0, 12)}…)`);
    }
  }
}

function readHeadSync(dir: string, step?: number): CheckpointHead {
  let text: string;
  try {
    text = readFileSync(join(dir, STATE_FILE), 'utf8');
  } catch (e) {
    throw new DamagedCheckpoint(dir, `${STATE_FILE} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return parseHead(dir, text, step);
}

/**
 * Verifies a checkpoint folder. `structure`: state.json is whole and tensors.bin has its recorded
 * length (what a kill or a torn write breaks; cheap, used at start-up). `checksum`: also reads the
 * blob and compares its sha256 (what a flipped bit breaks). Throws DamagedCheckpoint.
 */
export function verifyCheckpointSync(dir: string, depth: 'structure' | 'checksum', step?: number): CheckpointHead {
  const head = readHeadSync(dir, step);
  const blobFile = join(dir, TENSORS_FILE);
  if (depth === 'checksum') {
    let bytes: Buffer;
    try {
      bytes = readFileSync(blobFile);
    } catch (e) {
      throw new DamagedCheckpoint(dir, `${TENSORS_FILE} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    checkBlob(dir, head, bytes.byteLength, bytes);
  } else {
    let size: number;
    try {
      size = statSync(blobFile).size;
    } catch (e) {
      throw new DamagedCheckpoint(dir, `${TENSORS_FILE} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    checkBlob(dir, head, size);
  }
  return head;
}

/** Steps of the checkpoint folders in `checkpointsDir` (named by their step), oldest first; whole or not. */
export function checkpointSteps(checkpointsDir: string): number[] {
  let names: string[];
  try {
    names = readdirSync(checkpointsDir);
  } catch {
    return [];
  }
  return names
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .sort((a, b) => a - b);
}

export const Best = z.object({ step: z.number().int().min(0), value: z.number() });
export type Best = z.infer<typeof Best>;

/**
 * best.json (before issue 12): the best checkpoint by a loss, and `keep`: checkpoints that might have
 * been better but whose loss was unknown. The keeper keeps all of them.
 */
const BestFile = Best.extend({ keep: z.array(z.number().int().min(0)).default([]) });

/** best.json: `best: null` when there is none yet, `ok: false` with the problem when it cannot be trusted. */
export function readBestSync(checkpointsDir: string): { ok: true; best: Best | null; keep: number[] } | { ok: false; problem: string } {
  let text: string;
  try {
    text = readFileSync(join(checkpointsDir, BEST_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, best: null, keep: [] };
    return { ok: false, problem: `${BEST_FILE} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: `${BEST_FILE} is not valid JSON (${text.length} bytes; torn write?)` };
  }
  const parsed = BestFile.safeParse(json);
  if (!parsed.success) return { ok: false, problem: `${BEST_FILE} does not hold a step and a value` };
  const { keep, ...best } = parsed.data;
  return { ok: true, best, keep };
}

