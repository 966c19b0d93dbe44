// @vitest-environment happy-dom
/** Grow on the run page: the dialog's request for each way of growing, the refusals shown beside their fields, the store's round trip, and the report of a grown run. */
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, effectScope, h, nextTick, type App, type VNode } from 'vue';
import type { Dataset, Run } from '../../../src-main/common/domain';
import { ApiError } from '../../../src-main/common/client/transport-port';
import type { GrowReport as Report } from '../../../src-main/common/grow';
import GrowDialog from '../../../src-renderer/components/run/GrowDialog.vue';
import GrowReport from '../../../src-renderer/components/run/GrowReport.vue';
import { useGrowDialog } from '../../../src-renderer/composables/use-grow-dialog';
import { createWorkbenchI18n } from '../../../src-renderer/i18n';
import { useRunGrowthStore } from '../../../src-renderer/stores/run-growth';
import { useRunsStore, type GrowRunRequest } from '../../../src-renderer/stores/runs';
import { makeDataset, makeRun, setupStores } from './fake-transport';

/** Links render as bare anchors with their text: no router is needed to read them. */
const RouterLinkStub = (_: unknown, { slots }: { slots: { default?: () => unknown } }) => h('a', slots.default?.() as never);

let app: App | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
  document.body.innerHTML = '';
});

const parent = makeRun({ id: 'run_parent01', name: 'mnist-14', status: 'completed', lastCheckpointStep: 30 });
const at14 = makeDataset({ id: 'ds_14', name: 'mnist 14', size: 14 });
const at28 = makeDataset({ id: 'ds_28', name: 'mnist 28', size: 28 });
const report: Report = {
  parentRunId: parent.id,
  parentStep: 30,
  change: 'size',
  summary: '14 × 14 → 28 × 28',
  fade: { from: 14, to: 28, images: 80 },
  weights: [
    { name: 'generator/dense/kernel', shape: [100, 392], fate: 'kept', from: 'generator/dense/kernel', fromShape: [100, 392], how: 'copied as it was' },
    { name: 'generator/up2/kernel', shape: [4, 4, 8, 8], fate: 'new', from: null, fromShape: null, how: 'a block of the new side: freshly initialized' },
  ],
  dropped: ['generator/to_rgb_14/kernel'],
  copiedValues: 39_200,
  totalValues: 40_000,
};

async function mount(render: () => VNode, locale: 'en' | 'zh-CN'): Promise<HTMLElement> {
  const el = document.createElement('div');
  document.body.append(el);
  app = createApp({ render });
  app.use(createWorkbenchI18n(locale));
  app.component('RouterLink', RouterLinkStub);
  app.mount(el);
  await nextTick();
  return el;
}

async function mountDialog(props: { datasets: Dataset[]; issues?: { path: string; message: string }[]; run?: Run }, locale: 'en' | 'zh-CN' = 'en') {
  const requests: GrowRunRequest[] = [];
  const el = await mount(
    () => h(GrowDialog, { run: props.run ?? parent, dataset: at14, datasets: props.datasets, issues: props.issues ?? [], onGrow: (r: GrowRunRequest) => requests.push(r) }),
    locale,
  );
  return { el, requests };
}

const find = <T extends HTMLElement>(el: HTMLElement, id: string) => el.querySelector<T>(`[data-testid="${id}"]`);
async function click(el: HTMLElement, id: string): Promise<void> {
  find<HTMLElement>(el, id)!.click();
  await nextTick();
}

describe('GrowDialog', () => {
  it('grows to twice the side on the dataset of that side, with the steps and fade it is given', async () => {
    const { el, requests } = await mountDialog({ datasets: [at14, at28] });
    expect([...find<HTMLSelectElement>(el, 'grow-dataset')!.options].map((o) => o.value)).toEqual(['ds_28']);
    const steps = find<HTMLInputElement>(el, 'grow-steps')!;
    steps.value = '40';
    steps.dispatchEvent(new Event('input'));
    const fade = find<HTMLInputElement>(el, 'grow-fade')!;
    fade.value = '80';
    fade.dispatchEvent(new Event('input'));
    await click(el, 'grow-submit');
    expect(requests).toEqual([{ id: parent.id, start: true, steps: 40, size: 28, datasetId: 'ds_28', fadeImages: 80 }]);
  });

  it('says to import the images at the larger side when no dataset has it, and will not grow there', async () => {
    const { el, requests } = await mountDialog({ datasets: [at14, at28] });
    await click(el, 'grow-size-56');
    expect(find(el, 'grow-dataset')).toBeNull();
    expect(find(el, 'grow-no-dataset')?.textContent).toContain('Import the same images again at size 56');
    expect(find<HTMLButtonElement>(el, 'grow-submit')!.disabled).toBe(true);
    await click(el, 'grow-submit');
    expect(requests).toEqual([]);
  });

  it('asks for twice the channels, and offers no deeper net where no block fits', async () => {
    const { el, requests } = await mountDialog({ datasets: [at14] });
    expect(find<HTMLInputElement>(el, 'grow-change-depth')!.disabled).toBe(true);
    expect(find(el, 'grow-deeper-no')?.textContent).toContain('14×14');
    await click(el, 'grow-change-width');
    await click(el, 'grow-submit');
    expect(requests).toEqual([{ id: parent.id, start: true, steps: parent.config.steps, widthFactor: 2 }]);
  });

  it('shows each refusal beside its field, and one without a field below', async () => {
    const issues = [
      { path: 'datasetId', message: 'dataset ds_28 holds 3-channel images' },
      { path: 'steps', message: 'must be at least 1' },
      { path: 'step', message: 'no checkpoint at step 7' },
    ];
    const { el } = await mountDialog({ datasets: [at14, at28], issues }, 'zh-CN');
    const shown = [...el.querySelectorAll<HTMLElement>('[data-testid="grow-issue"]')].map((p) => [p.dataset.path, p.textContent?.trim()]);
    expect(shown).toEqual([
      ['datasetId', 'dataset ds_28 holds 3-channel images'],
      ['steps', 'must be at least 1'],
      ['step', 'step: no checkpoint at step 7'],
    ]);
    expect(find(el, 'grow-submit')?.textContent?.trim()).toBe('增长');
  });
});

describe('useGrowDialog over the store', () => {
  it('stores the grown run and its report, then goes to it', async () => {
    const grown = makeRun({ id: 'run_grown001', parentRunId: parent.id, parentStep: 30, datasetId: 'ds_28' });
    const { transport } = setupStores({ 'runs.grow': () => ({ run: grown, report }) });
    const scope = effectScope();
    const went: string[] = [];
    const dialog = scope.run(() => useGrowDialog((id) => went.push(id)))!;
    dialog.open(parent);
    await dialog.grow({ id: parent.id, size: 28, datasetId: 'ds_28' });
    expect(transport.callsOf('runs.grow')).toEqual([{ id: parent.id, size: 28, datasetId: 'ds_28' }]);
    expect(went).toEqual(['run_grown001']);
    expect(dialog.source).toBeNull();
    expect(useRunsStore().byId('run_grown001')?.parentRunId).toBe(parent.id);
    expect(useRunGrowthStore().reports['run_grown001']).toEqual(report);
    scope.stop();
  });

  it('keeps the dialog open with the refused fields', async () => {
    setupStores({
      'runs.grow': () => {
        throw new ApiError('INVALID_REQUEST', 'no dataset', { issues: [{ path: 'datasetId', message: 'must have 28 × 28 images' }] });
      },
    });
    const scope = effectScope();
    const dialog = scope.run(() => useGrowDialog(() => undefined))!;
    dialog.open(parent);
    await dialog.grow({ id: parent.id, size: 28, datasetId: 'ds_14' });
    expect(dialog.source).not.toBeNull();
    expect(dialog.error).toBe('no dataset');
    expect(dialog.issues).toEqual([{ path: 'datasetId', message: 'must have 28 × 28 images' }]);
    scope.stop();
  });

  it('reads a single refused field too', async () => {
    setupStores({
      'runs.grow': () => {
        throw new ApiError('INVALID_REQUEST', 'only DCGAN runs can grow', { field: 'id' });
      },
    });
    const scope = effectScope();
    const dialog = scope.run(() => useGrowDialog(() => undefined))!;
    await dialog.grow({ id: parent.id, widthFactor: 2 });
    expect(dialog.issues).toEqual([{ path: 'id', message: 'only DCGAN runs can grow' }]);
    scope.stop();
  });
});

describe('GrowReport', () => {
  it('names the parent and the change, counts the weights by fate and the values copied, the fade, and lists every weight and the dropped ones', async () => {
    const el = await mount(() => h(GrowReport, { report, parentName: 'mnist-14' }), 'en');
    const text = (id: string) => find(el, id)?.textContent?.replace(/\s+/g, ' ').trim();
    expect(text('grow-summary')).toBe('Grown from mnist-14 at step 30: 14 × 14 → 28 × 28');
    expect(text('grow-counts')).toBe('1 kept · 0 widened · 1 new');
    expect(text('grow-copied')).toBe('39,200 of 40,000 trained values copied from the parent (98 %)');
    expect(text('grow-fade')).toBe('The new blocks fade in from 14×14 to 28×28 over 80 images.');
    expect([...el.querySelectorAll<HTMLElement>('[data-testid="grow-weight"]')].map((r) => r.dataset.fate)).toEqual(['kept', 'new']);
    expect(text('grow-dropped')).toContain('generator/to_rgb_14/kernel');
  });
});
