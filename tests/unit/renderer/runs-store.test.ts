import { beforeEach, describe, expect, it } from 'vitest';
import type { Series } from '../../../src-main/common/domain';
import { useRunsStore } from '../../../src-renderer/stores/runs';
import { deferred, makeRun, setupStores, type FakeTransport } from './fake-transport';

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('useRunsStore', () => {
  let transport: FakeTransport;
  const runA = makeRun({ id: 'run_aaaa', name: 'a', createdAt: '2025-01-01T10:00:00.000Z' });
  const runB = makeRun({ id: 'run_bbbb', name: 'b', createdAt: '2025-01-02T10:00:00.000Z' });

  beforeEach(() => {
    ({ transport } = setupStores({
      'runs.list': () => [runA, runB],
      'runs.get': ({ id }: { id: string }) => (id === runA.id ? runA : id === runB.id ? runB : makeRun({ id })),
      'runs.metrics': ({ id }: { id: string }): Series[] =>
        id === runA.id
          ? [
              { key: 'd_loss', points: [{ step: 10, min: 1, max: 1.2, mean: 1.1 }, { step: 20, min: 0.9, max: 1, mean: 0.95 }] },
              { key: 'g_loss', points: [{ step: 10, min: 2, max: 2, mean: 2 }, { step: 20, min: 1.8, max: 1.8, mean: 1.8 }] },
            ]
          : [],
      'runs.samples': ({ id }: { id: string }) => [
        { runId: id, step: 200, path: `runs/${id}/samples/200.png`, rawPath: null },
        { runId: id, step: 0, path: `runs/${id}/samples/0.png`, rawPath: null },
      ],
    }));
  });

  it('lists runs, newest first', async () => {
    const store = useRunsStore();
    await store.list();
    expect(store.loaded).toBe(true);
    expect(store.sorted.map((r) => r.id)).toEqual(['run_bbbb', 'run_aaaa']);
  });

  it('applies run.status events to the run in place', async () => {
    const store = useRunsStore();
    await store.list();
    transport.emit('run.status', { runId: runA.id, status: 'paused', error: null, backend: 'tensorflow' });
    expect(store.byId(runA.id)?.status).toBe('paused');
    expect(store.byId(runA.id)?.backend).toBe('tensorflow');
    expect(store.byId(runB.id)?.status).toBe('running');
    // Non-terminal statuses need no round trip.
    expect(transport.callsOf('runs.get')).toHaveLength(0);
  });

  it('keeps the error of a failed run and refreshes it', async () => {
    const store = useRunsStore();
    await store.list();
    const why = { code: 'OUT_OF_MEMORY' as const, message: 'out of memory' };
    transport.handlers['runs.get'] = () => ({ ...runA, status: 'failed', reason: why, endedAt: '2025-01-01T11:00:00.000Z' });
    transport.emit('run.status', { runId: runA.id, status: 'failed', reason: why, backend: null });
    expect(store.byId(runA.id)?.status).toBe('failed');
    expect(store.byId(runA.id)?.reason).toEqual(why);
    expect(store.byId(runA.id)?.backend).toBe('wasm');
    await flush();
    expect(transport.callsOf('runs.get')).toEqual([{ id: runA.id }]);
    expect(store.byId(runA.id)?.endedAt).toBe('2025-01-01T11:00:00.000Z');
  });

  it('fetches a run it did not know when its status arrives', async () => {
    const store = useRunsStore();
    transport.emit('run.status', { runId: 'run_new1', status: 'queued', error: null, backend: null });
    await flush();
    expect(store.byId('run_new1')?.id).toBe('run_new1');
  });

  it('appends run.metrics points to the series of that run without re-fetching', async () => {
    const store = useRunsStore();
    await store.list();
    await store.loadMetrics(runA.id);
    await store.loadMetrics(runB.id);
    transport.emit('run.metrics', {
      runId: runA.id,
      points: [
        { step: 30, time: 3, values: { d_loss: 0.8, g_loss: 1.7 } },
        { step: 40, time: 4, values: { d_loss: 0.7, g_loss: 1.6, d_real: 0.6 } },
      ],
    });
    expect(store.seriesOf(runA.id, 'd_loss')?.map((b) => b.step)).toEqual([10, 20, 30, 40]);
    expect(store.seriesOf(runA.id, 'g_loss')?.at(-1)).toEqual({ step: 40, min: 1.6, max: 1.6, mean: 1.6, time: 4 });
    expect(store.seriesOf(runA.id, 'd_real')).toEqual([{ step: 40, min: 0.6, max: 0.6, mean: 0.6, time: 4 }]);
    expect(store.metrics[runB.id]).toEqual([]);
    expect(store.byId(runA.id)?.step).toBe(40);
    expect(transport.callsOf('runs.metrics')).toHaveLength(2);
  });

  it('does not lose points that arrive while the history is loading', async () => {
    const store = useRunsStore();
    const held = deferred<Series[]>();
    transport.handlers['runs.metrics'] = () => held.promise;
    const loading = store.loadMetrics(runA.id);
    transport.emit('run.metrics', { runId: runA.id, points: [{ step: 20, time: 2, values: { d_loss: 0.95 } }] });
    transport.emit('run.metrics', { runId: runA.id, points: [{ step: 30, time: 3, values: { d_loss: 0.8 } }] });
    held.resolve([{ key: 'd_loss', points: [{ step: 10, min: 1, max: 1, mean: 1 }, { step: 20, min: 0.95, max: 0.95, mean: 0.95 }] }]);
    await loading;
    expect(store.seriesOf(runA.id, 'd_loss')?.map((b) => b.step)).toEqual([10, 20, 30]);
  });

  it('ignores metrics of runs whose series were never loaded, but still moves their step', async () => {
    const store = useRunsStore();
    await store.list();
    transport.emit('run.metrics', { runId: runB.id, points: [{ step: 50, time: 5, values: { d_loss: 1 } }] });
    expect(store.metrics[runB.id]).toBeUndefined();
    expect(store.byId(runB.id)?.step).toBe(50);
  });

  it('rewinds a series when a run restarts from an earlier step', async () => {
    const store = useRunsStore();
    await store.loadMetrics(runA.id);
    transport.emit('run.metrics', { runId: runA.id, points: [{ step: 15, time: 1, values: { d_loss: 0.5 } }] });
    expect(store.seriesOf(runA.id, 'd_loss')?.map((b) => b.step)).toEqual([10, 15]);
  });

  it('loads samples in step order and appends run.sample events', async () => {
    const store = useRunsStore();
    await store.loadSamples(runA.id);
    expect(store.samples[runA.id]?.map((s) => s.step)).toEqual([0, 200]);
    transport.emit('run.sample', { runId: runA.id, step: 400, path: 'runs/run_aaaa/samples/400.png' });
    transport.emit('run.sample', { runId: runB.id, step: 400, path: 'runs/run_bbbb/samples/400.png' });
    expect(store.latestSample(runA.id)).toEqual({ runId: runA.id, step: 400, path: 'runs/run_aaaa/samples/400.png' });
    expect(store.samples[runB.id]).toBeUndefined();
  });

  it('creates a run with a partial config and start: true', async () => {
    const store = useRunsStore();
    transport.handlers['runs.create'] = (p: { datasetId: string; name?: string }) =>
      makeRun({ id: 'run_cccc', datasetId: p.datasetId, name: p.name ?? 'auto', status: 'queued', createdAt: '2025-01-03T00:00:00.000Z' });
    const run = await store.create({
      datasetId: 'ds_0001',
      name: 'quick',
      config: { steps: 40, batchSize: 16, intervals: { sampleEvery: 20, metricsEvery: 5 } },
    });
    expect(run.id).toBe('run_cccc');
    expect(transport.callsOf('runs.create')).toEqual([
      { datasetId: 'ds_0001', name: 'quick', start: true, config: { steps: 40, batchSize: 16, intervals: { sampleEvery: 20, metricsEvery: 5 } } },
    ]);
    expect(store.sorted[0]?.id).toBe('run_cccc');
  });

  it('pauses, resumes and stops through the API and keeps the returned run', async () => {
    const store = useRunsStore();
    await store.list();
    transport.handlers['runs.pause'] = ({ id }: { id: string }) => ({ ...runA, id, status: 'paused' });
    transport.handlers['runs.resume'] = ({ id }: { id: string }) => ({ ...runA, id, status: 'running' });
    transport.handlers['runs.stop'] = ({ id }: { id: string }) => ({ ...runA, id, status: 'stopped' });
    const pausing = store.pause(runA.id);
    expect(store.busy[runA.id]).toBe(true);
    await pausing;
    expect(store.busy[runA.id]).toBeUndefined();
    expect(store.byId(runA.id)?.status).toBe('paused');
    await store.resume(runA.id);
    expect(store.byId(runA.id)?.status).toBe('running');
    await store.stop(runA.id);
    expect(store.byId(runA.id)?.status).toBe('stopped');
    expect(transport.calls.filter((c) => c.method.startsWith('runs.') && c.method !== 'runs.list').map((c) => c.method)).toEqual([
      'runs.pause',
      'runs.resume',
      'runs.stop',
    ]);
  });

  it('rejects a failed control action and clears busy', async () => {
    const store = useRunsStore();
    await expect(store.start(runA.id)).rejects.toThrow(/no fake handler/);
    expect(store.busy[runA.id]).toBeUndefined();
  });

  it('stops listening when disposed', () => {
    const store = useRunsStore();
    expect(transport.listenerCount('run.metrics')).toBe(1);
    store.$dispose();
    expect(transport.listenerCount('run.metrics')).toBe(0);
    expect(transport.listenerCount('run.status')).toBe(0);
  });
});
