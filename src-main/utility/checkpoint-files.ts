/** Checkpoints on disk: written atomically (temp folder, fsync, rename) and found again after a crash. */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { CheckpointState } from '../engine/training-session';

interface TensorIndexEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  offset: number;
  length: number;
}

function writeDurably(file: string, data: string | Uint8Array) {
  const fd = openSync(file, 'w');
  try {
    if (typeof data === 'string') writeSync(fd, data);
    else writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncDir(dir: string) {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes `<checkpointsDir>/<step>/` so that it either exists complete or not at all. */
export async function writeCheckpoint(checkpointsDir: string, step: number, state: CheckpointState): Promise<string> {
  await mkdir(checkpointsDir, { recursive: true });
  const finalDir = join(checkpointsDir, String(step));
  const tmpDir = join(checkpointsDir, `.tmp-${step}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmpDir);
  const index: TensorIndexEntry[] = [];
  let offset = 0;
  const parts = state.tensors.map((t) => {
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    index.push({ name: t.name, shape: t.shape, dtype: t.dtype, offset, length: t.data.length });
    offset += bytes.byteLength;
    return bytes;
  });
  const blob = new Uint8Array(offset);
  let at = 0;
  for (const p of parts) {
    blob.set(p, at);
    at += p.byteLength;
  }
  writeDurably(join(tmpDir, 'tensors.bin'), blob);
  writeDurably(join(tmpDir, 'state.json'), JSON.stringify({ format: 1, step, meta: state.meta, tensors: index }));
  fsyncDir(tmpDir);
  await rm(finalDir, { recursive: true, force: true });
  await rename(tmpDir, finalDir);
  fsyncDir(checkpointsDir);
  return finalDir;
}

/** Steps of the complete checkpoints in a folder, oldest first. */
export async function listCheckpointSteps(checkpointsDir: string): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir(checkpointsDir);
  } catch {
    return [];
  }
  const steps: number[] = [];
  for (const n of names.filter((n) => /^\d+$/.test(n))) {
    try {
      await stat(join(checkpointsDir, n, 'state.json'));
      steps.push(Number(n));
    } catch {
      /* incomplete */
    }
  }
  return steps.sort((a, b) => a - b);
}

/** The newest complete checkpoint, if any; leftovers of an interrupted write are removed. */
export async function latestCheckpoint(checkpointsDir: string): Promise<{ step: number; dir: string } | null> {
  const names = await readdir(checkpointsDir).catch(() => [] as string[]);
  for (const n of names.filter((n) => n.startsWith('.tmp-'))) await rm(join(checkpointsDir, n), { recursive: true, force: true });
  const step = (await listCheckpointSteps(checkpointsDir)).at(-1);
  return step === undefined ? null : { step, dir: join(checkpointsDir, String(step)) };
}

export async function readCheckpoint(dir: string): Promise<CheckpointState> {
  const head = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as { meta: Record<string, unknown>; tensors: TensorIndexEntry[] };
  const bin = await readFile(join(dir, 'tensors.bin'));
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
