/** The domain shapes at the API boundary: ids, image sizes, run labels and render specs that requests must meet, and answers that pass the router's check unchanged. */
import { describe, expect, it } from 'vitest';
import {
  ACTIVE_STATUSES,
  BackendReport,
  Channels,
  Checkpoint,
  Dataset,
  GenerateSpec,
  Generated,
  Id,
  ImageSize,
  MetricPoint,
  RejectedFile,
  Run,
  RunEvent,
  RunLabels,
  RunSeries,
  RunStatus,
  RunSummary,
  Sample,
  Tag,
} from '../../../src-main/common/domain';
import { accepts, refusal } from '../../fixtures/schema-refusal';
import { reason } from '../../../src-main/common/run-reasons';
import { defaultTrainingConfig } from '../../../src-main/common/training-config';
import en from '../../../src-renderer/i18n/en';
import zhCN from '../../../src-renderer/i18n/zh-CN';

const dataset: Dataset = {
  id: 'ds-0001',
  name: 'mnist',
  sourcePath: '/data/mnist',
  size: 28,
  channels: 1,
  count: 60_000,
  classes: ['0', '1'],
  rejectedCount: 3,
  createdAt: '2024-05-01T10:00:00.000Z',
  previewPath: 'datasets/ds-0001/preview.png',
  heldOut: 0,
  synthetic: null,
  classifier: null,
  pair: null,
};

const run: Run = {
  id: 'run-0001',
  name: 'first',
  datasetId: 'ds-0001',
  status: 'paused',
  config: defaultTrainingConfig(),
  step: 1200,
  backend: 'wasm',
  reason: reason('NON_FINITE', 'd_loss became NaN', { metric: 'd_loss', step: 1201, value: 'NaN', resumeStep: 1000 }),
  createdAt: '2024-05-01T10:00:00.000Z',
  startedAt: '2024-05-01T10:00:01.000Z',
  endedAt: null,
  lastCheckpointStep: 1000,
  parentRunId: 'run-0000',
  parentStep: 500,
  preset: 'dcgan',
  tags: ['baseline'],
  notes: 'lr 2e-4',
};

describe('Id', () => {
  it('accepts 4 to 40 letters, digits, _ or -', () => {
    for (const id of ['abcd', 'A1_-', 'x'.repeat(40), 'run_2024-05-01']) expect(accepts(Id, id), id).toBe(true);
  });

  it('refuses shorter, longer, or any other character anywhere, saying it must be a workbench id', () => {
    expect(refusal(Id, 'abc')).toEqual(['(root): must be a workbench id']);
    expect(refusal(Id, 'x'.repeat(41))).toEqual(['(root): must be a workbench id']);
    // Ids name folders: a separator or a dot before or after valid characters must not slip through.
    for (const id of ['../abcd', 'abcd/..', 'ab cd', 'abcd.', '.abcd', '!!!!']) expect(refusal(Id, id), id).toEqual(['(root): must be a workbench id']);
  });
});

describe('Dataset', () => {
  it('passes a stored dataset through unchanged', () => {
    expect(Dataset.parse(dataset)).toEqual(dataset);
    expect(RejectedFile.parse({ file: 'cats/a.gif', reason: 'empty file' })).toEqual({ file: 'cats/a.gif', reason: 'empty file' });
  });

  it('has images of 8 to 256 pixels, grayscale or RGB', () => {
    expect([7, 8, 256, 257, 31.5].map((size) => accepts(ImageSize, size))).toEqual([false, true, true, false, false]);
    expect([1, 2, 3].map((channels) => accepts(Channels, channels))).toEqual([true, false, true]);
    expect(accepts(Dataset, { ...dataset, channels: 3, size: 256 })).toBe(true);
  });

  it('counts images and rejects from zero up', () => {
    expect(accepts(Dataset, { ...dataset, count: 0, rejectedCount: 0 })).toBe(true);
    expect(refusal(Dataset, { ...dataset, count: -1 })?.[0]).toMatch(/^count: /);
    expect(refusal(Dataset, { ...dataset, rejectedCount: -1 })?.[0]).toMatch(/^rejectedCount: /);
  });
});

describe('run statuses', () => {
  it('are the seven the UI labels in both languages', () => {
    expect(Object.keys(en.status).sort()).toEqual([...RunStatus.options].sort());
    expect(Object.keys(zhCN.status).sort()).toEqual([...RunStatus.options].sort());
    for (const status of RunStatus.options) expect(accepts(Run, { ...run, status }), status).toBe(true);
    expect(refusal(Run, { ...run, status: 'done' })?.[0]).toMatch(/^status: /);
  });

  it('are active while queued, running or paused; every other status has ended', () => {
    expect([...ACTIVE_STATUSES].sort()).toEqual(['paused', 'queued', 'running']);
    expect(RunStatus.options.filter((s) => !ACTIVE_STATUSES.includes(s)).sort()).toEqual(['completed', 'failed', 'interrupted', 'stopped']);
  });
});

describe('Run', () => {
  it('passes a stored run through unchanged, its reason included', () => {
    expect(Run.parse(run)).toEqual(run);
    const fresh = { ...run, status: 'queued', step: 0, reason: null, startedAt: null, parentRunId: null, parentStep: null, preset: null, lastCheckpointStep: null, backend: null };
    expect(Run.parse(fresh)).toEqual(fresh);
  });

  it('refuses a negative step', () => {
    expect(refusal(Run, { ...run, step: -1 })?.[0]).toMatch(/^step: /);
  });
});

describe('RunLabels', () => {
  it('trims a tag and refuses an empty one or one over 40 characters', () => {
    expect(Tag.parse('  cats ')).toBe('cats');
    expect(Tag.parse(`  ${'t'.repeat(40)}  `)).toBe('t'.repeat(40));
    expect(refusal(Tag, '   ')).toEqual(['(root): a tag cannot be empty']);
    expect(refusal(Tag, 't'.repeat(41))).toEqual(['(root): a tag has at most 40 characters']);
  });

  it('keeps the labels given, trimmed, and refuses a blank or over-long name', () => {
    expect(RunLabels.parse({ name: ' second try ', notes: 'n', tags: [' a ', 'b'] })).toEqual({ name: 'second try', notes: 'n', tags: ['a', 'b'] });
    expect(RunLabels.parse({})).toEqual({});
    expect(accepts(RunLabels, { name: 'n'.repeat(120) })).toBe(true);
    expect(refusal(RunLabels, { name: 'n'.repeat(121) })?.[0]).toMatch(/^name: /);
    expect(refusal(RunLabels, { name: '  ' })?.[0]).toMatch(/^name: /);
  });

  it('takes notes up to 20,000 characters and up to 32 tags', () => {
    expect(accepts(RunLabels, { notes: 'x'.repeat(20_000) })).toBe(true);
    expect(accepts(RunLabels, { notes: '' })).toBe(true);
    expect(refusal(RunLabels, { notes: 'x'.repeat(20_001) })?.[0]).toMatch(/^notes: /);
    const tags = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);
    expect(accepts(RunLabels, { tags: tags(32) })).toBe(true);
    expect(accepts(RunLabels, { tags: [] })).toBe(true);
    expect(refusal(RunLabels, { tags: tags(33) })?.[0]).toMatch(/^tags: /);
    expect(refusal(RunLabels, { tags: ['ok', ' '] })).toEqual(['tags.1: a tag cannot be empty']);
  });
});

describe('answers about a run', () => {
  it('pass metrics, series, checkpoints, events and samples through unchanged', () => {
    const values = [
      [MetricPoint, { step: 0, time: 0.5, values: {} }],
      [MetricPoint, { step: 100, time: 12.5, values: { d_loss: 1.3, g_loss: 0.7 } }],
      [RunSeries, { runId: 'run-0001', series: [{ key: 'd_loss', points: [{ step: 10, min: 0.5, max: 1.5, mean: 1, time: 3.2 }, { step: 20, min: 1, max: 1, mean: 1 }] }] }],
      [Checkpoint, { runId: 'run-0001', step: 0, path: 'runs/run-0001/checkpoints/0', createdAt: 'now', kid: null, best: false, bestBy: 'kid' }],
      [Checkpoint, { runId: 'run-0001', step: 1000, path: 'runs/run-0001/checkpoints/1000', createdAt: 'now', kid: 0.0021, best: true, bestBy: 'kid' }],
      [Checkpoint, { runId: 'run-0001', step: 1500, path: 'runs/run-0001/checkpoints/1500', createdAt: 'now', kid: null, best: true, bestBy: 'newest' }],
      [RunEvent, { id: 7, runId: 'run-0001', kind: 'paused', message: 'paused', reason: reason('DISK_FULL', 'disk full'), createdAt: 'now' }],
      [RunEvent, { id: 8, runId: null, kind: 'info', message: 'started', reason: null, createdAt: 'now' }],
      [Sample, { runId: 'run-0001', step: 0, path: 'runs/run-0001/samples/0.png', rawPath: null }],
      [Sample, { runId: 'run-0001', step: 500, path: 'runs/run-0001/samples/500.png', rawPath: 'runs/run-0001/samples/500-raw.png' }],
    ] as const;
    for (const [schema, value] of values) expect(schema.parse(value)).toEqual(value);
  });

  it('refuse a negative step in a metrics point, a checkpoint or a sample', () => {
    expect(refusal(MetricPoint, { step: -1, time: 0, values: {} })?.[0]).toMatch(/^step: /);
    expect(refusal(Checkpoint, { runId: 'run-0001', step: -1, path: 'p', createdAt: 'now', kid: null, best: false, bestBy: 'newest' })?.[0]).toMatch(/^step: /);
    expect(refusal(Sample, { runId: 'run-0001', step: -1, path: 'p', rawPath: null })?.[0]).toMatch(/^step: /);
  });

  it('summarise a run by its last values and its best checkpoint: by KID, or the newest without a quality metric, never a loss', () => {
    const summary = { runId: 'run-0001', last: { d_loss: 0.9, gp: null }, lastTime: 12.5, best: { step: 1000, by: 'kid', kid: 0.0021 } };
    expect(RunSummary.parse(summary)).toEqual(summary);
    const newest = { ...summary, best: { step: 2000, by: 'newest', kid: null } };
    expect(RunSummary.parse(newest)).toEqual(newest);
    expect(RunSummary.parse({ ...summary, lastTime: null, best: null })).toEqual({ ...summary, lastTime: null, best: null });
    expect(refusal(RunSummary, { ...summary, best: { ...summary.best, by: 'g_loss' } })?.[0]).toMatch(/^best\.by: /);
  });
});

describe('BackendReport', () => {
  const adapter = {
    vendor: 'nvidia',
    architecture: 'ampere',
    device: 'RTX 3060',
    description: 'NVIDIA GeForce RTX 3060',
    software: false,
    f16: true,
    powerPreference: 'high-performance',
    limits: { maxStorageBufferBindingSize: 2 ** 31 },
  };

  it('passes a report with or without an adapter through unchanged', () => {
    const onGpu = { name: 'webgpu', reasons: { wasm: 'a GPU was found' }, adapter };
    expect(BackendReport.parse(onGpu)).toEqual(onGpu);
    const onWasm = { name: 'wasm', reasons: {}, threads: 4, adapter: null };
    expect(BackendReport.parse(onWasm)).toEqual(onWasm);
  });

  it('names the power preference Dawn offered the adapter for: high-performance or low-power', () => {
    expect(accepts(BackendReport, { name: 'webgpu', reasons: {}, adapter: { ...adapter, powerPreference: 'low-power' } })).toBe(true);
    expect(refusal(BackendReport, { name: 'webgpu', reasons: {}, adapter: { ...adapter, powerPreference: 'default' } })?.[0]).toMatch(/^adapter\.powerPreference: /);
  });
});

describe('Generated', () => {
  const generated = { runId: 'run-0001', step: 0, path: 'runs/run-0001/generated/a.png', rows: 1, cols: 8, cellSize: 28, rowLabels: ['walk'], truncation: null };

  it('passes a rendered grid through unchanged, from step 0 and at least one cell', () => {
    expect(Generated.parse(generated)).toEqual(generated);
    expect(Generated.parse({ ...generated, step: 3000, rows: 10, cols: 16, cellSize: 64 })).toEqual({ ...generated, step: 3000, rows: 10, cols: 16, cellSize: 64 });
  });

  it('refuses a negative step and an empty grid', () => {
    expect(refusal(Generated, { ...generated, step: -1 })?.[0]).toMatch(/^step: /);
    for (const field of ['rows', 'cols', 'cellSize'] as const) expect(refusal(Generated, { ...generated, [field]: 0 })?.[0], field).toMatch(new RegExp(`^${field}: `));
  });

  it('says which ψ-truncation the images were drawn with, null for none', () => {
    expect(Generated.parse({ ...generated, truncation: { psi: 0.7, mode: 'lerp' } }).truncation).toEqual({ psi: 0.7, mode: 'lerp' });
    expect(refusal(Generated, { ...generated, truncation: undefined })?.[0]).toMatch(/^truncation: /);
  });
});

describe('GenerateSpec', () => {
  it('fills a latent walk with 8 frames along the great circle', () => {
    expect(GenerateSpec.parse({ kind: 'interpolate', from: 0, to: 255 })).toEqual({ kind: 'interpolate', from: 0, to: 255, frames: 8, mode: 'slerp' });
    expect(GenerateSpec.parse({ kind: 'interpolate', from: 3, to: 4, frames: 2, mode: 'lerp' })).toEqual({ kind: 'interpolate', from: 3, to: 4, frames: 2, mode: 'lerp' });
    expect(GenerateSpec.parse({ kind: 'interpolate', from: 3, to: 4, frames: 16 })).toMatchObject({ frames: 16 });
  });

  it('walks between cells 0 to 255 of the sample grid in 2 to 16 frames', () => {
    const walk = (fields: object) => refusal(GenerateSpec, { kind: 'interpolate', from: 0, to: 1, ...fields })?.[0];
    expect(walk({ from: -1 })).toMatch(/^from: /);
    expect(walk({ from: 256 })).toMatch(/^from: /);
    expect(walk({ to: -1 })).toMatch(/^to: /);
    expect(walk({ to: 256 })).toMatch(/^to: /);
    expect(walk({ frames: 1 })).toMatch(/^frames: /);
    expect(walk({ frames: 17 })).toMatch(/^frames: /);
    expect(walk({ mode: 'cubic' })).toMatch(/^mode: /);
    expect(walk({ perClass: 4 })).toMatch(/perClass/);
  });

  it('renders 1 to 16 images per class row, 8 by default', () => {
    expect(GenerateSpec.parse({ kind: 'classes' })).toEqual({ kind: 'classes', perClass: 8 });
    expect(GenerateSpec.parse({ kind: 'classes', perClass: 1 })).toEqual({ kind: 'classes', perClass: 1 });
    expect(GenerateSpec.parse({ kind: 'classes', perClass: 16 })).toEqual({ kind: 'classes', perClass: 16 });
    expect(refusal(GenerateSpec, { kind: 'classes', perClass: 0 })?.[0]).toMatch(/^perClass: /);
    expect(refusal(GenerateSpec, { kind: 'classes', perClass: 17 })?.[0]).toMatch(/^perClass: /);
    expect(refusal(GenerateSpec, { kind: 'classes', frames: 8 })?.[0]).toMatch(/frames/);
  });

  it('refuses a kind it does not know, at kind', () => {
    expect(refusal(GenerateSpec, { kind: 'grid' })?.[0]).toMatch(/^kind: /);
  });
});
