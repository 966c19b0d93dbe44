/** What the Grow dialog offers: which runs can grow, the larger sides with the datasets that fit them, and whether one more block fits. */
import { describe, expect, it } from 'vitest';
import { defaultTrainingConfig, TrainingConfig } from '../../../src-main/common/training-config';
import { canGrow, deeperChoice, sizeChoices } from '../../../src-renderer/lib/grow-options';
import { makeDataset, makeRun } from './fake-transport';

describe('canGrow', () => {
  const done = makeRun({ status: 'completed', lastCheckpointStep: 30 });

  it('lets a DCGAN run that stopped training with a checkpoint grow, whichever way it stopped', () => {
    for (const status of ['completed', 'paused', 'stopped', 'interrupted', 'failed'] as const) expect(canGrow({ ...done, status }), status).toBe(true);
  });

  it('refuses a run still queued or training, one without a checkpoint, a ResNet run and a translation run', () => {
    expect(canGrow({ ...done, status: 'running' })).toBe(false);
    expect(canGrow({ ...done, status: 'queued' })).toBe(false);
    expect(canGrow({ ...done, lastCheckpointStep: null })).toBe(false);
    expect(canGrow({ ...done, config: TrainingConfig.parse({ model: { arch: 'resnet' } }) })).toBe(false);
    // A translator is a U-Net and a PatchGAN: nothing of it is a DCGAN block.
    expect(canGrow({ ...done, config: TrainingConfig.parse({ task: { kind: 'paired' } }) })).toBe(false);
  });
});

describe('sizeChoices', () => {
  const at14 = makeDataset({ id: 'ds_14', size: 14, channels: 1 });

  it('offers twice and four times the side, each with the datasets of exactly that side and the same channels', () => {
    const at28 = makeDataset({ id: 'ds_28', size: 28, channels: 1 });
    const rgb28 = makeDataset({ id: 'ds_28rgb', size: 28, channels: 3 });
    const at32 = makeDataset({ id: 'ds_32', size: 32, channels: 1 });
    const choices = sizeChoices(at14, [at14, at28, rgb28, at32]);
    expect(choices.map((c) => [c.factor, c.size, c.datasets.map((d) => d.id)])).toEqual([
      [2, 28, ['ds_28']],
      [4, 56, []],
    ]);
  });
});

describe('deeperChoice', () => {
  it('allows one more block while size / 2^(blocks + 1) stays a whole side of at least 3', () => {
    const shallow = makeRun({ config: { ...defaultTrainingConfig(), model: { ...defaultTrainingConfig().model, depth: 2 } } });
    expect(deeperChoice(shallow, 32)).toEqual({ blocks: 2, allowed: true, why: null });
    expect(deeperChoice(shallow, 28)).toEqual({ blocks: 2, allowed: false, why: 'room' });
  });

  it('leaves a progressive run to grow by size', () => {
    const config = defaultTrainingConfig();
    const growing = makeRun({ config: { ...config, model: { ...config.model, depth: 2 }, progressive: { ...config.progressive, enabled: true, startSize: 16 } } });
    expect(deeperChoice(growing, 32)).toEqual({ blocks: 2, allowed: false, why: 'progressive' });
  });

  it('has no room when the depth is picked from the size (the most blocks already)', () => {
    expect(deeperChoice(makeRun(), 32)).toEqual({ blocks: 3, allowed: false, why: 'room' });
    expect(deeperChoice(makeRun(), 14)).toEqual({ blocks: 1, allowed: false, why: 'room' });
  });
});
