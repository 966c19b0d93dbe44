/** The augmentation preview: settings being tried, and previews computed by the trainer-side worker (debounced, latest wins). */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { AugmentSettings, type AugmentPreview } from '@common/datasets';
import type { AugmentPreviewSettings } from '../lib/augment-controls';
import { messageOf, useClient } from './client';

/** Slider moves closer together than this make one request. */
export const PREVIEW_DEBOUNCE_MS = 150;

export const useAugmentPreviewStore = defineStore('augmentPreview', () => {
  const client = useClient();

  const augment = ref<AugmentPreviewSettings>(AugmentSettings.parse({}));
  const seed = ref(0);
  /** What ADA would adapt: the probability of each DiffAugment policy. */
  const diffAugmentP = ref(1);
  const count = ref(6);
  const variants = ref(4);

  const preview = shallowRef<AugmentPreview | null>(null);
  const previewFor = ref<string | null>(null);
  const busy = ref(false);
  const error = ref<string | null>(null);
  /** Round trip of the last answered request, in milliseconds. */
  const roundTripMs = ref<number | null>(null);

  let timer: ReturnType<typeof setTimeout> | null = null;
  let inFlight = false;
  /** The dataset to preview once the request in flight answers. */
  let queued: string | null = null;

  async function send(datasetId: string): Promise<void> {
    if (inFlight) {
      queued = datasetId;
      return;
    }
    inFlight = true;
    busy.value = true;
    const started = performance.now();
    try {
      const answer = await client.call('datasets.augmentPreview', {
        id: datasetId,
        augment: augment.value,
        seed: seed.value,
        count: count.value,
        variants: variants.value,
        diffAugmentP: diffAugmentP.value,
      });
      roundTripMs.value = performance.now() - started;
      preview.value = answer;
      previewFor.value = datasetId;
      error.value = null;
    } catch (e) {
      error.value = messageOf(e);
    } finally {
      inFlight = false;
      busy.value = queued !== null;
    }
    if (queued !== null) {
      const next = queued;
      queued = null;
      await send(next);
    }
  }

  /** Asks for a preview after the settings have been still for PREVIEW_DEBOUNCE_MS. */
  function schedule(datasetId: string, delayMs = PREVIEW_DEBOUNCE_MS): void {
    if (timer) clearTimeout(timer);
    busy.value = true;
    timer = setTimeout(() => {
      timer = null;
      void send(datasetId);
    }, delayMs);
  }

  function setAugment(next: AugmentPreviewSettings, datasetId: string): void {
    augment.value = next;
    schedule(datasetId);
  }

  function setSeed(next: number, datasetId: string): void {
    seed.value = next;
    schedule(datasetId);
  }

  function setDiffAugmentP(next: number, datasetId: string): void {
    diffAugmentP.value = next;
    schedule(datasetId);
  }

  function reset(datasetId: string): void {
    augment.value = AugmentSettings.parse({});
    diffAugmentP.value = 1;
    schedule(datasetId, 0);
  }

  return { augment, seed, diffAugmentP, count, variants, preview, previewFor, busy, error, roundTripMs, schedule, setAugment, setSeed, setDiffAugmentP, reset };
});
