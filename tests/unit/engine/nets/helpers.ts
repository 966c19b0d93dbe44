/** Shared fixtures for the functional-net tests: configs, shapes, seeded tensors, backend switching. */
import { expect } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { defaultTrainingConfig } from '../../../../src-main/common/training-config';
import type { NetParams, NetShape } from '../../../../src-main/engine/nets';
import { Rng } from '../../../../src-main/common/rng';

export type Model = ReturnType<typeof defaultTrainingConfig>['model'];

/** Tiny widths keep every configuration fast; `patch` picks the technique under test. */
export function tinyModel(patch: Partial<Model> = {}): Model {
  return { ...defaultTrainingConfig().model, gWidth: 8, dWidth: 8, ...patch };
}

export function tinyShape(patch: Partial<NetShape> = {}): NetShape {
  return { size: 16, channels: 3, numClasses: 0, latentSize: 8, seed: 7, ...patch };
}

export function normals(shape: number[], seed: number, std = 1): tf.Tensor {
  const values = new Rng(seed).normals(tf.util.sizeFromShape(shape));
  return tf.tensor(values.map((v) => v * std), shape);
}

export function labelsFor(n: number, numClasses: number): tf.Tensor1D {
  return tf.tensor1d(Array.from({ length: n }, (_, i) => i % numClasses), 'int32');
}

/** Runs `fn` on a backend and returns plain copies of its outputs. */
export async function on(backend: 'wasm' | 'cpu', fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const outs = tf.tidy(fn);
  const values = outs.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(outs);
  return values;
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return max;
}

export function maxAbs(a: Float32Array): number {
  return a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}

/** Every output finite, and wasm within `tolerance` of cpu relative to the largest magnitude. */
export async function expectSameOnBothBackends(fn: () => tf.Tensor[], tolerance = 1e-4): Promise<void> {
  const wasm = await on('wasm', fn);
  const cpu = await on('cpu', fn);
  await tf.setBackend('wasm');
  expect(wasm.length).toBe(cpu.length);
  wasm.forEach((w, i) => {
    const c = cpu[i] as Float32Array;
    expect(w.every(Number.isFinite)).toBe(true);
    expect(maxAbsDiff(w, c)).toBeLessThanOrEqual(tolerance * Math.max(1, maxAbs(c)));
  });
}

/** tf.dispose for lists that may hold nulls (absent labels or heads). */
export function disposeAll(tensors: (tf.Tensor | null)[]): void {
  tf.dispose(tensors.filter((t): t is tf.Tensor => t !== null));
}

/** FNV-1a over the UTF-16 code units, written out independently of params.ts. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

/** What a variable named `name` in `scope` must start from: its own Rng stream, scaled in plain JS. */
export function expectedNormals(seed: number, scope: string, name: string, count: number, std: number, mean = 0): number[] {
  return Array.from(new Rng(seed, fnv1a(`${scope}/${name}`)).normals(count), (v) => Math.fround(mean + std * v));
}

/** The values of a net's trainable variables and of its state (batch-norm statistics, spectral-norm u), counted from the real tfjs variables; disposes the net. */
export function counted(net: NetParams): { trainable: number; state: number } {
  const sum = (vars: ReadonlyMap<string, tf.Variable>) => [...vars.values()].reduce((acc, v) => acc + v.size, 0);
  const out = { trainable: sum(net.trainable), state: sum(net.state) };
  net.dispose();
  return out;
}
