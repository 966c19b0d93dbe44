// @vitest-environment happy-dom
/** The dataset page's classifier line: its held-out accuracy per class, that it trains, why it failed or why the dataset cannot have one, and the button to train it (again), in both languages. */
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, h, nextTick, type App } from 'vue';
import type { Dataset } from '../../../src-main/common/domain';
import ClassifierFacts from '../../../src-renderer/components/ClassifierFacts.vue';
import { createWorkbenchI18n } from '../../../src-renderer/i18n';
import { datasetRow } from '../../fixtures/store-rows';

let app: App | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
  document.body.innerHTML = '';
});

async function mount(dataset: Dataset, locale: 'en' | 'zh-CN' = 'en'): Promise<{ el: HTMLElement; trains: number[] }> {
  const el = document.createElement('div');
  document.body.append(el);
  const trains: number[] = [];
  app = createApp({ render: () => h(ClassifierFacts, { dataset, busy: false, onTrain: () => trains.push(1) }) });
  app.use(createWorkbenchI18n(locale));
  app.mount(el);
  await nextTick();
  return { el, trains };
}

const classes = ['cat', 'dog'];
const ready: Dataset['classifier'] = {
  status: 'ready',
  network: 'in-domain-cnn64-0123456789ab',
  accuracy: 0.9125,
  classAccuracy: [0.95, null],
  heldOutImages: 400,
  featureScale: 0.25,
  trainImages: 3600,
  epochs: 7,
  steps: 392,
  seconds: 21.44,
  backend: 'wasm',
  trainedAt: '2026-01-01T00:00:00.000Z',
};
const text = (el: HTMLElement) => el.querySelector('[data-testid="dataset-classifier"]')!.textContent!.replace(/\s+/g, ' ').trim();

describe('ClassifierFacts', () => {
  it('ready: the held-out accuracy, how it was trained, per class, and Train again', async () => {
    const { el, trains } = await mount(datasetRow('ds_cls00001', { classes, heldOut: 400, classifier: ready }));
    expect(el.querySelector('[data-testid="dataset-classifier"]')!.getAttribute('data-status')).toBe('ready');
    expect(el.querySelector('[data-testid="classifier-accuracy"]')!.textContent).toBe('91.3% right on 400 held-out images');
    expect(text(el)).toContain('trained on 3,600 images, 7 epochs, 21.4 s (wasm)');
    expect([...el.querySelectorAll('.per-class .class')].map((c) => c.textContent!.trim())).toEqual(['cat 95.0%', 'dog —']);
    const button = el.querySelector<HTMLButtonElement>('[data-testid="classifier-train"]')!;
    expect(button.textContent!.trim()).toBe('Train again');
    button.click();
    expect(trains).toHaveLength(1);
  });

  it('training: says so, with no button; failed: the reason and Train again', async () => {
    const { el } = await mount(datasetRow('ds_cls00002', { classes, heldOut: 400, classifier: { status: 'training', startedAt: 'x' } }));
    expect(el.querySelector('[data-testid="classifier-training"]')).not.toBeNull();
    expect(el.querySelector('[data-testid="classifier-train"]')).toBeNull();
    app!.unmount();
    const failed = await mount(datasetRow('ds_cls00003', { classes, heldOut: 400, classifier: { status: 'failed', error: 'out of memory', at: 'x' } }));
    expect(failed.el.querySelector('[data-testid="classifier-failed"]')!.textContent).toBe('training failed: out of memory');
    expect(failed.el.querySelector('[data-testid="classifier-train"]')!.textContent!.trim()).toBe('Train again');
  });

  it('a dataset without classes or without a held-out split says why it has none, and offers no button', async () => {
    const { el } = await mount(datasetRow('ds_cls00004', { classes: [], heldOut: 400 }));
    expect(text(el)).toContain('none: the dataset has no classes');
    expect(el.querySelector('[data-testid="classifier-train"]')).toBeNull();
    app!.unmount();
    const small = await mount(datasetRow('ds_cls00005', { classes, heldOut: 0 }), 'zh-CN');
    expect(text(small.el)).toContain('没有用于衡量的留出集');
  });

  it('a dataset imported before classifiers existed offers to train one', async () => {
    const { el } = await mount(datasetRow('ds_cls00006', { classes, heldOut: 400 }));
    expect(text(el)).toContain('not trained yet');
    expect(el.querySelector('[data-testid="classifier-train"]')!.textContent!.trim()).toBe('Train');
  });
});
