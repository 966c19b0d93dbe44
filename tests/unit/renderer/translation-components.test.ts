// @vitest-environment happy-dom
/** The translation parts of the renderer: the new-run dialog's task (what the dataset rules out, the server's refusals beside their field), captioned triplet grids, and Try it's form and result. */
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, h, nextTick, type App, type Component } from 'vue';
import type { Checkpoint, Translated } from '../../../src-main/common/domain';
import { TrainingConfig } from '../../../src-main/common/training-config';
import NewRunDialog from '../../../src-renderer/components/NewRunDialog.vue';
import LatestSample from '../../../src-renderer/components/run/LatestSample.vue';
import TryIt from '../../../src-renderer/components/run/TryIt.vue';
import { createWorkbenchI18n } from '../../../src-renderer/i18n';
import { createPinia } from 'pinia';
import { createClient } from '../../../src-main/common/client/client';
import { provideClient } from '../../../src-renderer/stores/client';
import { createFakeTransport, makeDataset } from './fake-transport';

let app: App | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
  document.body.innerHTML = '';
});

const settle = async () => {
  for (let i = 0; i < 5; i++) {
    await nextTick();
    await new Promise((r) => setTimeout(r, 0));
  }
};

async function mount(component: Component, props: Record<string, unknown>, withStores = false): Promise<HTMLElement> {
  const el = document.createElement('div');
  document.body.append(el);
  const root = createApp({ render: () => h(component, props) });
  if (withStores) {
    provideClient(root, createClient(createFakeTransport()));
    root.use(createPinia());
  }
  root.use(createWorkbenchI18n('en'));
  root.mount(el);
  app = root;
  await settle();
  return document.body;
}

const byId = <T extends Element = HTMLElement>(el: HTMLElement, id: string) => el.querySelector<T & HTMLElement>(`[data-testid="${id}"]`);
const allText = (el: HTMLElement, id: string) => [...el.querySelectorAll(`[data-testid="${id}"]`)].map((e) => e.textContent?.trim());

describe('the new-run dialog’s task', () => {
  const digits = makeDataset({ id: 'ds_digits', name: 'digits', size: 28, channels: 1 });
  const letters = makeDataset({ id: 'ds_letters', name: 'letters', size: 28, channels: 1 });
  const photos = makeDataset({ id: 'ds_photos', name: 'photos', size: 64, channels: 3 });

  async function choose(el: HTMLElement, id: string): Promise<void> {
    const input = byId<HTMLInputElement>(el, id)!;
    input.checked = true;
    input.dispatchEvent(new Event('change'));
    await settle();
  }

  it('offers paired tasks with colorization disabled for greyscale images, and turns evaluation off', async () => {
    const el = await mount(NewRunDialog, { datasets: [digits, letters, photos], initialDatasetId: digits.id }, true);
    expect(byId<HTMLInputElement>(el, 'run-task-generate')!.checked).toBe(true);
    await choose(el, 'run-task-paired');
    expect(byId<HTMLInputElement>(el, 'run-task-source-colorize')!.disabled).toBe(true);
    expect(byId<HTMLInputElement>(el, 'run-task-source-superres')!.disabled).toBe(false);
    expect(allText(el, 'run-task-problem')).toContain('Colorization needs colour images: “digits” is greyscale.');
    expect(byId(el, 'run-task-evaluation')).not.toBeNull();
    expect(byId<HTMLInputElement>(el, 'run-task-scale-2')!.checked).toBe(true);
  });

  it('lists domain B datasets of the same size and channels, the others disabled naming both sizes', async () => {
    const el = await mount(NewRunDialog, { datasets: [digits, letters, photos], initialDatasetId: digits.id }, true);
    await choose(el, 'run-task-unpaired');
    const select = byId<HTMLSelectElement>(el, 'run-task-datasetB')!;
    expect(select.value).toBe('ds_letters');
    const options = [...select.options].filter((o) => o.value);
    expect(options.map((o) => [o.value, o.disabled])).toEqual([
      ['ds_letters', false],
      ['ds_photos', true],
    ]);
    expect(options[1]!.textContent).toContain('domain A is 28×28 Grayscale, this one 64×64 RGB');
  });

  it('shows a server refusal of config.task.datasetB beside the domain B field', async () => {
    const config = TrainingConfig.parse({ task: { kind: 'unpaired', datasetB: 'ds_letters' } });
    const issues = [{ path: 'config.task.datasetB', message: 'dataset ds_letters (domain B) holds 28 × 28 images with 3 channel(s)' }];
    const el = await mount(
      NewRunDialog,
      {
        datasets: [digits, letters],
        mode: 'clone',
        source: { id: 'run_1', name: 'cycle', datasetId: digits.id, config, preset: null } as never,
        issues,
      },
      true,
    );
    const issue = el.querySelector('[data-testid="run-task-issue"][data-path="task.datasetB"]');
    expect(issue?.textContent).toBe(issues[0]!.message);
    // Once the config is edited, the refusal no longer speaks of it.
    const select = byId<HTMLSelectElement>(el, 'run-task-datasetB')!;
    select.dispatchEvent(new Event('change'));
    await settle();
    expect(el.querySelector('[data-testid="run-task-issue"][data-path="task.datasetB"]')).toBeNull();
  });
});

describe('captioned triplet grids', () => {
  it('puts the three captions above the latest sample of a translation run', async () => {
    const el = await mount(LatestSample, {
      sample: { runId: 'run_a', step: 20, path: 'runs/run_a/samples/20.png', rawPath: null },
      fileUrl: (p: string) => `file/${p}`,
      columns: ['input', 'output', 'target'],
    });
    expect(allText(el, 'triplet-caption')).toEqual(['input', 'output', 'target']);
  });
});

describe('TryIt', () => {
  const checkpoints: Checkpoint[] = [10, 20].map((step) => ({ runId: 'run_a', step, path: `runs/run_a/checkpoints/${step}`, createdAt: '', kid: null, best: step === 20, bestBy: 'newest' }));
  const base = { size: 28, checkpoints, busy: false, fileUrl: (p: string) => `file/${p}` };

  it('chooses the newest checkpoint, refuses tiles for inpainting with the reason, and asks no direction of a paired run', async () => {
    const task = TrainingConfig.parse({ task: { kind: 'paired', source: 'inpaint' } }).task;
    const el = await mount(TryIt, { ...base, task });
    expect(byId<HTMLSelectElement>(el, 'try-checkpoint')!.value).toBe('20');
    expect(byId<HTMLInputElement>(el, 'try-mode-tile')!.disabled).toBe(true);
    expect(allText(el, 'try-mode-problem')[0]).toContain('Inpainting fills holes');
    expect(byId(el, 'try-direction-ba')).toBeNull();
    expect(byId<HTMLButtonElement>(el, 'try-submit')!.disabled).toBe(true);
  });

  it('offers B → A for an unpaired run and shows refusals beside their fields', async () => {
    const task = TrainingConfig.parse({ task: { kind: 'unpaired', datasetB: 'ds_b' } }).task;
    const issues = [
      { path: 'image.data', message: 'x.png is not an image sharp can read' },
      { path: 'step', message: 'no checkpoint at step 10' },
    ];
    const el = await mount(TryIt, { ...base, task, issues });
    expect(byId<HTMLInputElement>(el, 'try-direction-ba')!.disabled).toBe(false);
    expect(byId<HTMLInputElement>(el, 'try-mode-tile')!.disabled).toBe(false);
    expect(el.querySelector('[data-testid="try-issue"][data-path="image"]')?.textContent).toBe(issues[0]!.message);
    expect(el.querySelector('[data-testid="try-issue"][data-path="step"]')?.textContent).toBe(issues[1]!.message);
  });

  it('shows the input and output side by side from the data directory, with the output to download', async () => {
    const task = TrainingConfig.parse({ task: { kind: 'paired' } }).task;
    const result: Translated = { runId: 'run_a', step: 20, mode: 'resize', direction: 'ab', width: 28, height: 28, input: 'runs/run_a/translated/in.png', output: 'runs/run_a/translated/out.png', outputPng: '' };
    const el = await mount(TryIt, { ...base, task, result });
    expect(byId<HTMLImageElement>(el, 'try-input-image')!.getAttribute('src')).toBe('file/runs/run_a/translated/in.png');
    expect(byId<HTMLImageElement>(el, 'try-output-image')!.getAttribute('src')).toBe('file/runs/run_a/translated/out.png');
    expect(byId<HTMLAnchorElement>(el, 'try-download')!.getAttribute('href')).toBe('file/runs/run_a/translated/out.png');
    expect(byId<HTMLAnchorElement>(el, 'try-download')!.hasAttribute('download')).toBe(true);
  });
});
