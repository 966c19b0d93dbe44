// @vitest-environment happy-dom
/**
 * The gallery's closest pairs (issue 12): each row labelled with its distance over the held-out
 * median and what that means, whether the check had a held-out split, what a checkpoint without
 * pairs says, in both languages; and the store that fetches a checkpoint's pairs again when it is
 * evaluated again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, h, nextTick, type App, type Component } from 'vue';
import type { RunNearest } from '../../../src-main/common/nearest';
import NearestPairs from '../../../src-renderer/components/gallery/NearestPairs.vue';
import { createWorkbenchI18n } from '../../../src-renderer/i18n';
import { useNearestStore } from '../../../src-renderer/stores/nearest';
import { evaluationRow } from '../../fixtures/store-rows';
import { setupStores } from './fake-transport';

const RUN = 'run_near0001';
const flush = () => new Promise((r) => setTimeout(r, 0));

let app: App | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
  document.body.innerHTML = '';
});

/** Pairs at 0.31×, 0.8× and 1.2× a held-out median of 10, below a threshold of 0.5. */
function nearest(over: Partial<RunNearest> = {}): RunNearest {
  const pair = (distance: number, trainingIndex: number, generatedIndex: number) => ({ distance, ratio: distance / 10, trainingIndex, generatedIndex, datasetId: 'ds_near0001' });
  return {
    runId: RUN,
    step: 400,
    datasetId: 'ds_near0001',
    cellSize: 28,
    channels: 1,
    heldOutMedian: 10,
    threshold: 0.5,
    comparedWith: 'held-out',
    nGenerated: 500,
    nTraining: 500,
    pairs: [pair(3.1, 17, 4), pair(8, 230, 41), pair(12, 5, 9)],
    createdAt: '2026-01-01T00:00:00.000Z',
    image: `runs/${RUN}/evaluations/400/nearest.png`,
    ...over,
  };
}

async function mount(props: Record<string, unknown>, locale: 'en' | 'zh-CN' = 'en'): Promise<HTMLElement> {
  const el = document.createElement('div');
  document.body.append(el);
  const all = { fileUrl: (p: string) => `fake://data/${p}?token=t`, ...props };
  app = createApp({ render: () => h(NearestPairs as Component, all) });
  app.use(createWorkbenchI18n(locale));
  app.mount(el);
  await nextTick();
  return el;
}

const all = (el: HTMLElement, id: string) => [...el.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
const text = (el: HTMLElement, id: string) => el.querySelector(`[data-testid="${id}"]`)?.textContent?.trim();

describe('NearestPairs', () => {
  it('labels each pair with its ratio to the held-out median: close to a training image, nearer than unseen images, new', async () => {
    const el = await mount({ steps: [200, 400], step: 400, nearest: nearest() });
    expect(all(el, 'nearest-pair').map((r) => r.querySelector('strong')!.textContent)).toEqual([
      '0.31× the held-out median: close to a training image',
      '0.80× the held-out median: nearer than unseen images are',
      '1.20× the held-out median: new',
    ]);
    expect(all(el, 'nearest-pair')[0]!.textContent).toContain('training image #17 · distance 3.10 · generated image 4');
    expect(text(el, 'nearest-compared')).toBe('Measured against the dataset’s held-out split, which training never saw.');
    // The picture of this evaluation: its time in the address, so a new evaluation of the step is not a cached picture.
    expect(el.querySelector('img')!.getAttribute('src')).toBe(`fake://data/runs/${RUN}/evaluations/400/nearest.png?token=t&v=2026-01-01T00%3A00%3A00.000Z`);
    expect(all(el, 'nearest-step')[0]!.querySelectorAll('option').length).toBe(2);
  });

  it('says when the check compared with training images because the dataset has no held-out split', async () => {
    const el = await mount({ steps: [400], step: 400, nearest: nearest({ comparedWith: 'training' }) });
    expect(text(el, 'nearest-compared')).toMatch(/^This dataset has no held-out split \(under 1,000 images\): the check compared with training images/);
  });

  it('says what to do without an evaluated checkpoint, or with one that kept no pairs', async () => {
    expect(text(await mount({ steps: [], step: null, nearest: undefined }), 'nearest-none')).toMatch(/^No checkpoint of this run is evaluated yet/);
    app!.unmount();
    expect(text(await mount({ steps: [400], step: 400, nearest: null }), 'nearest-missing')).toMatch(/^The evaluation of step 400 kept no closest pairs/);
  });

  it('says it in Chinese', async () => {
    const el = await mount({ steps: [400], step: 400, nearest: nearest({ comparedWith: 'training' }) }, 'zh-CN');
    expect(all(el, 'nearest-pair')[0]!.querySelector('strong')!.textContent).toBe('留出集中位数的 0.31×：接近某张训练图像');
    expect(text(el, 'nearest-compared')).toContain('没有留出集');
  });
});

describe('useNearestStore', () => {
  it('loads a checkpoint’s pairs, and fetches them again when that checkpoint is evaluated again (not another one)', async () => {
    let served: RunNearest | null = nearest();
    const { transport } = setupStores({ 'runs.nearest': () => served });
    const store = useNearestStore();
    expect(store.get(RUN, 400)).toBeUndefined();
    await store.load(RUN, 400);
    expect(store.get(RUN, 400)?.pairs.map((p) => p.trainingIndex)).toEqual([17, 230, 5]);
    served = nearest({ pairs: [], createdAt: 'later' });
    transport.emit('run.evaluation', { runId: RUN, step: 800, status: 'done', evaluation: evaluationRow(RUN, 800, 0.1), error: null });
    transport.emit('run.evaluation', { runId: RUN, step: 400, status: 'pending', evaluation: null, error: null });
    await flush();
    expect(transport.callsOf('runs.nearest')).toEqual([{ id: RUN, step: 400 }]);
    transport.emit('run.evaluation', { runId: RUN, step: 400, status: 'done', evaluation: evaluationRow(RUN, 400, 0.1), error: null });
    await flush();
    expect(transport.callsOf('runs.nearest')).toEqual([
      { id: RUN, step: 400 },
      { id: RUN, step: 400 },
    ]);
    expect(store.get(RUN, 400)?.createdAt).toBe('later');
    // A checkpoint without pairs is remembered as such.
    served = null;
    await store.load(RUN, 200);
    expect(store.get(RUN, 200)).toBeNull();
  });
});
