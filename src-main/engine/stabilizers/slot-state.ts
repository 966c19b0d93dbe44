/** Shared plumbing for per-variable slots (running averages, EMA, optimizer moments): snapshot, restore, temporary swap. */
import * as tf from '@tensorflow/tfjs';

/** One slot as a checkpoint holds it; structurally a CheckpointTensor, so it can go straight into one. */
export interface FloatTensorState {
  name: string;
  shape: number[];
  dtype: 'float32';
  data: Float32Array;
}

/** What import reads: any checkpoint tensor list (entries of other owners and dtypes are simply not looked at). */
export interface StoredTensor {
  name: string;
  shape: readonly number[];
  dtype: string;
  data: Float32Array | Int32Array;
}

/** A slot's name in a checkpoint: the variable's key, behind `prefix/` when a prefix is given. */
export function slotKey(prefix: string | undefined, name: string): string {
  return prefix === undefined || prefix === '' ? name : `${prefix}/${name}`;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Copies now: on the cpu backend data() hands out the live backing array. Async: webgpu reads back only that way. */
export async function snapshotFloat(name: string, t: tf.Tensor): Promise<FloatTensorState> {
  if (t.dtype !== 'float32') throw new Error(`cannot snapshot ${name}: dtype ${t.dtype}, expected float32`);
  return { name, shape: [...t.shape], dtype: 'float32', data: Float32Array.from((await t.data()) as Float32Array) };
}

/** The entry called `name`, checked for dtype and (when given) shape, before anything is overwritten. */
export function readFloat(tensors: readonly StoredTensor[], name: string, shape?: readonly number[]): StoredTensor {
  const entry = tensors.find((t) => t.name === name);
  if (entry === undefined) throw new Error(`state has no tensor ${name}`);
  if (entry.dtype !== 'float32') throw new Error(`state tensor ${name} has dtype ${entry.dtype}, expected float32`);
  if (shape !== undefined && !sameShape(entry.shape, shape)) {
    throw new Error(`state tensor ${name} has shape [${entry.shape.join(',')}], expected [${shape.join(',')}]`);
  }
  const size = entry.shape.reduce((a, b) => a * b, 1);
  if (entry.data.length !== size) throw new Error(`state tensor ${name} holds ${entry.data.length} values for shape [${entry.shape.join(',')}]`);
  return entry;
}

/**
 * A non-trainable variable holding `init`'s value. Non-trainable so that variableGrads without an
 * explicit list, and any optimizer walking trainable variables, never treat the slot as a parameter.
 */
export function slotVariable(init: tf.Tensor): tf.Variable {
  return tf.variable(init, false);
}

/** A slot restored from a stored entry. */
export function slotFromStored(entry: StoredTensor): tf.Variable {
  return tf.tidy(() => slotVariable(tf.tensor(Float32Array.from(entry.data), [...entry.shape], 'float32')));
}

export function assertFloatVariables(vars: ReadonlyMap<string, tf.Variable>, owner: string): void {
  for (const [name, v] of vars) {
    if (v.dtype !== 'float32') throw new Error(`${owner}: variable ${name} has dtype ${v.dtype}, expected float32`);
  }
}

function isThenable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Runs `fn` with `replacement` values assigned into `vars` (those named in it) and restores the
 * originals afterwards, also when `fn` throws. Ops recorded on a gradient tape inside `fn` saved
 * their inputs when they ran, so a backward pass after the restore still sees the swapped values.
 * `fn` must be synchronous: a promise would settle after the originals are back.
 */
export function withSwapped<T>(vars: ReadonlyMap<string, tf.Variable>, replacement: ReadonlyMap<string, tf.Tensor>, fn: () => T): T {
  const originals = new Map<tf.Variable, tf.Tensor>();
  try {
    for (const [name, v] of vars) {
      const value = replacement.get(name);
      if (value === undefined) continue;
      // clone shares the data buffer (tensors are immutable), so keeping the original costs no copy.
      originals.set(v, tf.clone(v));
      v.assign(value);
    }
    const result = fn();
    if (isThenable(result)) throw new Error('the swapped-in weights need a synchronous function; they are restored before a promise settles');
    return result;
  } finally {
    for (const [v, original] of originals) v.assign(original);
    tf.dispose([...originals.values()]);
  }
}
