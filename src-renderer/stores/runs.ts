/** Runs: the list, creating and controlling runs, and their live status, metrics and samples. */
import { defineStore } from 'pinia';
import { onScopeDispose, ref } from 'vue';
import type { EventPayload, RequestOf, ResponseOf } from '@common/contract';
import { ACTIVE_STATUSES, type Run, type Sample, type Series } from '@common/domain';
import type { TrainingConfigInput } from '@common/training-config';
import { appendMetricPoints, mergeFetched, type Bucket } from '../lib/series';
import { useClient } from './client';
import { useServerList } from './server-list';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** The part of the training config a new run overrides; the server's defaults fill the rest. */
export type ConfigPatch = DeepPartial<TrainingConfigInput>;

export type CreateRunRequest = RequestOf<'runs.create'>;
export type ForkRunRequest = RequestOf<'runs.fork'>;
export type GrowRunRequest = RequestOf<'runs.grow'>;
export type GrowRunResult = ResponseOf<'runs.grow'>;
export type RunLabelsPatch = Omit<RequestOf<'runs.update'>, 'id'>;

export type RunAction = 'start' | 'pause' | 'resume' | 'stop';

function insertSample(list: Sample[], sample: Sample): void {
  const i = list.findIndex((s) => s.step >= sample.step);
  if (i < 0) list.push(sample);
  else if (list[i]!.step === sample.step) list[i] = sample;
  else list.splice(i, 0, sample);
}

export const useRunsStore = defineStore('runs', () => {
  const client = useClient();

  const { items: runs, loaded, loading, error, sorted, byId, upsert, list } = useServerList(() => client.call('runs.list'));
  /** Metric series per run id; present once `loadMetrics` was called, then kept live by events. */
  const metrics = ref<Record<string, Series[]>>({});
  /** Sample grids per run id, ordered by step; present once `loadSamples` was called, then kept live. */
  const samples = ref<Record<string, Sample[]>>({});
  /** Run ids with a control action in flight. */
  const busy = ref<Record<string, boolean>>({});

  function seriesOf(runId: string, key: string): Bucket[] | undefined {
    return metrics.value[runId]?.find((s) => s.key === key)?.points;
  }

  function latestSample(runId: string): Sample | undefined {
    const list = samples.value[runId];
    return list?.[list.length - 1];
  }

  async function get(id: string): Promise<Run> {
    return upsert(await client.call('runs.get', { id }));
  }

  async function create(request: CreateRunRequest): Promise<Run> {
    const payload: RequestOf<'runs.create'> = { datasetId: request.datasetId, start: request.start ?? true };
    if (request.name) payload.name = request.name;
    if (request.preset) payload.preset = request.preset;
    if (request.config) payload.config = request.config;
    return upsert(await client.call('runs.create', payload));
  }

  /** A new run from a checkpoint of another, with config changes. */
  async function fork(request: ForkRunRequest): Promise<Run> {
    return upsert(await client.call('runs.fork', request));
  }

  /** A new run whose networks are a checkpoint's grown larger, deeper or wider; the report says what it kept. */
  async function grow(request: GrowRunRequest): Promise<GrowRunResult> {
    const result = await client.call('runs.grow', request);
    upsert(result.run);
    return result;
  }

  async function update(id: string, patch: RunLabelsPatch): Promise<Run> {
    return upsert(await client.call('runs.update', { id, ...patch }));
  }

  async function remove(id: string): Promise<void> {
    await client.call('runs.delete', { id });
    runs.value = runs.value.filter((r) => r.id !== id);
    delete metrics.value[id];
    delete samples.value[id];
  }

  async function control(action: RunAction, id: string): Promise<Run> {
    busy.value[id] = true;
    try {
      return upsert(await client.call(`runs.${action}`, { id }));
    } finally {
      delete busy.value[id];
    }
  }

  const start = (id: string) => control('start', id);
  const pause = (id: string) => control('pause', id);
  const resume = (id: string) => control('resume', id);
  const stop = (id: string) => control('stop', id);

  /** Fetches the bucketed history; live points that arrive meanwhile are merged, not lost. */
  async function loadMetrics(id: string, options: Omit<RequestOf<'runs.metrics'>, 'id'> = {}): Promise<Series[]> {
    metrics.value[id] ??= [];
    const request: RequestOf<'runs.metrics'> = { id };
    if (options.keys) request.keys = options.keys;
    if (options.maxPoints) request.maxPoints = options.maxPoints;
    const fetched = await client.call('runs.metrics', request);
    metrics.value[id] = mergeFetched(fetched, metrics.value[id] ?? []);
    return metrics.value[id]!;
  }

  async function loadSamples(id: string): Promise<Sample[]> {
    samples.value[id] ??= [];
    const fetched = await client.call('runs.samples', { id });
    const merged = [...(samples.value[id] ?? [])];
    for (const s of fetched) insertSample(merged, s);
    samples.value[id] = merged;
    return merged;
  }

  function onStatus(p: EventPayload<'run.status'>): void {
    const run = byId(p.runId);
    if (!run) {
      // A run started elsewhere (CLI, another window): fetch it whole.
      void get(p.runId).catch(() => undefined);
      return;
    }
    run.status = p.status;
    run.reason = p.reason;
    if (p.backend !== null) run.backend = p.backend;
    // Terminal states carry endedAt, the final step and checkpoint: refresh them.
    if (!ACTIVE_STATUSES.includes(p.status)) void get(p.runId).catch(() => undefined);
  }

  function onMetrics(p: EventPayload<'run.metrics'>): void {
    const last = p.points[p.points.length - 1];
    const run = byId(p.runId);
    if (run && last) run.step = last.step;
    const series = metrics.value[p.runId];
    if (series) appendMetricPoints(series, p.points);
  }

  function onSample(sample: EventPayload<'run.sample'>): void {
    const list = samples.value[sample.runId];
    if (list) insertSample(list, sample);
  }

  const unsubscribe = [client.on('run.status', onStatus), client.on('run.metrics', onMetrics), client.on('run.sample', onSample)];
  onScopeDispose(() => unsubscribe.forEach((off) => off()));

  return {
    runs,
    loaded,
    loading,
    error,
    metrics,
    samples,
    busy,
    sorted,
    byId,
    seriesOf,
    latestSample,
    list,
    get,
    create,
    fork,
    grow,
    update,
    remove,
    start,
    pause,
    resume,
    stop,
    loadMetrics,
    loadSamples,
  };
});
