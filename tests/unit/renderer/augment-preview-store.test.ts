/** The augmentation preview store: slider moves are debounced into one request, and only the newest settings are sent after a slow answer. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PREVIEW_DEBOUNCE_MS, useAugmentPreviewStore } from '../../../src-renderer/stores/augment-preview';
import { deferred, setupStores } from './fake-transport';

const answer = (seed: number) => ({ indices: [seed], originals: ['data:a'], variants: [['data:b']], millis: 5 });

// The debounce is the store's own clock: fake timers move it exactly, so no test sleeps and hopes the timer has fired.
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('useAugmentPreviewStore', () => {
  it('turns a burst of slider moves into one request with the last values', async () => {
    const { transport } = setupStores({ 'datasets.augmentPreview': (p: { seed: number }) => answer(p.seed) });
    const store = useAugmentPreviewStore();
    for (const flip of [0.1, 0.2, 0.3]) store.setAugment({ ...store.augment, flip }, 'ds_0001');
    expect(store.busy).toBe(true);
    // Still within the debounce after the last move: nothing sent yet.
    await vi.advanceTimersByTimeAsync(PREVIEW_DEBOUNCE_MS - 1);
    expect(transport.callsOf('datasets.augmentPreview')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    await vi.waitFor(() => expect(store.busy).toBe(false));
    const calls = transport.callsOf('datasets.augmentPreview') as { augment: { flip: number }; id: string }[];
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ id: 'ds_0001', augment: { flip: 0.3 }, seed: 0, count: 6, variants: 4, diffAugmentP: 1 });
    expect(store.preview?.indices).toEqual([0]);
    expect(store.previewFor).toBe('ds_0001');
  });

  it('while a request is in flight, keeps only the newest settings for the next one', async () => {
    const slow = deferred<unknown>();
    const { transport } = setupStores({
      'datasets.augmentPreview': (p: { seed: number }) => (p.seed === 1 ? slow.promise : answer(p.seed)),
    });
    const store = useAugmentPreviewStore();
    const seeds = () => (transport.callsOf('datasets.augmentPreview') as { seed: number }[]).map((c) => c.seed);
    store.setSeed(1, 'ds_0001');
    await vi.advanceTimersByTimeAsync(PREVIEW_DEBOUNCE_MS);
    expect(seeds()).toEqual([1]);
    // Seeds 2 and 3 each outlast the debounce while seed 1 is unanswered: only the newest waits.
    store.setSeed(2, 'ds_0001');
    await vi.advanceTimersByTimeAsync(PREVIEW_DEBOUNCE_MS);
    store.setSeed(3, 'ds_0001');
    await vi.advanceTimersByTimeAsync(PREVIEW_DEBOUNCE_MS);
    expect(seeds()).toEqual([1]);
    slow.resolve(answer(1));
    await vi.waitFor(() => expect(store.preview?.indices).toEqual([3]));
    expect(seeds()).toEqual([1, 3]);
    expect(store.busy).toBe(false);
  });

  it('shows the error of a failed preview', async () => {
    setupStores({
      'datasets.augmentPreview': () => {
        throw new Error('augmentation preview failed: image 9 is outside the dataset');
      },
    });
    const store = useAugmentPreviewStore();
    store.schedule('ds_0001', 0);
    await vi.advanceTimersByTimeAsync(0);
    await vi.waitFor(() => expect(store.error).toBe('augmentation preview failed: image 9 is outside the dataset'));
    expect(store.busy).toBe(false);
  });
});
