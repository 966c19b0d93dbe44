/** Feeds the diagnostics with what the run page has: bucket means as curves, and the NaN the trainer reported, if any. */
import type { Series } from '@common/domain';
import type { Curves, DiagnoseOptions } from '@common/diagnostics';
import type { RunReason } from '@common/run-reasons';

export function curvesOf(series: readonly Series[] | undefined): Curves {
  const out: Record<string, { step: number; value: number }[]> = {};
  for (const s of series ?? []) out[s.key] = s.points.map((p) => ({ step: p.step, value: p.mean }));
  return out;
}

/** The first reason (the run's own, then its events' newest first) saying a value stopped being finite, read field by field. */
export function nonFiniteIn(reasons: readonly (RunReason | null | undefined)[]): DiagnoseOptions['nonFinite'] {
  for (const r of reasons) {
    if ((r?.code === 'NON_FINITE' || r?.code === 'NON_FINITE_NO_CHECKPOINT') && r.metric !== undefined && r.step !== undefined) {
      return { key: r.metric, step: r.step };
    }
  }
  return null;
}
