/** importState refuses each kind of damaged or foreign checkpoint, naming what is wrong, and leaves the session as it was. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import type { CheckpointState, CheckpointTensor } from '../../../../src-main/engine/checkpoint-state';
import { TrainingSession } from '../../../../src-main/engine/training-session';
import { mnistData, run, tinyConfig, trainableSnapshot } from './helpers';

let session: TrainingSession;
let state: CheckpointState;

beforeAll(async () => {
  await resolveBackend('wasm');
  session = new TrainingSession({ config: tinyConfig({ stabilizers: { ema: { enabled: true }, historicalAveraging: { dWeight: 0.1 } } }), data: mnistData() });
  await run(session, 2);
  state = await session.exportState();
});
afterAll(() => {
  session.dispose();
});

const withMeta = (patch: Record<string, unknown>): CheckpointState => ({ meta: { ...state.meta, ...patch }, tensors: state.tensors });
const withTensors = (map: (t: CheckpointTensor) => CheckpointTensor | null): CheckpointState => ({
  meta: state.meta,
  tensors: state.tensors.flatMap((t) => map(t) ?? []),
});
const named = (name: string, change: (t: CheckpointTensor) => CheckpointTensor | null) => (t: CheckpointTensor) => (t.name === name ? change(t) : t);

describe('importState refuses', () => {
  it.each([
    ['a missing step', () => withMeta({ step: undefined }), 'checkpoint step is missing'],
    ['a negative step', () => withMeta({ step: -1 }), 'checkpoint step is missing'],
    ['a fractional step', () => withMeta({ step: 2.5 }), 'checkpoint step is missing'],
    ['a step as text', () => withMeta({ step: '2' }), 'checkpoint step is missing'],
    ['no RNG states', () => withMeta({ rng: null }), 'checkpoint has no RNG states'],
    ['a missing variable', () => withTensors(named('discriminator/output/kernel', () => null)), "the checkpoint's networks differ from this run's: it has no discriminator variable output/kernel"],
    ['a variable of too few values', () => withTensors(named('generator/toImage/kernel', (t) => ({ ...t, data: t.data.subarray(1) }))), 'generator toImage/kernel has shape'],
    ['a variable of another dtype', () => withTensors(named('generator/toImage/kernel', (t) => ({ ...t, dtype: 'int32' }))), 'generator toImage/kernel has shape'],
    ['a damaged EMA', () => withMeta({ ema: { initialized: 'yes' } }), 'EMA state has no valid initialized flag'],
    ['no network signature', () => withMeta({ networks: undefined }), "the checkpoint's networks differ from this run's (arch undefined → "],
    ['an old format', () => withMeta({ version: 1 }), 'checkpoint format 1 was written by an earlier engine'],
    // The same number of values in another shape: the last two axes swapped.
    ['a variable of swapped axes', () => withTensors(named('generator/toImage/kernel', (t) => ({ ...t, shape: [...t.shape.slice(0, -2), t.shape.at(-1)!, t.shape.at(-2)!] }))), 'generator toImage/kernel has shape'],
  ] as [string, () => CheckpointState, string][])('%s', async (_what, bad, message) => {
    const before = trainableSnapshot(session);
    await expect(session.importState(bad())).rejects.toThrow(message);
    expect(trainableSnapshot(session)).toEqual(before);
    expect(session.stepCount).toBe(2);
  });

  it('a variable this run lacks, in either net', async () => {
    for (const prefix of ['generator', 'discriminator']) {
      const extra = { ...state.tensors.find((t) => t.name.startsWith(`${prefix}/`))!, name: `${prefix}/extra/kernel` };
      await expect(session.importState({ meta: state.meta, tensors: [...state.tensors, extra] })).rejects.toThrow(
        `the checkpoint's networks differ from this run's: it has ${prefix}/extra/kernel, which this run's ${prefix} lacks`,
      );
    }
  });

  it('an optimizer slot that belongs to no variable of this run', async () => {
    for (const which of ['G', 'D']) {
      const slot = state.tensors.find((t) => t.name.startsWith(`optimizer${which}/`))!;
      const renamed = { ...slot, name: slot.name.replace(/[^/]+$/, 'nothing') };
      await expect(session.importState({ meta: state.meta, tensors: [...state.tensors, renamed] })).rejects.toThrow(`checkpoint optimizer slot ${renamed.name} matches no variable of this run`);
    }
  });

  it('(the kernel whose axes are swapped has two unequal last axes, after equal ones that still match)', () => {
    const shape = state.tensors.find((t) => t.name === 'generator/toImage/kernel')!.shape;
    expect(shape.at(-1)).not.toBe(shape.at(-2));
    expect(shape.length).toBeGreaterThan(2);
  });

  it('and still loads the intact checkpoint afterwards', async () => {
    await session.importState(state);
    expect(session.stepCount).toBe(2);
    expect(await session.exportState()).toEqual(state);
  });
});

describe('importState tolerates', () => {
  it('a checkpoint without an optimizer state (that optimizer starts fresh), and keeps no averages a run does not use', async () => {
    const plain = new TrainingSession({ config: tinyConfig(), data: mnistData() });
    await run(plain, 2);
    const stored = await plain.exportState();
    await plain.importState({ meta: { ...stored.meta, optimizerG: null }, tensors: stored.tensors.filter((t) => !t.name.startsWith('optimizerG/')) });
    const meta = (await plain.exportState()).meta as Record<string, unknown>;
    expect(meta['optimizerG']).toEqual({ type: 'adam', iterations: 0 });
    expect(meta['optimizerD']).toEqual({ type: 'adam', iterations: 2 });
    expect([meta['ema'], meta['averageG'], meta['averageD'], meta['ada']]).toEqual([null, null, null, null]);
    plain.dispose();
  });
});
