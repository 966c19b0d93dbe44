/** The explanation of a config field in the UI's language, falling back to English, then to the path itself. */
import { configFieldsEn, type FieldText } from '../i18n/config-fields.en';
import { configFieldsZhCN } from '../i18n/config-fields.zh-CN';

const TABLES: Record<string, Record<string, FieldText>> = { en: configFieldsEn, 'zh-CN': configFieldsZhCN };

export function fieldText(locale: string, path: string): FieldText {
  return TABLES[locale]?.[path] ?? configFieldsEn[path] ?? { label: path, what: '', when: '' };
}
