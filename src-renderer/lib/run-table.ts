/** The runs table's rows: one flat record per run, sorted and filtered by what a person types or clicks. */
import type { Run, RunStatus, RunSummary } from '@common/domain';

export interface RunRow {
  id: string;
  name: string;
  status: RunStatus;
  dataset: string;
  preset: string;
  tags: string[];
  step: number;
  steps: number;
  createdAt: string;
  /** Last value of each metric. */
  last: Record<string, number | null>;
  best: RunSummary['best'];
}

export type SortKey = 'name' | 'status' | 'dataset' | 'preset' | 'step' | 'createdAt' | `last:${string}` | 'best';
export interface Sort {
  key: SortKey;
  dir: 'asc' | 'desc';
}

export interface Filter {
  text: string;
  status: RunStatus | '';
  dataset: string;
  preset: string;
  tag: string;
}

export const EMPTY_FILTER: Filter = { text: '', status: '', dataset: '', preset: '', tag: '' };

export function toRow(run: Run, datasetName: string, summary: RunSummary | undefined): RunRow {
  return {
    id: run.id,
    name: run.name,
    status: run.status,
    dataset: datasetName,
    preset: run.preset ?? '',
    tags: run.tags,
    step: run.step,
    steps: run.config.steps,
    createdAt: run.createdAt,
    last: summary?.last ?? {},
    best: summary?.best ?? null,
  };
}

function sortValue(row: RunRow, key: SortKey): string | number | null {
  if (key.startsWith('last:')) return row.last[key.slice(5)] ?? null;
  // By KID, lower first; a run whose best is only its newest checkpoint has no value to rank by.
  if (key === 'best') return row.best?.kid ?? null;
  return row[key as Exclude<SortKey, `last:${string}` | 'best'>];
}

/** Stable sort; rows without a value go last whichever way the column is sorted. */
export function sortRows(rows: readonly RunRow[], sort: Sort): RunRow[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i, v: sortValue(row, sort.key) }))
    .sort((a, b) => {
      if (a.v === null || b.v === null) return a.v === b.v ? a.i - b.i : a.v === null ? 1 : -1;
      const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : String(a.v).localeCompare(String(b.v));
      return c !== 0 ? sign * c : a.i - b.i;
    })
    .map((x) => x.row);
}

export function filterRows(rows: readonly RunRow[], f: Filter): RunRow[] {
  const text = f.text.trim().toLowerCase();
  return rows.filter(
    (r) =>
      (!text || [r.name, r.id, r.dataset, r.preset, ...r.tags].some((s) => s.toLowerCase().includes(text))) &&
      (!f.status || r.status === f.status) &&
      (!f.dataset || r.dataset === f.dataset) &&
      (!f.preset || r.preset === f.preset) &&
      (!f.tag || r.tags.includes(f.tag)),
  );
}
