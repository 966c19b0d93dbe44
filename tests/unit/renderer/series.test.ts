import { describe, expect, it } from 'vitest';
import type { Series } from '../../../src-main/common/domain';
import { appendMetricPoints, compact, countPoints, mergeFetched, smooth, toLine } from '../../../src-renderer/lib/series';

const b = (step: number, v: number) => ({ step, min: v, max: v, mean: v });
/** A live bucket: one point, with the seconds of training it was measured at. */
const live = (step: number, v: number, time: number) => ({ ...b(step, v), time });

describe('series pipeline', () => {
  it('compacts pairs keeping the true min and max', () => {
    expect(compact([{ step: 0, min: 1, max: 3, mean: 2 }, { step: 1, min: 0, max: 2, mean: 1 }, b(2, 5)])).toEqual([
      { step: 0, min: 0, max: 3, mean: 1.5 },
      b(2, 5),
    ]);
  });

  it('appends one bucket per key and step, creating series on the way', () => {
    const series: Series[] = [{ key: 'd_loss', points: [b(0, 1)] }];
    appendMetricPoints(series, [{ step: 10, time: 1, values: { d_loss: 0.5, g_loss: 2 } }]);
    expect(series).toEqual([
      { key: 'd_loss', points: [b(0, 1), live(10, 0.5, 1)] },
      { key: 'g_loss', points: [live(10, 2, 1)] },
    ]);
  });

  it('skips values that are not finite', () => {
    const series: Series[] = [];
    appendMetricPoints(series, [{ step: 1, time: 0, values: { d_loss: Number.NaN } }]);
    expect(series).toEqual([]);
  });

  it('halves a series that grows past the limit', () => {
    const series: Series[] = [];
    for (let s = 0; s < 9; s++) appendMetricPoints(series, [{ step: s, time: s, values: { x: s } }], 8);
    expect(series[0]!.points.length).toBe(5);
    expect(series[0]!.points[0]).toEqual({ step: 0, min: 0, max: 1, mean: 0.5, time: 0 });
  });

  it('merges a fetched history with newer live points only', () => {
    const fetched: Series[] = [{ key: 'a', points: [b(0, 1), b(10, 1)] }];
    const live: Series[] = [
      { key: 'a', points: [b(10, 9), b(20, 2)] },
      { key: 'b', points: [b(20, 3)] },
    ];
    expect(mergeFetched(fetched, live)).toEqual([
      { key: 'a', points: [b(0, 1), b(10, 1), b(20, 2)] },
      { key: 'b', points: [b(20, 3)] },
    ]);
  });

  it('draws along seconds of training, leaving out buckets without a time', () => {
    expect(toLine([live(10, 1, 2.5), b(20, 2), live(30, 3, 7)], 'time')).toEqual([
      [2.5, 1],
      [7, 3],
    ]);
  });

  it('draws means as [step, value] and smooths with a debiased EMA', () => {
    const line = toLine([b(0, 1), b(1, 1), b(2, 1)]);
    expect(line).toEqual([[0, 1], [1, 1], [2, 1]]);
    // A constant stays constant under debiased smoothing.
    for (const [, v] of smooth(line, 0.9)) expect(v).toBeCloseTo(1);
    expect(smooth([[0, 0], [1, 10]], 0)).toEqual([[0, 0], [1, 10]]);
    expect(countPoints([{ points: [1, 2] }, { points: [3] }])).toBe(3);
  });
});
