// @vitest-environment happy-dom
/** Paired imports in the renderer's components: the dialog's choice of images or pairs, two folders to choose for A/ and B/, the paired result; the first pairs side by side, image i of A beside image i of B. */
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, h, nextTick, type App, type Component } from 'vue';
import ImportDialog from '../../../src-renderer/components/ImportDialog.vue';
import PairPreview from '../../../src-renderer/components/PairPreview.vue';
import type { ImportOptions } from '../../../src-renderer/composables/use-import-flow';
import { createWorkbenchI18n } from '../../../src-renderer/i18n';
import { makeDataset } from './fake-transport';
import { thumbCellStyle } from '../../../src-renderer/lib/thumb-cell';

let app: App | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
  document.body.innerHTML = '';
});

async function mount(component: Component, props: Record<string, unknown>): Promise<HTMLElement> {
  const el = document.createElement('div');
  document.body.append(el);
  app = createApp({ render: () => h(component, props) });
  app.use(createWorkbenchI18n('en'));
  app.mount(el);
  await nextTick();
  return document.body;
}

const sheets = (prefix: string) => ({ side: 16, columns: 16, perSheet: 256, sheets: [`datasets/${prefix}/thumbs/sheet-0000.png`, `datasets/${prefix}/thumbs/sheet-0001.png`] });
const url = (sheet: string) => `app://files/${sheet}`;

describe('thumbnail cells and pairs', () => {
  it('places image i on its sheet, scaled to the cell', () => {
    expect(thumbCellStyle(sheets('a'), 17, 32, url)).toEqual({
      backgroundImage: 'url("app://files/datasets/a/thumbs/sheet-0000.png")',
      backgroundPosition: '-32px -32px',
      backgroundSize: '512px auto',
      width: '32px',
      height: '32px',
    });
    expect(thumbCellStyle(sheets('a'), 256 + 2, 16, url).backgroundImage).toContain('sheet-0001.png');
  });

  it('shows at most `shown` pairs, A beside B at the same index', async () => {
    const el = await mount(PairPreview, { thumbsA: sheets('a'), thumbsB: sheets('b'), count: 3, sheetUrl: url, shown: 8, cell: 16 });
    const pairs = [...el.querySelectorAll('[data-testid="pair-preview-item"]')];
    expect(pairs).toHaveLength(3);
    const cells = [...pairs[2]!.querySelectorAll<HTMLElement>('.cell')];
    expect(cells.map((c) => [c.title, c.style.backgroundImage.includes('datasets/a/') ? 'A' : 'B', c.style.backgroundPosition])).toEqual([
      ['A #2', 'A', '-32px 0px'],
      ['B #2', 'B', '-32px 0px'],
    ]);
  });
});

describe('the import dialog with pairs', () => {
  const options: ImportOptions = { kind: 'paired-folders', size: 64, channels: 3, layout: 'classes', fit: 'crop', background: '#000000', name: '' };
  const base = {
    path: '',
    queue: [],
    options,
    canSubmit: false,
    browserMode: true,
    canUpload: true,
    upload: null,
    uploadError: null,
    scan: null,
    scanning: false,
    scanError: null,
    importing: false,
    cancelling: false,
    progress: null,
    result: null,
    pairedResult: null,
    pairSides: { a: { name: 'trainA', files: 12 }, b: null },
    error: null,
    locale: 'en',
  };

  const byId = (el: HTMLElement, id: string) => el.querySelector<HTMLElement>(`[data-testid="${id}"]`);

  it('asks for the A and B folders, says which is chosen, explains the layout and hides the class layout', async () => {
    const el = await mount(ImportDialog, base);
    expect((byId(el, 'import-kind') as HTMLSelectElement).value).toBe('paired-folders');
    expect(byId(el, 'import-kind-hint')?.textContent).toContain('Subfolders A/ (inputs) and B/ (targets)');
    expect(byId(el, 'import-layout')).toBeNull();
    expect(byId(el, 'import-pick')).toBeNull();
    expect(byId(el, 'import-pick-a')?.textContent).toContain('Choose the A folder');
    expect(byId(el, 'import-pick-b')?.textContent).toContain('Choose the B folder');
    expect(byId(el, 'import-chosen-a')?.textContent).toContain('A: trainA (12 files)');
    expect(byId(el, 'import-chosen-b')).toBeNull();
  });

  it('shows a paired result with both names, the count of pairs and the rejects', async () => {
    const a = makeDataset({ id: 'ds_pa01', name: 'maps · A', count: 7 });
    const b = makeDataset({ id: 'ds_pb01', name: 'maps · B', count: 7 });
    const el = await mount(ImportDialog, { ...base, pairedResult: { a, b, rejected: [{ file: 'B/9.png', reason: 'no partner in A/' }] } });
    expect(byId(el, 'import-paired-result')?.textContent).toContain('Imported 7 pairs into “maps · A” and “maps · B”.');
    expect(byId(el, 'import-rejects')?.textContent).toContain('no partner in A/');
    expect(byId(el, 'import-open-dataset')).not.toBeNull();
    expect(byId(el, 'import-submit')).toBeNull();
  });
});
