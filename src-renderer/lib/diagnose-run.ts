/** Feeds the diagnostics with what the run page has: bucket means as curves, and the NaN the trainer reported, if any. */
import type { Series } from '@common/domain';
import type { Curves, DiagnoseOptions } from '@common/diagnostics';

export function curvesOf(series: readonly Series[] | undefined): Curves {
  const out: Record<string, { step: number; value: number }[]> = {};
  for (const s of series ?? []) out[s.key] = s.points.map((p) => ({ step: p.step, value: p.mean }));
  return out;
}

/** The trainer pauses with "<key> became NaN at step <n>…" when a value stops being finite. */
export function nonFiniteIn(texts: readonly (string | null | undefined)[]): DiagnoseOptions['nonFinite'] {
  for (const text of texts) {
    const m = text?.match(/(\w+) became (NaN|-?Infinity) at step (\d+)/);
    if (m) return { key: m[1]!, step: Number(m[3]) };
  }
  return null;
}
