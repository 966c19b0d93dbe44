/** The augmentation preview store: slider moves are debounced into one request, and only the newest settings are sent after a slow answer. */
import { describe, expect, it } from 'vitest';
import { PREVIEW_DEBOUNCE_MS, useAugmentPreviewStore } from '../../../src-renderer/stores/augment-preview';
import { deferred, setupStores } from './fake-transport';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const answer = (seed: number) => ({ indices: [seed], originals: ['data:a'], variants: [['data:b']], millis: 5 });

describe('useAugmentPreviewStore', () => {
  it('turns a burst of slider moves into one request with the last values', async () => {
    const { transport } = setupStores({ 'datasets.augmentPreview': (p: { seed: number }) => answer(p.seed) });
    const store = useAugmentPreviewStore();
    for (const flip of [0.1, 0.2, 0.3]) store.setAugment({ ...store.augment, flip }, 'ds_0001');
    expect(store.busy).toBe(true);
    await sleep(PREVIEW_DEBOUNCE_MS + 50);
    const calls = transport.callsOf('datasets.augmentPreview') as { augment: { flip: number }; id: string }[];
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ id: 'ds_0001', augment: { flip: 0.3 }, seed: 0, count: 6, variants: 4, diffAugmentP: 1 });
    expect(store.preview?.indices).toEqual([0]);
    expect(store.previewFor).toBe('ds_0001');
    expect(store.busy).toBe(false);
  });

  it('while a request is in flight, keeps only the newest settings for the next one', async () => {
    const slow = deferred<unknown>();
    const { transport } = setupStores({
      'datasets.augmentPreview': (p: { seed: number }) => (p.seed === 1 ? slow.promise : answer(p.seed)),
    });
    const store = useAugmentPreviewStore();
    store.setSeed(1, 'ds_0001');
    await sleep(PREVIEW_DEBOUNCE_MS + 30);
    store.setSeed(2, 'ds_0001');
    await sleep(PREVIEW_DEBOUNCE_MS + 30);
    store.setSeed(3, 'ds_0001');
    await sleep(PREVIEW_DEBOUNCE_MS + 30);
    slow.resolve(answer(1));
    await sleep(20);
    expect((transport.callsOf('datasets.augmentPreview') as { seed: number }[]).map((c) => c.seed)).toEqual([1, 3]);
    expect(store.preview?.indices).toEqual([3]);
  });

  it('shows the error of a failed preview', async () => {
    setupStores({
      'datasets.augmentPreview': () => {
        throw new Error('augmentation preview failed: image 9 is outside the dataset');
      },
    });
    const store = useAugmentPreviewStore();
    store.schedule('ds_0001', 0);
    await sleep(20);
    expect(store.error).toBe('augmentation preview failed: image 9 is outside the dataset');
  });
});
