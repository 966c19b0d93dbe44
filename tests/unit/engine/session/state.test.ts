/** Determinism from the seed, exact resume from exportState (in process), tolerant import for forks, refusals before anything is overwritten. */
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import type { CheckpointState } from '../../../../src-main/engine/checkpoint-state';
import { TrainingSession } from '../../../../src-main/engine/training-session';
import { expectClose, mnistData, run, tinyConfig, trainableSnapshot } from './helpers';

beforeAll(async () => {
  await resolveBackend('wasm');
});

/** Every piece of state: BN statistics, spectral u, both optimizers, EMA, both averages, ADA, every random stream. */
const STATEFUL = {
  model: { gConditioning: 'cbn', dConditioning: 'projection', dNorm: 'spectral', minibatchStddev: true },
  stabilizers: {
    labelSmoothing: { mode: 'two-sided' },
    historicalAveraging: { gWeight: 0.1, dWeight: 0.1, averagedDForG: true },
    instanceNoise: { std: 0.2, annealSteps: 50 },
    ema: { enabled: true, halfLifeImages: 80 },
    featureMatching: { enabled: true },
  },
  loss: { r1Gamma: 0.5 },
  augment: { flip: 0.5, rotation: { p: 0.3 }, diffAugment: ['color', 'translation', 'cutout'], ada: { enabled: true, interval: 2, speedImages: 100 } },
  optimizerD: { type: 'rmsprop', momentum: 0.3, schedule: 'cosine' },
  optimizerG: { schedule: 'linear', gradClip: 5 },
};

/** A checkpoint goes through disk as JSON + raw arrays. */
function throughDisk(state: CheckpointState): CheckpointState {
  return { meta: JSON.parse(JSON.stringify(state.meta)) as Record<string, unknown>, tensors: state.tensors.map((t) => ({ ...t, data: t.data.slice() })) };
}

describe('determinism', () => {
  it('the same seed gives identical metrics and weights; another seed does not', async () => {
    const config = tinyConfig(STATEFUL);
    const [a, b] = [0, 1].map(() => new TrainingSession({ config, data: mnistData() }));
    const c = new TrainingSession({ config: tinyConfig({ ...STATEFUL, seed: 4 }), data: mnistData() });
    const ma = await run(a!, 5);
    expect(await run(b!, 5)).toEqual(ma);
    expect(trainableSnapshot(b!)).toEqual(trainableSnapshot(a!));
    expect((await a!.sampleGrid()).pixels).toEqual((await b!.sampleGrid()).pixels);
    expect(await run(c, 5)).not.toEqual(ma);
    [a!, b!, c].forEach((s) => s.dispose());
  });
});

describe('exportState / importState', () => {
  it('20 uninterrupted steps equal 10 + checkpoint + a fresh session + 10, with every stateful technique on', async () => {
    const config = tinyConfig(STATEFUL);
    const whole = new TrainingSession({ config, data: mnistData() });
    const expected = await run(whole, 20);
    const first = new TrainingSession({ config, data: mnistData() });
    expectClose((await run(first, 10)), expected.slice(0, 10), 0);
    const state = throughDisk(await first.exportState());
    first.dispose();
    const resumed = await TrainingSession.fromState({ config, data: mnistData() }, state);
    expect(resumed.stepCount).toBe(10);
    expectClose((await run(resumed, 10)), expected.slice(10), 1e-5);
    expect((await resumed.sampleGrid()).pixels).toEqual((await whole.sampleGrid()).pixels);
    [whole, resumed].forEach((s) => s.dispose());
  });

  it('a checkpoint taken before the first step resumes too, and import replaces a session that already trained', async () => {
    const config = tinyConfig(STATEFUL);
    const fresh = new TrainingSession({ config, data: mnistData() });
    const other = new TrainingSession({ config: tinyConfig({ ...STATEFUL, seed: 77 }), data: mnistData() });
    (await run(other, 3));
    await other.importState(throughDisk(await fresh.exportState()));
    expect(other.stepCount).toBe(0);
    expectClose((await run(other, 3)), (await run(fresh, 3)), 1e-5);
    [fresh, other].forEach((s) => s.dispose());
  });

  it('a fork that turns EMA, averaging and ADA on starts them from the loaded weights', async () => {
    const plain = new TrainingSession({ config: tinyConfig(), data: mnistData() });
    (await run(plain, 3));
    const state = throughDisk(await plain.exportState());
    const forkConfig = tinyConfig({
      stabilizers: { ema: { enabled: true, halfLifeImages: 8, rampup: 0 }, historicalAveraging: { gWeight: 1, dWeight: 1 } },
      augment: { diffAugment: ['translation'], ada: { enabled: true } },
    });
    const fork = await TrainingSession.fromState({ config: forkConfig, data: mnistData() }, state);
    expect(trainableSnapshot(fork)).toEqual(trainableSnapshot(plain));
    // The EMA copy equals the loaded G: the grid matches the parent's.
    expect((await fork.sampleGrid()).pixels).toEqual((await plain.sampleGrid()).pixels);
    const m = await fork.step();
    // The averages hold exactly the loaded weights: the first penalties are 0.
    expect(m['ha_d']).toBe(0);
    expect(m['ha_g']).toBe(0);
    expect(m['aug_p']).toBeGreaterThanOrEqual(0);
    expect(fork.stepCount).toBe(4);
    [plain, fork].forEach((s) => s.dispose());
  });

  it('a fork with another optimizer type starts that optimizer fresh and keeps the other', async () => {
    const parent = new TrainingSession({ config: tinyConfig(), data: mnistData() });
    (await run(parent, 2));
    const state = throughDisk(await parent.exportState());
    const fork = await TrainingSession.fromState({ config: tinyConfig({ optimizerD: { type: 'sgd', momentum: 0.9 } }), data: mnistData() }, state);
    const meta = (await fork.exportState()).meta as { optimizerD: { type: string; iterations: number }; optimizerG: { type: string; iterations: number } };
    expect(meta.optimizerD).toEqual({ type: 'sgd', iterations: 0 });
    expect(meta.optimizerG).toEqual({ type: 'adam', iterations: 2 });
    expect(Number.isFinite((await fork.step())['d_loss'])).toBe(true);
    [parent, fork].forEach((s) => s.dispose());
  });

  it('refuses networks of another shape, a damaged state or an old engine’s checkpoint, before overwriting anything', async () => {
    const narrow = new TrainingSession({ config: tinyConfig(), data: mnistData() });
    (await run(narrow, 1));
    const state = throughDisk(await narrow.exportState());
    const wide = new TrainingSession({ config: tinyConfig({ model: { gWidth: 8 } }), data: mnistData() });
    (await run(wide, 1));
    const before = trainableSnapshot(wide);
    const stateBefore = (await wide.exportState()).meta;
    await expect(wide.importState(state)).rejects.toThrow(/networks differ.*gWidth 4 → 8/);
    // Same signature in meta but a tensor of another shape: caught by the tensor check.
    const forged = { meta: { ...state.meta, networks: { ...(state.meta['networks'] as object), gWidth: 8 } }, tensors: state.tensors };
    await expect(wide.importState(forged)).rejects.toThrow(/networks differ.*shape/);
    const noRng = { meta: { ...state.meta, rng: { ...(state.meta['rng'] as object), noise: null } }, tensors: state.tensors };
    await expect(narrow.importState(noRng)).rejects.toThrow(/RNG state "noise"/);
    const badSlot = { meta: state.meta, tensors: state.tensors.map((t) => (t.name.startsWith('optimizerG/m/') ? { ...t, shape: [t.data.length, 1] } : t)) };
    await expect(narrow.importState(badSlot)).rejects.toThrow(/optimizer slot/);
    await expect(narrow.importState({ meta: { version: 1, step: 3 }, tensors: [] })).rejects.toThrow(/earlier engine/);
    expect(trainableSnapshot(wide)).toEqual(before);
    expect((await wide.exportState()).meta).toEqual(stateBefore);
    expect(narrow.stepCount).toBe(1);
    [narrow, wide].forEach((s) => s.dispose());
  });
});
