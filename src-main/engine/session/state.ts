/** A session's whole state as a CheckpointState, and its tolerant, all-checks-first restore (resume, NaN rewind, forks). */
import * as tf from '@tensorflow/tfjs';
import { AdaController } from '../augment/ada';
import { computeSignature } from '../backends/compute-signature';
import { snapshotTensor, type CheckpointState, type CheckpointTensor } from '../checkpoint-state';
import type { NetParams } from '../nets';
import { NetOptimizer } from '../optim/net-optimizer';
import type { WeightEma } from '../stabilizers/ema';
import { ParameterAverage } from '../stabilizers/parameter-average';
import { sameShape } from '../stabilizers/slot-state';
import { newEma, type SessionParts } from './parts';
import { parseStreamSnapshots, restoreStreams, snapshotStreams } from './streams';

/** 1 was the tf.layers DCGAN engine; its variable names do not exist in these nets. */
export const STATE_VERSION = 2;
const NETS = { generator: 'g', discriminator: 'd' } as const;

/** The config keys that decide the networks' variables and shapes (as a fork's sameNetworks compares). */
function netSignature(p: SessionParts): Record<string, unknown> {
  const m = p.config.model;
  return {
    arch: m.arch,
    depth: m.depth,
    gWidth: m.gWidth,
    dWidth: m.dWidth,
    gNorm: m.gNorm,
    gProjectionNorm: m.gProjectionNorm,
    dNorm: m.dNorm,
    gConditioning: m.gConditioning,
    dConditioning: m.dConditioning,
    minibatchStddev: m.minibatchStddev,
    // Optional keys: a checkpoint from before them carries none, which reads as off.
    ...(m.equalizedLr ? { equalizedLr: true } : {}),
    ...(m.pixelNorm ? { pixelNorm: true } : {}),
    ...(p.shape.progressiveFrom != null ? { progressiveFrom: p.shape.progressiveFrom } : {}),
    minibatchDiscrimination: m.minibatchDiscrimination.enabled ? { kernels: m.minibatchDiscrimination.kernels, kernelDim: m.minibatchDiscrimination.kernelDim } : null,
    size: p.data.size,
    channels: p.data.channels,
    latentSize: p.config.latentSize,
    numClasses: p.numClasses,
  };
}

function netVariables(net: NetParams): [string, tf.Variable][] {
  return [...net.trainable, ...net.state];
}

export async function exportSessionState(p: SessionParts, step: number): Promise<CheckpointState> {
  const tensors: CheckpointTensor[] = [];
  for (const [prefix, key] of Object.entries(NETS)) {
    for (const [name, v] of netVariables(p[key])) tensors.push(await snapshotTensor(`${prefix}/${name}`, v));
  }
  const optG = await p.optG.exportState('optimizerG');
  const optD = await p.optD.exportState('optimizerD');
  const ema = (await p.ema?.exportState('ema')) ?? null;
  const averageG = (await p.averageG?.exportState('averageG')) ?? null;
  const averageD = (await p.averageD?.exportState('averageD')) ?? null;
  for (const part of [optG, optD, ema, averageG, averageD]) if (part !== null) tensors.push(...part.tensors);
  const meta = {
    version: STATE_VERSION,
    step,
    seed: p.config.seed,
    networks: netSignature(p),
    optimizerG: optG.meta,
    optimizerD: optD.meta,
    ema: ema?.meta ?? null,
    averageG: averageG?.meta ?? null,
    averageD: averageD?.meta ?? null,
    ada: p.config.augment.ada.enabled ? p.ada.exportState() : null,
    rng: snapshotStreams(p.rng),
    // For people reading a checkpoint: the stage is a function of the step and the config.
    stage: p.g.stage,
    // Resume is bit-exact only on the same backend and thread count (see computeChange).
    compute: computeSignature(),
  };
  return { meta, tensors };
}

/** Every net variable present with its shape, and no variable this run's nets lack: else the networks differ. */
function checkNetworks(p: SessionParts, state: CheckpointState): Map<tf.Variable, CheckpointTensor> {
  const stored = state.meta['networks'] as Record<string, unknown> | undefined;
  const mine = netSignature(p);
  const differs = Object.keys(mine).filter((k) => JSON.stringify(stored?.[k]) !== JSON.stringify(mine[k]));
  if (differs.length > 0) {
    const what = differs.map((k) => `${k} ${JSON.stringify(stored?.[k])} → ${JSON.stringify(mine[k])}`).join(', ');
    throw new Error(`the checkpoint's networks differ from this run's (${what}); its weights cannot be loaded`);
  }
  const byName = new Map(state.tensors.map((t) => [t.name, t]));
  const plan = new Map<tf.Variable, CheckpointTensor>();
  for (const [prefix, key] of Object.entries(NETS)) {
    const names = new Set<string>();
    for (const [name, v] of netVariables(p[key])) {
      names.add(`${prefix}/${name}`);
      const entry = byName.get(`${prefix}/${name}`);
      if (entry === undefined) throw new Error(`the checkpoint's networks differ from this run's: it has no ${prefix} variable ${name}`);
      if (!sameShape(entry.shape, v.shape) || entry.dtype !== v.dtype || entry.data.length !== v.size) {
        throw new Error(`the checkpoint's networks differ from this run's: ${prefix} ${name} has shape [${entry.shape.join(',')}], this run [${v.shape.join(',')}]`);
      }
      plan.set(v, entry);
    }
    const extra = state.tensors.find((t) => t.name.startsWith(`${prefix}/`) && !names.has(t.name));
    if (extra !== undefined) throw new Error(`the checkpoint's networks differ from this run's: it has ${extra.name}, which this run's ${prefix} lacks`);
  }
  return plan;
}

/** Optimizer slots must belong to this net's variables with their shapes (NetOptimizer would only find out at the next update). */
function checkSlots(net: NetParams, prefix: string, state: CheckpointState): void {
  for (const t of state.tensors) {
    if (!t.name.startsWith(`${prefix}/`)) continue;
    const name = t.name.slice(prefix.length + 1).replace(/^[^/]+\//, '');
    const v = net.trainable.get(name);
    if (v === undefined || !sameShape(v.shape, t.shape)) throw new Error(`checkpoint optimizer slot ${t.name} matches no variable of this run`);
  }
}

interface Prepared {
  optG: NetOptimizer;
  optD: NetOptimizer;
  ema: WeightEma | null;
  averageG: ParameterAverage | null;
  averageD: ParameterAverage | null;
  ada: AdaController;
  /** Parts the checkpoint lacks (a fork turned them on): started from the loaded weights. */
  fresh: { ema: boolean; averageG: boolean; averageD: boolean };
}

/** A checkpoint's optimizer of another type (a fork changed it) is dropped: this one starts fresh. */
function optimizerFrom(p: SessionParts, which: 'G' | 'D', state: CheckpointState): NetOptimizer {
  const cfg = which === 'G' ? p.config.optimizerG : p.config.optimizerD;
  const prefix = `optimizer${which}`;
  const opt = new NetOptimizer(cfg, p.config.steps);
  const meta = state.meta[prefix] as { type?: unknown } | null | undefined;
  if (meta?.type !== cfg.type) return opt;
  try {
    checkSlots(which === 'G' ? p.g : p.d, prefix, state);
    opt.importState(prefix, { meta, tensors: state.tensors });
    return opt;
  } catch (error) {
    opt.dispose();
    throw error;
  }
}

function averageFrom(p: SessionParts, on: boolean, net: NetParams, prefix: 'averageG' | 'averageD', state: CheckpointState): [ParameterAverage | null, boolean] {
  if (!on) return [null, false];
  const average = new ParameterAverage(net.trainable);
  const meta = state.meta[prefix];
  if (meta === null || meta === undefined) return [average, true];
  try {
    average.importState({ meta, tensors: state.tensors }, prefix);
  } catch (error) {
    average.dispose();
    throw error;
  }
  return [average, false];
}

function prepare(p: SessionParts, state: CheckpointState): Prepared {
  const made: { dispose(): void }[] = [];
  try {
    const optG = optimizerFrom(p, 'G', state);
    made.push(optG);
    const optD = optimizerFrom(p, 'D', state);
    made.push(optD);
    let ema: WeightEma | null = null;
    const emaMeta = state.meta['ema'];
    if (p.t.ema) {
      ema = newEma(p);
      made.push(ema);
      if (emaMeta !== null && emaMeta !== undefined) ema.importState({ meta: emaMeta, tensors: state.tensors }, 'ema');
    }
    const [averageG, freshG] = averageFrom(p, p.t.haG, p.g, 'averageG', state);
    if (averageG !== null) made.push(averageG);
    const [averageD, freshD] = averageFrom(p, p.t.averageD, p.d, 'averageD', state);
    if (averageD !== null) made.push(averageD);
    const ada = new AdaController(p.config.augment.ada, p.config.batchSize);
    const adaState = state.meta['ada'];
    if (adaState !== null && adaState !== undefined) ada.importState(adaState);
    const fresh = { ema: ema !== null && (emaMeta === null || emaMeta === undefined), averageG: freshG, averageD: freshD };
    return { optG, optD, ema, averageG, averageD, ada, fresh };
  } catch (error) {
    for (const m of made) m.dispose();
    throw error;
  }
}

/**
 * Replaces the whole state, or nothing: every check (version, networks, shapes, RNG states,
 * optimizer slots, EMA, averages, ADA) runs before the first variable is written. Returns the step.
 */
export function importSessionState(p: SessionParts, state: CheckpointState): number {
  const { meta } = state;
  if (meta['version'] !== STATE_VERSION) {
    throw new Error(`checkpoint format ${String(meta['version'])} was written by an earlier engine and cannot be loaded by this one (format ${STATE_VERSION}); start a new run`);
  }
  const step = meta['step'];
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) throw new Error('checkpoint step is missing');
  const streams = parseStreamSnapshots(meta['rng']);
  const weights = checkNetworks(p, state);
  const next = prepare(p, state);

  tf.tidy(() => {
    for (const [v, entry] of weights) v.assign(tf.tensor(entry.data, entry.shape, entry.dtype));
  });
  for (const old of [p.optG, p.optD, p.ema, p.averageG, p.averageD]) old?.dispose();
  p.optG = next.optG;
  p.optD = next.optD;
  p.ema = next.ema;
  p.averageG = next.averageG;
  p.averageD = next.averageD;
  p.ada = next.ada;
  // A fork that turned a stabilizer on: it starts from the weights just loaded.
  if (next.fresh.ema) next.ema?.update(step);
  if (next.fresh.averageG) next.averageG?.update();
  if (next.fresh.averageD) next.averageD?.update();
  restoreStreams(p.rng, streams);
  return step;
}
