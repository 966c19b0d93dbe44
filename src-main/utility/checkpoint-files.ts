/** Checkpoints on disk: written atomically (temp folder, every byte, fsync, rename) and read back only when they verify. */
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CHECKPOINT_FORMAT,
  DamagedCheckpoint,
  STATE_FILE,
  TENSORS_FILE,
  checkBlob,
  parseHead,
  sha256,
  type CheckpointHead,
  type TensorEntry,
} from '../core/checkpoints/checkpoint-format';
import { fsyncDir, tempSibling, writeNewFileSync } from '../core/durable-files';
import type { CheckpointState } from '../engine/training-session';

/** Writes `<checkpointsDir>/<step>/` so that it either exists complete or not at all, with the blob's length and sha256 recorded in state.json. */
export function writeCheckpoint(checkpointsDir: string, step: number, state: CheckpointState): string {
  mkdirSync(checkpointsDir, { recursive: true });
  const finalDir = join(checkpointsDir, String(step));
  const tmpDir = tempSibling(finalDir);
  mkdirSync(tmpDir);
  try {
    const index: TensorEntry[] = [];
    let offset = 0;
    for (const t of state.tensors) {
      index.push({ name: t.name, shape: t.shape, dtype: t.dtype, offset, length: t.data.length });
      offset += t.data.byteLength;
    }
    const blob = new Uint8Array(offset);
    for (const [i, t] of state.tensors.entries()) blob.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), index[i]!.offset);
    const head: CheckpointHead = { format: CHECKPOINT_FORMAT, step, meta: state.meta, tensors: index, blob: { bytes: blob.byteLength, sha256: sha256(blob) } };
    writeNewFileSync(join(tmpDir, TENSORS_FILE), blob);
    writeNewFileSync(join(tmpDir, STATE_FILE), JSON.stringify(head));
    fsyncDir(tmpDir);
    // A folder at this step is one that failed verification (resume skipped it): the new one replaces it.
    rmSync(finalDir, { recursive: true, force: true });
    renameSync(tmpDir, finalDir);
  } catch (error) {
    rmSync(tmpDir, { recursive: true, force: true });
    throw error;
  }
  fsyncDir(checkpointsDir);
  return finalDir;
}

/** Loads a checkpoint after checking its head, the blob's length and its checksum; throws DamagedCheckpoint otherwise. */
export async function readCheckpoint(dir: string): Promise<CheckpointState> {
  const missing = (file: string) => (e: unknown) => {
    throw new DamagedCheckpoint(dir, `${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  };
  const head = parseHead(dir, await readFile(join(dir, STATE_FILE), 'utf8').catch(missing(STATE_FILE)));
  const bin = await readFile(join(dir, TENSORS_FILE)).catch(missing(TENSORS_FILE));
  checkBlob(dir, head, bin.byteLength, bin);
  const buffer = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
  return {
    meta: head.meta,
    tensors: head.tensors.map((t) => ({
      name: t.name,
      shape: t.shape,
      dtype: t.dtype,
      data: t.dtype === 'int32' ? new Int32Array(buffer, t.offset, t.length) : new Float32Array(buffer, t.offset, t.length),
    })),
  };
}
