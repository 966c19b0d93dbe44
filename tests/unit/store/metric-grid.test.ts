/** Where chart buckets fall, worked out by hand: equal step ranges from the first step, whole rollups on long runs, equal seconds on the time axis. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { MetricPoint, Series } from '../../../src-main/common/domain';
import { Store } from '../../../src-main/core/store/store';
import { datasetRow, insertRun } from '../../fixtures/store-rows';
import { tempDir } from '../../fixtures/workbench';

const RUN = 'run_grid0001';

/** A run whose g_loss at each step is the step itself, at `time(step)` seconds: a bucket's min, max and mean then name its steps. */
function storeWithSteps(from: number, to: number, time: (step: number) => number): Store {
  const store = Store.open(join(tempDir('metric-grid'), 'workbench.sqlite'));
  store.datasets.insert(datasetRow('ds_grid0001'));
  insertRun(store, RUN, 'ds_grid0001', 'completed');
  const points: MetricPoint[] = [];
  for (let s = from; s <= to; s++) points.push({ step: s, time: time(s), values: { g_loss: s } });
  store.metrics.insertBatch(RUN, points);
  return store;
}

/** The bucket of consecutive steps first..last (values equal to steps), as the chart should show it. */
const bucket = (first: number, last: number, time = last) => ({ step: last, min: first, max: last, mean: (first + last) / 2, time });

/** Buckets from runs of steps [from, to] cut where `ends` says, with `time(last step)` as each bucket's time. */
function cut(from: number, to: number, ends: (step: number) => boolean, time: (step: number) => number = (s) => s): Series['points'] {
  const out: Series['points'] = [];
  let first = from;
  for (let s = from; s <= to; s++) {
    if (s === to || ends(s)) {
      out.push(bucket(first, s, time(s)));
      first = s + 1;
    }
  }
  return out;
}

describe('chart buckets on the step axis', () => {
  it('cuts 101 steps into buckets of 3 from the first step for 50 points; a key the run lacks has no points', () => {
    const store = storeWithSteps(100, 200, (s) => s);
    const [series, absent] = store.metrics.series(RUN, { keys: ['g_loss', 'absent'], maxPoints: 50 });
    expect(series!.points).toEqual(cut(100, 200, (s) => (s - 100) % 3 === 2));
    expect(series!.points).toHaveLength(34);
    expect(absent).toEqual({ key: 'absent', points: [] });
    store.close();
  });

  it('snaps 12 steps a bucket to 4-step rollups: buckets start at step 0, not at the first step', () => {
    const store = storeWithSteps(1, 1200, (s) => s);
    const [series] = store.metrics.series(RUN, { keys: ['g_loss'], maxPoints: 100 });
    // 1..1200 on 100 points: 12 steps a bucket, three whole rollups of 4 steps from 0; 1200 joins the last bucket.
    expect(series!.points).toEqual(cut(1, 1200, (s) => s % 12 === 11 && s < 1188));
    store.close();
  });

  it('reads a long run from rollups: 10,000 steps on 100 points are buckets of four 32-step rollups, from the rollup of the first step', () => {
    const store = storeWithSteps(1000, 10_999, (s) => s);
    const [series] = store.metrics.series(RUN, { keys: ['g_loss'], maxPoints: 100 });
    // 100 steps a bucket, rounded up to whole 32-step rollups: 128, starting at 992 (the rollup holding 1000).
    expect(series!.points).toEqual(cut(1000, 10_999, (s) => (s - 992) % 128 === 127));
    store.close();
  });

  it('has no buckets for a run without points', () => {
    const store = storeWithSteps(1, 0, (s) => s);
    expect(store.metrics.series(RUN, { maxPoints: 100 })).toEqual([]);
    expect(store.metrics.compare([RUN], { keys: ['g_loss'], maxPoints: 100, axis: 'time' })).toEqual([{ runId: RUN, series: [{ key: 'g_loss', points: [] }] }]);
    store.close();
  });
});

describe('chart buckets on the time axis', () => {
  it('cuts 100 seconds into 10 buckets of 10 seconds from the first point; the last point joins the last bucket', () => {
    const time = (s: number) => s - 50;
    const store = storeWithSteps(100, 200, time);
    const [run] = store.metrics.compare([RUN], { keys: ['g_loss'], maxPoints: 10, axis: 'time' });
    // Seconds 50..150: bucket k holds seconds [50 + 10k, 60 + 10k), steps 100 + 10k .. 109 + 10k.
    expect(run!.series[0]!.points).toEqual(cut(100, 200, (s) => s % 10 === 9 && s < 190, time));
    store.close();
  });

  it('reads a long run from 32-step rollups, each in the bucket of its last second', () => {
    const time = (s: number) => s / 10;
    const store = storeWithSteps(5000, 14_999, time);
    const [run] = store.metrics.compare([RUN], { keys: ['g_loss'], maxPoints: 100, axis: 'time' });
    // 1,000 seconds on 100 buckets: about 100 steps a bucket, so rollups of 32 steps (three or more a bucket) are read.
    const width = (1499.9 - 500) / 100;
    const bucketOf = (s: number) => Math.min(99, Math.floor((time(Math.min(s - (s % 32) + 31, 14_999)) - 500) / width));
    expect(run!.series[0]!.points).toEqual(cut(5000, 14_999, (s) => s % 32 === 31 && bucketOf(s + 1) !== bucketOf(s), time));
    expect(run!.series[0]!.points).toHaveLength(100);
    store.close();
  });
});
