/** What the renderer says and offers of a translation task: its summary, its grids' column captions, the paired tasks and domain-B datasets a dataset allows, Try it's modes, and base64 of a file. */
import { describe, expect, it } from 'vitest';
import { TrainingConfig } from '../../../src-main/common/training-config';
import { createWorkbenchI18n } from '../../../src-renderer/i18n';
import {
  bytesToBase64,
  domainBChoices,
  isTranslation,
  pairedSourceProblem,
  REFERENCE_METRICS,
  scaleProblem,
  sourceValues,
  targetChoices,
  taskKindValues,
  taskSummary,
  tripletCaptions,
  tryModes,
} from '../../../src-renderer/lib/translation-task';
import { makeDataset } from './fake-transport';
import type { Dataset } from '../../../src-main/common/domain';

type T = (key: string, params?: Record<string, string | number>) => string;
const en = createWorkbenchI18n('en').global.t as T;
const zh = createWorkbenchI18n('zh-CN').global.t as T;
const config = (task: Record<string, unknown>) => TrainingConfig.parse({ task });
const paired = (task: Record<string, unknown> = {}) => config({ kind: 'paired', ...task }).task;

describe('tripletCaptions', () => {
  it('captions a paired grid input | output | target and an unpaired one image | translated | translated back, in both languages', () => {
    expect(tripletCaptions(config({ kind: 'paired' }), en)).toEqual(['input', 'output', 'target']);
    expect(tripletCaptions(config({ kind: 'unpaired', datasetB: 'ds_b' }), en)).toEqual(['image', 'translated', 'translated back']);
    expect(tripletCaptions(config({ kind: 'paired' }), zh)).toEqual(['输入', '输出', '目标']);
  });

  it('has none for a generate run or a run not loaded yet', () => {
    expect(tripletCaptions(config({}), en)).toBeNull();
    expect(tripletCaptions(undefined, en)).toBeNull();
    expect(isTranslation(config({}))).toBe(false);
    expect(isTranslation(config({ kind: 'paired' }))).toBe(true);
  });
});

describe('taskSummary', () => {
  it('names the paired task with its option, and an unpaired run’s domain B by name', () => {
    expect(taskSummary(paired({ source: 'superres', scale: 2 }), en)).toBe('Paired · super-resolution ×2');
    expect(taskSummary(paired({ source: 'superres', scale: 4 }), en)).toBe('Paired · super-resolution ×4');
    expect(taskSummary(paired({ source: 'inpaint', mask: 'strokes' }), en)).toBe('Paired · inpainting (free-form strokes)');
    expect(taskSummary(paired({ source: 'colorize' }), en)).toBe('Paired · colorization');
    const unpaired = config({ kind: 'unpaired', datasetB: 'ds_b' }).task;
    expect(taskSummary(unpaired, en, 'paintings')).toBe('Unpaired · domain B: paintings');
    expect(taskSummary(unpaired, en)).toBe('Unpaired · domain B: ds_b');
    expect(taskSummary(paired({ source: 'superres', scale: 2 }), zh)).toBe('成对 · 超分辨率 ×2');
  });
});

describe('what a dataset allows', () => {
  const grey = makeDataset({ id: 'ds_grey', name: 'digits', size: 28, channels: 1 });
  const rgb = makeDataset({ id: 'ds_rgb', name: 'faces', size: 28, channels: 3 });

  it('rules out colorization of greyscale images, with the reason', () => {
    expect(pairedSourceProblem('colorize', grey, en)).toBe('Colorization needs colour images: “digits” is greyscale.');
    expect(pairedSourceProblem('colorize', rgb, en)).toBeNull();
    expect(pairedSourceProblem('superres', grey, en)).toBeNull();
    expect(pairedSourceProblem('inpaint', grey, en)).toBeNull();
  });

  it('rules out a super-resolution scale that does not divide the side or leaves fewer than 4 pixels', () => {
    expect(scaleProblem(2, grey, en)).toBeNull();
    expect(scaleProblem(4, grey, en)).toBeNull();
    expect(scaleProblem(4, makeDataset({ name: 'tiny', size: 12 }), en)).toBe('×4 needs a side divisible by 4 with at least 4 pixels left; “tiny” is 12×12.');
    expect(scaleProblem(4, makeDataset({ size: 30 }), en)).not.toBeNull();
  });

  it('offers as domain B the other datasets of the same size and channels first, the others disabled naming both sizes', () => {
    const grey2 = makeDataset({ id: 'ds_grey2', name: 'letters', size: 28, channels: 1 });
    const big = makeDataset({ id: 'ds_big', name: 'big', size: 32, channels: 1 });
    const choices = domainBChoices(grey, [rgb, grey, big, grey2], en);
    expect(choices.map((c) => [c.dataset.id, c.problem])).toEqual([
      ['ds_grey2', null],
      ['ds_rgb', 'domain A is 28×28 Grayscale, this one 28×28 RGB'],
      ['ds_big', 'domain A is 28×28 Grayscale, this one 32×32 Grayscale'],
    ]);
    expect(domainBChoices(null, [grey], en)).toEqual([]);
  });
});

describe('taskKindValues', () => {
  const a = makeDataset({ id: 'ds_a', size: 28, channels: 1 });
  const fits = makeDataset({ id: 'ds_b', size: 28, channels: 1 });
  const other = makeDataset({ id: 'ds_c', size: 28, channels: 3 });
  const choices = domainBChoices(a, [a, other, fits], en);
  const task = config({}).task;

  it('turns evaluation off for a translation (the config refuses it otherwise)', () => {
    expect(taskKindValues('paired', task, choices)).toEqual({ 'task.kind': 'paired', 'evaluation.everyCheckpoints': 0, 'task.datasetB': null });
    expect(taskKindValues('generate', task, choices)).toEqual({ 'task.kind': 'generate' });
  });

  it('picks the first fitting domain B for an unpaired run, keeping one already chosen that fits', () => {
    expect(taskKindValues('unpaired', task, choices)['task.datasetB']).toBe('ds_b');
    expect(taskKindValues('unpaired', { ...task, datasetB: 'ds_c' }, choices)['task.datasetB']).toBe('ds_b');
    expect(taskKindValues('unpaired', task, [])['task.datasetB']).toBeNull();
  });

  it('leaves a config the schema accepts once the task is chosen', () => {
    const base = TrainingConfig.parse({ evaluation: { everyCheckpoints: 2 } });
    const values = taskKindValues('paired', base.task, choices);
    const next = { ...base, task: { ...base.task, kind: values['task.kind'], datasetB: values['task.datasetB'] }, evaluation: { ...base.evaluation, everyCheckpoints: values['evaluation.everyCheckpoints'] } };
    expect(TrainingConfig.safeParse(next).success).toBe(true);
    expect(TrainingConfig.safeParse({ ...next, evaluation: base.evaluation }).success).toBe(false);
  });
});

describe('tryModes', () => {
  it('refuses tiles for inpainting, with the reason, and allows them otherwise', () => {
    expect(tryModes(paired({ source: 'inpaint' }), en)).toEqual([
      { mode: 'resize', problem: null },
      { mode: 'tile', problem: expect.stringContaining('Inpainting fills holes drawn at the training size') },
    ]);
    expect(tryModes(paired({ source: 'superres' }), en).every((m) => m.problem === null)).toBe(true);
  });
});

describe('REFERENCE_METRICS and bytesToBase64', () => {
  it('dashes exactly the baselines of the Translation chart', () => {
    expect([...REFERENCE_METRICS].sort()).toEqual(['baseline_masked_l1', 'baseline_psnr']);
  });

  it('encodes bytes as Node does, also past one chunk', () => {
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 31) % 256);
    expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect(bytesToBase64(new Uint8Array())).toBe('');
  });
});

describe('stored pairs in the dialog', () => {
  const a = { id: 'ds_a', name: 'edges', size: 28, channels: 1, count: 40 } as Dataset;
  const sameCount = { id: 'ds_b', name: 'photos', size: 28, channels: 1, count: 40 } as Dataset;
  const otherCount = { id: 'ds_c', name: 'more', size: 28, channels: 1, count: 41 } as Dataset;
  it('offers as targets only datasets of one image per input, naming both counts otherwise, and picks the first that fits', () => {
    const targets = targetChoices(a, domainBChoices(a, [a, otherCount, sameCount], en), en);
    expect(targets.map((c) => [c.dataset.id, c.problem])).toEqual([
      ['ds_b', null],
      ['ds_c', '40 inputs, 41 targets'],
    ]);
    const task = TrainingConfig.parse({}).task;
    expect(sourceValues('pairs', task, targets)).toEqual({ 'task.source': 'pairs', 'task.datasetB': 'ds_b' });
    expect(sourceValues('inpaint', { ...task, source: 'pairs', datasetB: 'ds_b' }, targets)).toEqual({ 'task.source': 'inpaint', 'task.datasetB': null });
    expect(taskSummary({ ...task, kind: 'paired', source: 'pairs', datasetB: 'ds_b' }, en, 'photos')).toBe('Paired · stored pairs → photos');
  });

  it('puts the B half imported with the inputs first, so stored pairs pick it', () => {
    const paired = { ...a, pair: { datasetId: 'ds_p', role: 'A' } } as Dataset;
    const partner = { id: 'ds_p', name: 'edges · B', size: 28, channels: 1, count: 40 } as Dataset;
    const targets = targetChoices(paired, domainBChoices(paired, [paired, sameCount, otherCount, partner], en), en);
    expect(targets.map((c) => c.dataset.id)).toEqual(['ds_p', 'ds_b', 'ds_c']);
    expect(sourceValues('pairs', TrainingConfig.parse({}).task, targets)['task.datasetB']).toBe('ds_p');
  });
});
