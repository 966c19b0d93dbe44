// @vitest-environment happy-dom
/** The run page's export panel and the confidence filter of a synthetic dataset export: offered when the dataset's classifier is ready, else disabled with the reason, in both languages. */
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, h, nextTick, type App } from 'vue';
import type { Checkpoint, Dataset } from '../../../src-main/common/domain';
import ExportPanel from '../../../src-renderer/components/run/ExportPanel.vue';
import { createWorkbenchI18n } from '../../../src-renderer/i18n';
import type { ExportRequest } from '../../../src-renderer/stores/run-export';
import { datasetRow } from '../../fixtures/store-rows';

let app: App | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
  document.body.innerHTML = '';
});

const checkpoints: Checkpoint[] = [{ runId: 'run_abcd0001', step: 40, path: 'runs/run_abcd0001/checkpoints/40', createdAt: 'x', kid: null, best: true, bestBy: 'newest' }];
const ready: Dataset['classifier'] = {
  status: 'ready',
  network: 'in-domain-cnn64-0123456789ab',
  accuracy: 0.95,
  classAccuracy: [0.95, 0.95],
  heldOutImages: 400,
  featureScale: 0.25,
  trainImages: 3600,
  epochs: 7,
  steps: 392,
  seconds: 21.4,
  backend: 'wasm',
  trainedAt: '2026-01-01T00:00:00.000Z',
};

async function mount(dataset: Dataset, conditional: boolean, locale: 'en' | 'zh-CN' = 'en'): Promise<{ el: HTMLElement; requests: ExportRequest[] }> {
  const el = document.createElement('div');
  document.body.append(el);
  const requests: ExportRequest[] = [];
  app = createApp({
    render: () => h(ExportPanel, { checkpoints, results: [], busy: false, imported: {}, conditional, dataset, onExport: (r: ExportRequest) => requests.push(r) }),
  });
  app.use(createWorkbenchI18n(locale));
  // The results' links need no router here: none is rendered before an export.
  app.component('RouterLink', () => null);
  app.mount(el);
  await nextTick();
  el.querySelector<HTMLInputElement>('[data-testid="export-format-dataset"]')!.click();
  await nextTick();
  return { el, requests };
}

const find = <T extends HTMLElement>(el: HTMLElement, id: string) => el.querySelector<T>(`[data-testid="${id}"]`);

async function submit(el: HTMLElement): Promise<void> {
  find<HTMLButtonElement>(el, 'export-submit')!.click();
  await nextTick();
}

describe('ExportPanel’s confidence filter', () => {
  it('is disabled with the reason when the dataset has no classifier, and the export asks for none', async () => {
    const { el, requests } = await mount(datasetRow('ds_exp00001', { classes: ['cat', 'dog'], heldOut: 0 }), true);
    expect(find<HTMLInputElement>(el, 'export-filter')!.disabled).toBe(true);
    expect(find<HTMLInputElement>(el, 'export-min-confidence')!.disabled).toBe(true);
    expect(find(el, 'export-filter-blocked')!.textContent).toMatch(/no held-out split/);
    await submit(el);
    expect(requests).toEqual([{ step: 40, format: 'dataset', count: 1000, balanced: true }]);
  });

  it('says why while the classifier trains, in Chinese too', async () => {
    const { el } = await mount(datasetRow('ds_exp00002', { classes: ['cat', 'dog'], heldOut: 400, classifier: { status: 'training', startedAt: 'x' } }), true, 'zh-CN');
    expect(find<HTMLInputElement>(el, 'export-filter')!.disabled).toBe(true);
    expect(find(el, 'export-filter-blocked')!.textContent).toBe('数据集的分类器训练完成前不可用');
  });

  it('with a ready classifier, sends the threshold; an unconditional run may then balance the classes the classifier files', async () => {
    const { el, requests } = await mount(datasetRow('ds_exp00003', { classes: ['cat', 'dog'], heldOut: 400, classifier: ready }), false);
    expect(find(el, 'export-filter-blocked')).toBeNull();
    // Unconditional and unfiltered: there are no classes to balance.
    expect(find(el, 'export-balanced')).toBeNull();
    find<HTMLInputElement>(el, 'export-filter')!.click();
    await nextTick();
    const threshold = find<HTMLInputElement>(el, 'export-min-confidence')!;
    expect(threshold.disabled).toBe(false);
    threshold.value = '0.8';
    threshold.dispatchEvent(new Event('input'));
    expect(el.textContent).toContain('each image is judged on, and filed under, the class the classifier reads in it');
    find<HTMLInputElement>(el, 'export-balanced')!.click();
    await nextTick();
    await submit(el);
    expect(requests).toEqual([{ step: 40, format: 'dataset', count: 1000, balanced: false, minConfidence: 0.8 }]);
  });
});
