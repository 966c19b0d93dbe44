/** The series pipeline shared by the run page and Compare: append live points, compact, smooth, draw as lines. */
import type { MetricPoint, Series } from '@common/domain';
import type { RequestOf } from '@common/contract';

export type Bucket = Series['points'][number];
/** One drawn point: [x, value], x a step or seconds of training. */
export type LinePoint = [number, number];
/** The axis Compare buckets along, as the contract names it. */
export type Axis = NonNullable<RequestOf<'runs.compare'>['x']>;

/** Past this many buckets a live series is halved, so a long run never outgrows the chart's pixels. */
export const MAX_SERIES_POINTS = 2000;

/** Merges neighbours pairwise, keeping the true min and max of each pair; an odd last bucket stays as it is. */
export function compact(points: readonly Bucket[]): Bucket[] {
  const out: Bucket[] = [];
  for (let i = 0; i < points.length; i += 2) {
    const a = points[i]!;
    const b = points[i + 1];
    out.push(
      b
        ? { step: a.step, min: Math.min(a.min, b.min), max: Math.max(a.max, b.max), mean: (a.mean + b.mean) / 2, ...(a.time !== undefined ? { time: a.time } : {}) }
        : { ...a },
    );
  }
  return out;
}

/**
 * Appends live metric points to `series` in place, one series per value key. A step at or before the
 * last one stored rewinds that series first (a run restarted from an earlier checkpoint).
 */
export function appendMetricPoints(series: Series[], points: readonly MetricPoint[], maxPoints = MAX_SERIES_POINTS): void {
  for (const point of points) {
    for (const [key, value] of Object.entries(point.values)) {
      if (!Number.isFinite(value)) continue;
      let target = series.find((s) => s.key === key);
      if (!target) {
        series.push({ key, points: [] });
        target = series[series.length - 1]!;
      }
      const buckets = target.points;
      while (buckets.length > 0 && buckets[buckets.length - 1]!.step >= point.step) buckets.pop();
      buckets.push({ step: point.step, min: value, max: value, mean: value, time: point.time });
      if (buckets.length > maxPoints) buckets.splice(0, buckets.length, ...compact(buckets));
    }
  }
}

/**
 * Joins a fetched (bucketed) history with the live points that arrived while it was in flight:
 * live buckets after the last fetched step are kept, the rest are already in the history.
 */
export function mergeFetched(fetched: readonly Series[], live: readonly Series[]): Series[] {
  const merged: Series[] = fetched.map((s) => ({ key: s.key, points: [...s.points] }));
  for (const l of live) {
    const target = merged.find((s) => s.key === l.key);
    if (!target) {
      merged.push({ key: l.key, points: [...l.points] });
      continue;
    }
    const last = target.points[target.points.length - 1]?.step ?? -Infinity;
    for (const b of l.points) if (b.step > last) target.points.push({ ...b });
  }
  return merged;
}

/** The mean of each bucket as a line, along steps or along seconds of training (buckets without a time are left out). */
export function toLine(points: readonly Bucket[] | undefined, axis: Axis = 'step'): LinePoint[] {
  if (!points) return [];
  if (axis === 'step') return points.map((b) => [b.step, b.mean]);
  const out: LinePoint[] = [];
  for (const b of points) if (b.time !== undefined) out.push([b.time, b.mean]);
  return out;
}

/** TensorBoard's debiased exponential moving average; weight 0 returns the line unchanged. */
export function smooth(line: readonly LinePoint[], weight: number): LinePoint[] {
  if (weight <= 0) return line.map(([s, v]) => [s, v]);
  const w = Math.min(weight, 0.999);
  let ema = 0;
  let n = 0;
  return line.map(([step, value]) => {
    n += 1;
    ema = ema * w + (1 - w) * value;
    return [step, ema / (1 - w ** n)];
  });
}

/** Total number of drawn points across series. */
export function countPoints(series: readonly { points: readonly unknown[] }[]): number {
  let n = 0;
  for (const s of series) n += s.points.length;
  return n;
}
