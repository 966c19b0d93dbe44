// @vitest-environment happy-dom
/** The first pairs of a paired dataset side by side: image i of A's sheets beside image i of B's, each cut from its own sheet at the same place. */
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, h, nextTick, type App } from 'vue';
import PairPreview from '../../../src-renderer/components/PairPreview.vue';
import { thumbCellStyle } from '../../../src-renderer/lib/thumb-cell';

let app: App | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
  document.body.innerHTML = '';
});

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
    const el = document.createElement('div');
    document.body.append(el);
    app = createApp({ render: () => h(PairPreview, { thumbsA: sheets('a'), thumbsB: sheets('b'), count: 3, sheetUrl: url, shown: 8, cell: 16 }) });
    app.mount(el);
    await nextTick();
    const pairs = [...el.querySelectorAll('[data-testid="pair-preview-item"]')];
    expect(pairs).toHaveLength(3);
    const cells = [...pairs[2]!.querySelectorAll<HTMLElement>('.cell')];
    expect(cells.map((c) => [c.title, c.style.backgroundImage.includes('datasets/a/') ? 'A' : 'B', c.style.backgroundPosition])).toEqual([
      ['A #2', 'A', '-32px 0px'],
      ['B #2', 'B', '-32px 0px'],
    ]);
  });
});
