/** The compare store over the real contract and SQLite: one grid for every run, live points appended as they stream. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTrainingConfig } from '../../../src-main/common/training-config';
import { useCompareStore } from '../../../src-renderer/stores/compare';
import { setupRealStores } from './workbench-transport';

describe('useCompareStore', () => {
  let env: ReturnType<typeof setupRealStores>;
  const ids = ['run_cmpstore1', 'run_cmpstore2'];

  beforeAll(() => {
    env = setupRealStores();
    const { store } = env.workbench;
    store.datasets.insert({ id: 'ds_cmpstore', name: 'd', sourcePath: '/d', size: 28, channels: 1, count: 1, classes: [], rejectedCount: 0, createdAt: 'x', previewPath: null, heldOut: 0, synthetic: null, classifier: null, pair: null });
    ids.forEach((id, r) => {
      store.runs.insert({ id, name: id, datasetId: 'ds_cmpstore', status: 'running', config: defaultTrainingConfig(), step: 0, backend: null, reason: null, createdAt: 'x', startedAt: null, endedAt: null, parentRunId: null, parentStep: null });
      store.metrics.insertBatch(id, Array.from({ length: 400 }, (_, i) => ({ step: i + 1, time: (i + 1) * (r + 1), values: { g_loss: Math.sin(i), d_loss: r } })));
    });
  });
  afterAll(() => env.close());

  it('loads both runs on one grid and appends live points of a compared run', async () => {
    const compare = useCompareStore();
    await compare.load(ids, 'step', 40);
    expect(compare.keys.sort()).toEqual(['d_loss', 'g_loss']);
    for (const id of ids) expect(compare.seriesOf(id, 'g_loss')!.length).toBeLessThanOrEqual(40);
    expect(compare.seriesOf(ids[0]!, 'g_loss')!.map((b) => b.step)).toEqual(compare.seriesOf(ids[1]!, 'g_loss')!.map((b) => b.step));
    expect(compare.lastQueryMs).toBeGreaterThan(0);
    env.hub.emit('run.metrics', { runId: ids[1]!, points: [{ step: 401, time: 900, values: { g_loss: 7 } }] });
    expect(compare.seriesOf(ids[1]!, 'g_loss')!.at(-1)).toEqual({ step: 401, min: 7, max: 7, mean: 7, time: 900 });
  });

  it('along time, the slower run spans more of the axis', async () => {
    const compare = useCompareStore();
    await compare.load(ids, 'time', 50);
    const first = compare.seriesOf(ids[0]!, 'g_loss')!;
    const second = compare.seriesOf(ids[1]!, 'g_loss')!;
    expect(second.length).toBeGreaterThan(first.length);
    expect(second.at(-1)!.time).toBeGreaterThan(first.at(-1)!.time!);
  });

  it('says nothing to the server for fewer than two runs, and keeps the error of a refused query', async () => {
    const compare = useCompareStore();
    await compare.load([ids[0]!], 'step', 40);
    expect(compare.data).toEqual({});
    await compare.load([ids[0]!, 'run_nowhere'], 'step', 40);
    expect(compare.error).toContain('no run');
  });
});
