/** Every label of the experiment pages, the settings and the dataset pages (with the import dialog) compiles and renders in both languages, with the same parameters. */
import { describe, expect, it } from 'vitest';
import { createWorkbenchI18n } from '../../../src-renderer/i18n';
import experimentsEn from '../../../src-renderer/i18n/experiments.en';
import experimentsZhCN from '../../../src-renderer/i18n/experiments.zh-CN';
import settingsEn from '../../../src-renderer/i18n/settings.en';
import settingsZhCN from '../../../src-renderer/i18n/settings.zh-CN';
import datasetsEn from '../../../src-renderer/i18n/datasets.en';
import datasetsZhCN from '../../../src-renderer/i18n/datasets.zh-CN';

type Tree = { [k: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [[`${prefix}${k}`, v] as [string, string]] : leaves(v, `${prefix}${k}.`)));
}

const params = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe.each([
  ['experiment', experimentsEn, experimentsZhCN],
  ['settings', settingsEn, settingsZhCN],
  ['dataset', datasetsEn, datasetsZhCN],
] as const)('%s labels', (_, enTable, zhTable) => {
  const en = leaves(enTable as unknown as Tree);
  const zh = new Map(leaves(zhTable as unknown as Tree));

  it('take the same named parameters in Chinese as in English', () => {
    for (const [key, text] of en) expect(params(zh.get(key) ?? ''), key).toEqual(params(text));
  });

  it.each(['en', 'zh-CN'] as const)('compile and render in %s', (locale) => {
    const i18n = createWorkbenchI18n(locale);
    for (const [key, text] of en) {
      const values = Object.fromEntries(params(text).map((p) => [p, `<${p}>`]));
      const out = i18n.global.t(key, values);
      expect(out, key).not.toBe(key);
      for (const p of params(text)) expect(out, key).toContain(`<${p}>`);
    }
  });
});
