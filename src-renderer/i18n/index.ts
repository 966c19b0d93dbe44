/** The i18n instance: both message tables, with English as the fallback. */
import { createI18n } from 'vue-i18n';
import en from './en';
import zhCN from './zh-CN';
import type { Locale } from './locales';

export { LOCALES, LOCALE_NAMES, isLocale, type Locale } from './locales';

export function createWorkbenchI18n(locale: Locale) {
  return createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages: { en, 'zh-CN': zhCN },
  });
}

export type WorkbenchI18n = ReturnType<typeof createWorkbenchI18n>;
