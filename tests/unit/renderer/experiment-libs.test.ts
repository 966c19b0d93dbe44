/** The small pure pieces of the experiment pages: metric grouping, the runs table, pace, grid cells, NaN reports. */
import { describe, expect, it } from 'vitest';
import { groupMetricKeys, groupOf } from '../../../src-renderer/lib/metric-groups';
import { METRIC_KEYS, METRICS } from '../../../src-main/common/metric-keys';
import { EMPTY_FILTER, filterRows, sortRows, toRow, type RunRow } from '../../../src-renderer/lib/run-table';
import { paceOf } from '../../../src-renderer/lib/eta';
import { cellAt, cellRect, gridSide } from '../../../src-renderer/lib/grid-geometry';
import { curvesOf, nonFiniteIn } from '../../../src-renderer/lib/diagnose-run';
import { reason } from '../../../src-main/common/run-reasons';
import { makeRun } from './fake-transport';

describe('metric groups', () => {
  it('sorts today’s keys and the coming ones into charts by name', () => {
    const keys = ['d_loss', 'g_loss', 'd_real', 'd_fake', 'g_grad_norm', 'd_grad_norm', 'images_per_sec', 'd_loss_adv', 'gp', 'r1', 'g_loss_adv', 'fm', 'ha', 'lr_g', 'lr_d', 'aug_p', 'ada_rt', 'instance_noise', 'd_acgan', 'ha_d', 'fid', 'brand_new'];
    expect(groupMetricKeys(keys)).toEqual([
      { id: 'losses', keys: ['d_loss', 'g_loss'] },
      { id: 'terms', keys: ['d_acgan', 'd_loss_adv', 'fm', 'g_loss_adv', 'gp', 'ha', 'ha_d', 'r1'] },
      { id: 'outputs', keys: ['d_fake', 'd_real'] },
      { id: 'gradients', keys: ['d_grad_norm', 'g_grad_norm'] },
      { id: 'rates', keys: ['lr_d', 'lr_g'] },
      { id: 'augment', keys: ['ada_rt', 'aug_p', 'instance_noise'] },
      { id: 'quality', keys: ['fid'] },
      { id: 'throughput', keys: ['images_per_sec'] },
      { id: 'other', keys: ['brand_new'] },
    ]);
    expect(groupOf('sample_diversity')).toBe('quality');
  });

  it('charts every catalogued key where the catalogue says, and an unknown key by its name', () => {
    for (const key of METRIC_KEYS) expect(groupOf(key), key).toBe(METRICS[key].group);
    // Keys of runs recorded by other engine versions still find a chart.
    expect(['fid_50k', 'kid', 'recall', 'ha', 'cr_penalty', 'lr_ema', 'aug_strength', 'steps_per_sec', 'mystery'].map(groupOf)).toEqual([
      'quality',
      'quality',
      'quality',
      'terms',
      'terms',
      'rates',
      'augment',
      'throughput',
      'other',
    ]);
  });
});

describe('runs table', () => {
  const rows: RunRow[] = [
    toRow(makeRun({ id: 'run_a', name: 'beta', preset: 'dcgan', tags: ['mnist'], step: 10 }), 'digits', { runId: 'run_a', last: { g_loss: 2 }, lastTime: 1, best: null }),
    toRow(makeRun({ id: 'run_b', name: 'alpha', preset: 'lsgan', status: 'completed', step: 30 }), 'faces', { runId: 'run_b', last: { g_loss: 1 }, lastTime: 1, best: { step: 20, by: 'kid', kid: 0.5 } }),
    toRow(makeRun({ id: 'run_c', name: 'gamma', step: 20 }), 'digits', undefined),
  ];
  const ids = (r: RunRow[]) => r.map((x) => x.id);

  it('sorts by any column both ways, rows without a value last', () => {
    expect(ids(sortRows(rows, { key: 'name', dir: 'asc' }))).toEqual(['run_b', 'run_a', 'run_c']);
    expect(ids(sortRows(rows, { key: 'step', dir: 'desc' }))).toEqual(['run_b', 'run_c', 'run_a']);
    expect(ids(sortRows(rows, { key: 'last:g_loss', dir: 'asc' }))).toEqual(['run_b', 'run_a', 'run_c']);
    expect(ids(sortRows(rows, { key: 'last:g_loss', dir: 'desc' }))).toEqual(['run_a', 'run_b', 'run_c']);
    expect(ids(sortRows(rows, { key: 'best', dir: 'asc' }))).toEqual(['run_b', 'run_a', 'run_c']);
  });

  it('filters by text, status, dataset, preset and tag together', () => {
    expect(ids(filterRows(rows, { ...EMPTY_FILTER, text: 'MNI' }))).toEqual(['run_a']);
    expect(ids(filterRows(rows, { ...EMPTY_FILTER, dataset: 'digits' }))).toEqual(['run_a', 'run_c']);
    expect(ids(filterRows(rows, { ...EMPTY_FILTER, status: 'completed' }))).toEqual(['run_b']);
    expect(ids(filterRows(rows, { ...EMPTY_FILTER, preset: 'lsgan', dataset: 'digits' }))).toEqual([]);
    expect(ids(filterRows(rows, { ...EMPTY_FILTER, tag: 'mnist' }))).toEqual(['run_a']);
  });
});

describe('pace and time left', () => {
  it('reads steps per second from the recent points', () => {
    const points = [0, 10, 20, 30].map((s) => ({ step: s, min: 0, max: 0, mean: 0, time: s / 5 }));
    expect(paceOf(points, 30, 130)).toEqual({ stepsPerSec: 5, etaSec: 20 });
    expect(paceOf(points.slice(0, 1), 0, 10)).toBeNull();
    expect(paceOf([{ step: 1, min: 0, max: 0, mean: 0 }, { step: 2, min: 0, max: 0, mean: 0 }], 2, 10)).toBeNull();
  });
});

describe('sample grid geometry', () => {
  it('finds the cell under a click and the rectangle of a cell, borders included', () => {
    // 4 × 4 cells of 28 px with 2 px borders: 122 px.
    expect(gridSide(4, 28)).toBe(122);
    expect(cellAt(0, 0, 4, 28)).toBe(0);
    expect(cellAt(0.99, 0.99, 4, 28)).toBe(15);
    expect(cellAt(35 / 122, 65 / 122, 4, 28)).toBe(2 * 4 + 1);
    expect(cellRect(9, 4, 28)).toEqual({ x: 32, y: 62, size: 28 });
  });
});

describe('diagnostics inputs', () => {
  it('turns bucket means into curves and finds the NaN the trainer reported', () => {
    expect(curvesOf([{ key: 'g_loss', points: [{ step: 5, min: 1, max: 3, mean: 2 }] }])).toEqual({ g_loss: [{ step: 5, value: 2 }] });
    const nan = reason('NON_FINITE', 'prose the page never parses', { metric: 'g_loss', value: 'NaN', step: 120, resumeStep: 100 });
    expect(nonFiniteIn([null, nan])).toEqual({ key: 'g_loss', step: 120 });
    const early = reason('NON_FINITE_NO_CHECKPOINT', 'x', { metric: 'd_grad_norm', value: '-Infinity', step: 7, resumeStep: null });
    expect(nonFiniteIn([undefined, reason('DISK_FULL', 'g_loss became NaN at step 3'), early])).toEqual({ key: 'd_grad_norm', step: 7 });
    expect(nonFiniteIn([reason('TRAINER_EXITED', 'g_loss became NaN at step 9', { signal: 'SIGKILL' })])).toBeNull();
  });
});
