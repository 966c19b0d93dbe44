/** Metric writes and times on a real SQLite file: the seconds a resumed run continues from, and batches that retrain one key while another starts. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Store } from '../../../src-main/core/store/store';
import { datasetRow, insertRun } from '../../fixtures/store-rows';
import { tempDir } from '../../fixtures/workbench';

const RUN = 'run_write001';

function openStore(): Store {
  const store = Store.open(join(tempDir('metric-writes'), 'workbench.sqlite'));
  store.datasets.insert(datasetRow('ds_write001'));
  insertRun(store, RUN, 'ds_write001', 'running');
  return store;
}

describe('MetricsRepo.timeAt', () => {
  it('answers the latest second of training at or before a step over all keys, and null before the first point', () => {
    const store = openStore();
    expect(store.metrics.timeAt(RUN)).toBeNull();
    store.metrics.insertBatch(RUN, [
      { step: 10, time: 1, values: { d_loss: 1 } },
      { step: 20, time: 2, values: { d_loss: 1, g_loss: 1 } },
      { step: 30, time: 3, values: { d_loss: Number.NaN } },
    ]);
    // g_loss was last measured at 2 s; d_loss (even NaN) at 3 s: the run trained 3 s.
    expect(store.metrics.timeAt(RUN)).toBe(3);
    expect(store.metrics.timeAt(RUN, 25)).toBe(2);
    expect(store.metrics.timeAt(RUN, 15)).toBe(1);
    expect(store.metrics.timeAt(RUN, 5)).toBeNull();
    // A key measured later than the first key's last point moves the time on.
    store.metrics.insertBatch(RUN, [{ step: 40, time: 4.5, values: { g_loss: 1 } }]);
    expect(store.metrics.timeAt(RUN)).toBe(4.5);
    store.close();
  });
});

describe('MetricsRepo.insertBatch', () => {
  it('keeps chart buckets exact when a batch trains one key again and starts another', () => {
    const store = openStore();
    const truth = new Map<number, number>();
    const batch = (from: number, to: number, v: (s: number) => number, extra = false) =>
      Array.from({ length: to - from + 1 }, (_, i) => {
        const step = from + i;
        truth.set(step, v(step));
        return { step, time: step, values: { d_loss: v(step), ...(extra ? { g_loss: 0 } : {}) } };
      });
    for (let s = 1; s <= 300; s += 10) store.metrics.insertBatch(RUN, batch(s, s + 9, (k) => k));
    // Rewound to 289: steps 290..300 are trained again, and this time g_loss is measured too.
    store.metrics.insertBatch(RUN, batch(290, 300, (k) => -k, true));
    const [series] = store.metrics.series(RUN, { keys: ['d_loss'], maxPoints: 10 });
    // 300 steps on 10 points read 8-step rollups in buckets of 32 steps: the last bucket holds 288..300.
    const last = series!.points.at(-1)!;
    const inside = [...truth].filter(([s]) => s >= 288).map(([, v]) => v);
    expect(last).toEqual({ step: 300, min: -300, max: 289, mean: inside.reduce((a, b) => a + b, 0) / inside.length, time: 300 });
    store.close();
  });
});
