// @vitest-environment happy-dom
/** The run page's latest sample: the EMA's and the raw G's grids side by side, labelled in both languages, while a raw grid exists; one grid otherwise. */
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, h, nextTick, type App } from 'vue';
import type { Sample } from '../../../src-main/common/domain';
import LatestSample from '../../../src-renderer/components/run/LatestSample.vue';
import { createWorkbenchI18n } from '../../../src-renderer/i18n';

let app: App | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
  document.body.innerHTML = '';
});

async function mount(sample: Sample | undefined, locale: 'en' | 'zh-CN', note?: string): Promise<HTMLElement> {
  const el = document.createElement('div');
  document.body.append(el);
  app = createApp({ render: () => h(LatestSample, { sample, fileUrl: (path: string) => `file/${path}`, note }) });
  app.use(createWorkbenchI18n(locale));
  app.mount(el);
  await nextTick();
  return el;
}

const testId = (el: HTMLElement, id: string) => el.querySelector<HTMLImageElement>(`[data-testid="${id}"]`);
const captions = (el: HTMLElement) => [...el.querySelectorAll('figcaption')].map((c) => c.textContent?.replace(/\s+/g, ' ').trim());

describe('LatestSample', () => {
  const warming: Sample = { runId: 'run_a', step: 400, path: 'runs/run_a/samples/400.png', rawPath: 'runs/run_a/samples/400-raw.png' };

  it('shows "EMA" and "raw G" side by side while the EMA warms up', async () => {
    const el = await mount(warming, 'en');
    expect(testId(el, 'sample-latest')?.getAttribute('src')).toBe('file/runs/run_a/samples/400.png');
    expect(testId(el, 'sample-latest-raw')?.getAttribute('src')).toBe('file/runs/run_a/samples/400-raw.png');
    expect(captions(el)).toEqual(['EMA step 400', 'raw G step 400']);
    expect(testId(el, 'sample-latest-raw')?.getAttribute('alt')).toBe('raw G sample grid at step 400');
    expect(testId(el, 'sample-warming')?.textContent).toContain('warming up');
  });

  it('labels them in Chinese', async () => {
    const el = await mount(warming, 'zh-CN');
    expect(captions(el)).toEqual(['EMA 第 400 步', '原始生成器 第 400 步']);
    expect(testId(el, 'sample-warming')?.textContent).toContain('预热');
  });

  it('shows one unlabelled grid once the EMA has warmed up (or without EMA), and a note before any sample', async () => {
    const el = await mount({ ...warming, rawPath: null }, 'en');
    expect(testId(el, 'sample-latest-raw')).toBeNull();
    expect(testId(el, 'sample-warming')).toBeNull();
    expect(captions(el)).toEqual(['step 400']);
    app?.unmount();
    const empty = await mount(undefined, 'en');
    expect(empty.textContent).toContain('No samples yet.');
  });

  it('says the side an early grid of a growing run was drawn at, under each grid', async () => {
    const el = await mount({ ...warming, rawPath: null }, 'en', '14×14, upscaled');
    expect(captions(el)).toEqual(['step 400 · 14×14, upscaled']);
    app?.unmount();
    // Exactly, not only after folding whitespace: the end-to-end tests read the pair's captions as they are.
    const pair = await mount(warming, 'en', '14×14, upscaled');
    expect([...pair.querySelectorAll('figcaption')].map((c) => c.textContent)).toEqual(['EMA step 400 · 14×14, upscaled', 'raw G step 400 · 14×14, upscaled']);
    app?.unmount();
    const plain = await mount({ ...warming, rawPath: null }, 'en');
    expect(plain.querySelector('[data-testid="sample-side"]')).toBeNull();
  });
});
