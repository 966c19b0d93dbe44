/** A translation session's whole state as a CheckpointState (nets, optimizers, EMAs, image pools, every stream), and its all-checks-first restore. */
import * as tf from '@tensorflow/tfjs';
import { isRngSnapshot, type RngSnapshot } from '../../common/rng';
import { computeSignature } from '../backends/compute-signature';
import { snapshotTensor, type CheckpointState, type CheckpointTensor } from '../checkpoint-state';
import type { NetParams } from '../nets';
import { NetOptimizer } from '../optim/net-optimizer';
import type { WeightEma } from '../stabilizers/ema';
import type { ImagePool } from '../stabilizers/image-pool';
import { sameShape } from '../stabilizers/slot-state';
import { STATE_VERSION } from '../session/state';
import { newTranslatorEma, type TranslationParts } from './translation-parts';

/** The nets by the prefix their variables are stored under. */
function nets(p: TranslationParts): [string, NetParams][] {
  const out: [string, NetParams][] = [
    ['generator', p.gAB],
    ['discriminator', p.dB],
  ];
  if (p.gBA !== null) out.push(['generatorBA', p.gBA]);
  if (p.dA !== null) out.push(['discriminatorA', p.dA]);
  return out;
}

/** The config keys that decide the nets' variables and shapes. */
function netSignature(p: TranslationParts): Record<string, unknown> {
  const m = p.config.model;
  const task = p.config.task;
  return {
    task: task.kind,
    degradation: p.degradation,
    depth: m.depth,
    gWidth: m.gWidth,
    dWidth: m.dWidth,
    gNorm: m.gNorm,
    dNorm: m.dNorm,
    size: p.data.a.size,
    channels: p.data.a.channels,
  };
}

function variablesOf(net: NetParams): [string, tf.Variable][] {
  return [...net.trainable, ...net.state];
}

const STREAMS = (p: TranslationParts): string[] => Object.keys(p.rng);

async function poolTensor(name: string, pool: ImagePool | null): Promise<CheckpointTensor[]> {
  if (pool === null) return [];
  const { images } = pool.exportState();
  return [{ name, shape: [images.length], dtype: 'float32', data: Float32Array.from(images) }];
}

export async function exportTranslationState(p: TranslationParts, step: number): Promise<CheckpointState> {
  const tensors: CheckpointTensor[] = [];
  for (const [prefix, net] of nets(p)) for (const [name, v] of variablesOf(net)) tensors.push(await snapshotTensor(`${prefix}/${name}`, v));
  const optG = await p.optG.exportState('optimizerG');
  const optD = await p.optD.exportState('optimizerD');
  const emaAB = (await p.emaAB?.exportState('ema')) ?? null;
  const emaBA = (await p.emaBA?.exportState('emaBA')) ?? null;
  for (const part of [optG, optD, emaAB, emaBA]) if (part !== null) tensors.push(...part.tensors);
  tensors.push(...(await poolTensor('poolA', p.poolA)), ...(await poolTensor('poolB', p.poolB)));
  const rng = Object.fromEntries(Object.entries(p.rng).map(([name, r]) => [name, r.getState()]));
  const meta = {
    version: STATE_VERSION,
    kind: 'translation',
    step,
    seed: p.config.seed,
    networks: netSignature(p),
    optimizerG: optG.meta,
    optimizerD: optD.meta,
    ema: emaAB?.meta ?? null,
    emaBA: emaBA?.meta ?? null,
    pools: { a: p.poolA?.size ?? null, b: p.poolB?.size ?? null },
    rng,
    compute: computeSignature(),
  };
  return { meta, tensors };
}

function checkNetworks(p: TranslationParts, state: CheckpointState): Map<tf.Variable, CheckpointTensor> {
  if (state.meta['kind'] !== 'translation') throw new Error("the checkpoint is a generate run's; a translation run cannot load it");
  const stored = state.meta['networks'] as Record<string, unknown> | undefined;
  const mine = netSignature(p);
  const differs = Object.keys(mine).filter((k) => JSON.stringify(stored?.[k]) !== JSON.stringify(mine[k]));
  if (differs.length > 0) {
    const what = differs.map((k) => `${k} ${JSON.stringify(stored?.[k])} → ${JSON.stringify(mine[k])}`).join(', ');
    throw new Error(`the checkpoint's networks differ from this run's (${what}); its weights cannot be loaded`);
  }
  const byName = new Map(state.tensors.map((t) => [t.name, t]));
  const plan = new Map<tf.Variable, CheckpointTensor>();
  for (const [prefix, net] of nets(p)) {
    for (const [name, v] of variablesOf(net)) {
      const entry = byName.get(`${prefix}/${name}`);
      if (entry === undefined) throw new Error(`the checkpoint's networks differ from this run's: it has no ${prefix} variable ${name}`);
      if (!sameShape(entry.shape, v.shape) || entry.data.length !== v.size) {
        throw new Error(`the checkpoint's networks differ from this run's: ${prefix} ${name} has shape [${entry.shape.join(',')}], this run [${v.shape.join(',')}]`);
      }
      plan.set(v, entry);
    }
  }
  return plan;
}

/** A checkpoint's optimizer of another type (a fork changed it) is dropped: this one starts fresh. */
function optimizerFrom(p: TranslationParts, which: 'G' | 'D', state: CheckpointState): NetOptimizer {
  const cfg = which === 'G' ? p.config.optimizerG : p.config.optimizerD;
  const prefix = `optimizer${which}`;
  const opt = new NetOptimizer(cfg, p.config.steps);
  const meta = state.meta[prefix] as { type?: unknown } | null | undefined;
  if (meta?.type !== cfg.type) return opt;
  try {
    opt.importState(prefix, { meta, tensors: state.tensors });
    return opt;
  } catch (error) {
    opt.dispose();
    throw error;
  }
}

function emaFrom(p: TranslationParts, g: NetParams | null, key: 'ema' | 'emaBA', state: CheckpointState): { ema: WeightEma | null; fresh: boolean } {
  if (!p.t.ema || g === null) return { ema: null, fresh: false };
  const ema = newTranslatorEma(p.config, g as Parameters<typeof newTranslatorEma>[1]);
  const meta = state.meta[key];
  if (meta === null || meta === undefined) return { ema, fresh: true };
  try {
    ema.importState({ meta, tensors: state.tensors }, key);
  } catch (error) {
    ema.dispose();
    throw error;
  }
  return { ema, fresh: false };
}

function poolImages(state: CheckpointState, name: string): Float32Array | null {
  const entry = state.tensors.find((t) => t.name === name);
  return entry === undefined ? null : Float32Array.from(entry.data);
}

/** Replaces the whole state, or nothing: every check runs before the first variable is written. Returns the step. */
export function importTranslationState(p: TranslationParts, state: CheckpointState): number {
  const { meta } = state;
  if (meta['version'] !== STATE_VERSION) throw new Error(`checkpoint format ${String(meta['version'])} cannot be loaded by this engine (format ${STATE_VERSION})`);
  const step = meta['step'];
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) throw new Error('checkpoint step is missing');
  const rng = meta['rng'] as Record<string, unknown> | undefined;
  const streams = new Map<string, RngSnapshot>();
  for (const name of STREAMS(p)) {
    const snapshot = rng?.[name];
    if (!isRngSnapshot(snapshot)) throw new Error(`checkpoint RNG state "${name}" is missing or malformed`);
    streams.set(name, snapshot);
  }
  const weights = checkNetworks(p, state);
  const made: { dispose(): void }[] = [];
  let optG: NetOptimizer, optD: NetOptimizer, ab: { ema: WeightEma | null; fresh: boolean }, ba: { ema: WeightEma | null; fresh: boolean };
  try {
    optG = optimizerFrom(p, 'G', state);
    made.push(optG);
    optD = optimizerFrom(p, 'D', state);
    made.push(optD);
    ab = emaFrom(p, p.gAB, 'ema', state);
    if (ab.ema !== null) made.push(ab.ema);
    ba = emaFrom(p, p.gBA, 'emaBA', state);
    if (ba.ema !== null) made.push(ba.ema);
    const pools = meta['pools'] as { a?: unknown; b?: unknown } | undefined;
    for (const [pool, name, count] of [
      [p.poolA, 'poolA', pools?.a],
      [p.poolB, 'poolB', pools?.b],
    ] as const) {
      if (pool === null) continue;
      const images = poolImages(state, name);
      // A fork that turned the pool on starts it empty.
      if (images !== null && typeof count === 'number') pool.importState({ count, images });
    }
  } catch (error) {
    for (const m of made) m.dispose();
    throw error;
  }
  tf.tidy(() => {
    for (const [v, entry] of weights) v.assign(tf.tensor(entry.data, entry.shape, entry.dtype));
  });
  for (const old of [p.optG, p.optD, p.emaAB, p.emaBA]) old?.dispose();
  p.optG = optG;
  p.optD = optD;
  p.emaAB = ab.ema;
  p.emaBA = ba.ema;
  if (ab.fresh) ab.ema?.update(step);
  if (ba.fresh) ba.ema?.update(step);
  for (const [name, r] of Object.entries(p.rng)) {
    const snapshot = streams.get(name);
    if (snapshot !== undefined) r.setState(snapshot);
  }
  return step;
}
