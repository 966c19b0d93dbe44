// @vitest-environment happy-dom
/** The new-run dialog, mounted with real stores over the real contract, shows the model-size estimate and the budget, live as fields change. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, h, nextTick, type App } from 'vue';
import { createPinia } from 'pinia';
import { resolveConfigOrThrow } from '../../../src-main/common/config-resolve';
import type { Dataset } from '../../../src-main/common/domain';
import { estimateModelSize, formatCount } from '../../../src-main/common/model-size';
import { createClient } from '../../../src-main/common/client/client';
import NewRunDialog from '../../../src-renderer/components/NewRunDialog.vue';
import { createWorkbenchI18n } from '../../../src-renderer/i18n';
import { provideClient } from '../../../src-renderer/stores/client';
import { writeMnistFolder } from '../../fixtures/mnist-folder';
import { makeWorkbench, tempDir } from '../../fixtures/workbench';
import { realTransport } from './workbench-transport';

/** Server round trips on a loaded 2-core machine: generous. */
const WAIT = { timeout: 20_000, interval: 20 };

describe('model size in the new-run dialog', () => {
  const { workbench, hub } = makeWorkbench();
  let dataset: Dataset;
  let app: App;
  const root = () => document.body;
  const text = (testId: string) => root().querySelector(`[data-testid="${testId}"]`)?.textContent?.replace(/\s+/g, ' ').trim() ?? null;

  async function type(selector: string, value: string): Promise<void> {
    const input = root().querySelector<HTMLInputElement>(selector);
    if (!input) throw new Error(`no ${selector}`);
    input.value = value;
    input.dispatchEvent(new Event('input'));
    await nextTick();
  }

  beforeAll(async () => {
    const folder = tempDir('estimate-mnist');
    await writeMnistFolder(folder, 1);
    dataset = (await workbench.datasets.import({ path: folder, size: 28, channels: 1, layout: 'classes', fit: 'crop', background: '#000000' })).dataset;
    // A budget the dcgan preset on 28×28 digits (≈ 135 MB) does not fit.
    workbench.store.settings.update({ memoryBudgetMB: 100 });
    app = createApp({ render: () => h(NewRunDialog, { datasets: [dataset], initialDatasetId: dataset.id }) });
    provideClient(app, createClient(realTransport(workbench, hub)));
    app.use(createPinia());
    app.use(createWorkbenchI18n('en'));
    const el = document.createElement('div');
    document.body.append(el);
    app.mount(el);
  });
  afterAll(() => {
    app.unmount();
    workbench.close();
  });

  it('shows parameters and memory of the preset and says it is over the budget from settings', async () => {
    await vi.waitFor(() => expect(text('model-size-estimate')).toMatch(/^≈ 672 k parameters · ≈ \d+ MB while training$/), WAIT);
    await vi.waitFor(() => expect(text('model-size-budget')).toContain('over the memory budget of 100 MB'), WAIT);
    expect(root().querySelector('[data-testid="model-size"]')?.classList.contains('over')).toBe(true);
  });

  it('follows the batch size and the network width as they are typed', async () => {
    const memory = () => Number(/≈ (\d+) MB/.exec(text('model-size-estimate') ?? '')?.[1]);
    const before = memory();
    await type('[data-testid="run-batch"]', '8');
    await vi.waitFor(() => expect(memory()).toBeLessThan(before / 4), WAIT);
    expect(text('model-size-estimate')).toContain('672 k parameters');
    expect(text('model-size-budget')).toBe('within the memory budget of 100 MB');

    root().querySelector<HTMLButtonElement>('[data-testid="editor-toggle"]')?.click();
    await nextTick();
    await vi.waitFor(() => expect(root().querySelector('[data-testid="field-model.gWidth"]')).not.toBeNull(), WAIT);
    await type('[data-testid="field-model.gWidth"]', '16');
    const narrower = estimateModelSize(resolveConfigOrThrow({ preset: 'dcgan', config: { batchSize: 8, model: { gWidth: 16 } } }), { size: 28, channels: 1, numClasses: 0 });
    await vi.waitFor(() => expect(text('model-size-estimate')).toContain(`≈ ${formatCount(narrower.parameters)} parameters`), WAIT);
    expect(narrower.parameters).toBeLessThan(672_450);
    // An invalid value has no estimate until it is fixed.
    await type('[data-testid="run-batch"]', '1');
    await vi.waitFor(() => expect(text('model-size')).toContain('Size: —'), WAIT);
  });
});
