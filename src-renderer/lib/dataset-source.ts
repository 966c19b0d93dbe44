/** How a dataset's source reads in the UI: its folder, or "uploaded from the browser: <name>". */
import { UPLOAD_SOURCE_PREFIX as UPLOAD_PREFIX } from '@common/datasets';

export function sourceLabel(sourcePath: string, t: (key: string, values?: Record<string, unknown>) => string): string {
  return sourcePath.startsWith(UPLOAD_PREFIX) ? t('datasets.uploadedFrom', { name: sourcePath.slice(UPLOAD_PREFIX.length) }) : sourcePath;
}
