/** Packs models and Adam optimizers into plain typed arrays for a checkpoint, and restores them. */
import * as tf from '@tensorflow/tfjs';

export interface CheckpointTensor {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Float32Array | Int32Array;
}

/** Everything a TrainingSession needs to resume: `meta` is JSON-serializable, `tensors` are raw arrays. */
export interface CheckpointState {
  meta: Record<string, unknown>;
  tensors: CheckpointTensor[];
}

/** Copies a tensor's values now: on the cpu backend data() hands out the live backing array. */
export function snapshotTensor(name: string, t: tf.Tensor): CheckpointTensor {
  if (t.dtype === 'int32') return { name, shape: [...t.shape], dtype: 'int32', data: Int32Array.from(t.dataSync() as Int32Array) };
  if (t.dtype !== 'float32') throw new Error(`cannot checkpoint ${name}: dtype ${t.dtype}`);
  return { name, shape: [...t.shape], dtype: 'float32', data: Float32Array.from(t.dataSync() as Float32Array) };
}

export function toTensor(entry: CheckpointTensor): tf.Tensor {
  return tf.tensor(entry.data, entry.shape, entry.dtype);
}

/** Finds a tensor by name, checking its shape when one is expected. */
export function findTensor(state: CheckpointState, name: string, shape?: readonly number[]): CheckpointTensor {
  const entry = state.tensors.find((t) => t.name === name);
  if (entry === undefined) throw new Error(`checkpoint has no tensor ${name}`);
  if (shape !== undefined && (entry.shape.length !== shape.length || entry.shape.some((d, i) => d !== shape[i]))) {
    throw new Error(`checkpoint tensor ${name} has shape [${entry.shape.join(',')}], expected [${shape.join(',')}]`);
  }
  return entry;
}

/**
 * Layer weights are keyed by their original names ("g_up1/kernel"), which do not depend on how many
 * models this process has built before; BatchNorm's moving statistics are included.
 */
export function snapshotModel(prefix: string, model: tf.LayersModel): CheckpointTensor[] {
  return model.weights.map((w) => snapshotTensor(`${prefix}/${w.originalName}`, w.read()));
}

/** Throws if any weight of `model` is missing or misshapen, before anything is overwritten. */
export function assertModelInState(prefix: string, model: tf.LayersModel, state: CheckpointState): void {
  for (const w of model.weights) findTensor(state, `${prefix}/${w.originalName}`, w.shape as number[]);
}

export function restoreModel(prefix: string, model: tf.LayersModel, state: CheckpointState): void {
  const values = model.weights.map((w) => toTensor(findTensor(state, `${prefix}/${w.originalName}`, w.shape as number[])));
  try {
    model.weights.forEach((w, i) => w.write(values[i] as tf.Tensor));
  } finally {
    // write() shares the data and takes its own reference, so ours can go.
    tf.dispose(values);
  }
}

/** Adam's running β^t products; restoring them exactly (setWeights recomputes them with pow) keeps resume bit-exact. */
interface AdamInternals {
  accBeta1?: unknown;
  accBeta2?: unknown;
}

function accBetas(optimizer: tf.AdamOptimizer): [tf.Variable, tf.Variable] | null {
  const internals = optimizer as unknown as AdamInternals;
  const { accBeta1, accBeta2 } = internals;
  return accBeta1 instanceof tf.Variable && accBeta2 instanceof tf.Variable ? [accBeta1, accBeta2] : null;
}

/** Iteration count, first and second moments by position (Adam matches them to variables by order), β^t products. */
export async function snapshotAdam(prefix: string, optimizer: tf.AdamOptimizer): Promise<CheckpointTensor[]> {
  const weights = await optimizer.getWeights();
  const [iter, ...moments] = weights;
  if (iter === undefined) throw new Error('Adam reported no iteration count');
  const half = moments.length / 2;
  const out = [snapshotTensor(`${prefix}/iter`, iter.tensor)];
  // The iteration scalar is made fresh for us; the moments are the optimizer's live variables.
  iter.tensor.dispose();
  moments.forEach((m, i) => out.push(snapshotTensor(i < half ? `${prefix}/m/${i}` : `${prefix}/v/${i - half}`, m.tensor)));
  const betas = accBetas(optimizer);
  if (betas !== null) out.push(snapshotTensor(`${prefix}/accBeta1`, betas[0]), snapshotTensor(`${prefix}/accBeta2`, betas[1]));
  return out;
}

type NamedTensors = Parameters<tf.AdamOptimizer['setWeights']>[0];

/**
 * Restores into a fresh optimizer (setWeights replaces moments without freeing old ones).
 * `variableShapes` are the trained variables in gradient order; moments must match them.
 */
export async function restoreAdam(
  prefix: string,
  optimizer: tf.AdamOptimizer,
  state: CheckpointState,
  variableShapes: readonly (readonly number[])[],
): Promise<void> {
  const count = state.tensors.filter((t) => t.name.startsWith(`${prefix}/m/`)).length;
  // Before its first step Adam has no moments yet; otherwise one pair per variable.
  if (count !== 0 && count !== variableShapes.length) {
    throw new Error(`checkpoint has ${count} moments for ${prefix}, the model has ${variableShapes.length} variables`);
  }
  const named: NamedTensors = [{ name: 'iter', tensor: toTensor(findTensor(state, `${prefix}/iter`, [])) }];
  for (const kind of ['m', 'v']) {
    for (let i = 0; i < count; i++) {
      named.push({ name: `${prefix}/${kind}/${i}`, tensor: toTensor(findTensor(state, `${prefix}/${kind}/${i}`, variableShapes[i])) });
    }
  }
  try {
    await optimizer.setWeights(named);
    const betas = accBetas(optimizer);
    const saved1 = state.tensors.find((t) => t.name === `${prefix}/accBeta1`);
    const saved2 = state.tensors.find((t) => t.name === `${prefix}/accBeta2`);
    if (betas !== null && saved1 !== undefined && saved2 !== undefined) {
      tf.tidy(() => {
        betas[0].assign(toTensor(saved1));
        betas[1].assign(toTensor(saved2));
      });
    }
  } finally {
    tf.dispose(named.map((n) => n.tensor));
  }
}
