/** What the import dialog's choice of images or paired images means: the scan's layout, the paired layout, and two chosen folders as one upload under A/ and B/. */
import type { ImportLayout, PairedLayout } from '@common/datasets';
import type { UploadItem } from './folder-upload';

export const IMPORT_KINDS = ['images', 'paired-folders', 'paired-side-by-side'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** The paired import's layout, or null for ordinary images. */
export function pairedLayoutOf(kind: ImportKind): PairedLayout | null {
  return kind === 'paired-folders' ? 'folders' : kind === 'paired-side-by-side' ? 'side-by-side' : null;
}

/** The layout a scan counts with: A/ and B/ show as the two subfolders; side-by-side images have none. */
export function scanLayoutOf(kind: ImportKind, layout: ImportLayout): ImportLayout {
  return kind === 'paired-folders' ? 'classes' : kind === 'paired-side-by-side' ? 'flat' : layout;
}

/** One side's files re-rooted under `side/`: the chosen folder's own name gives way to A or B, whatever it was called. */
function underSide(side: 'A' | 'B', item: UploadItem): UploadItem {
  const rest = item.path.split('/').slice(1).join('/');
  return { path: `${side}/${rest || item.file.name}`, file: item.file };
}

/** The inputs' and the targets' folders as one upload session's files: `A/…` and `B/…`, as the server pairs them. */
export function pairedUploadItems(a: readonly UploadItem[], b: readonly UploadItem[]): UploadItem[] {
  return [...a.map((i) => underSide('A', i)), ...b.map((i) => underSide('B', i))];
}
