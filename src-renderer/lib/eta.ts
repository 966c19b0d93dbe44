/** Training speed and time left, read from the recent metric points (steps against seconds of training). */
import type { Bucket } from './series';

export interface Pace {
  /** Steps per second over the recent window. */
  stepsPerSec: number;
  /** Seconds until the last step at that pace. */
  etaSec: number;
}

/** Points within this many seconds of the newest one set the pace: recent enough to follow a slowdown. */
const WINDOW_SEC = 60;

export function paceOf(points: readonly Bucket[] | undefined, step: number, totalSteps: number): Pace | null {
  if (!points || points.length < 2) return null;
  const last = points[points.length - 1]!;
  if (last.time === undefined) return null;
  let first = last;
  for (let i = points.length - 2; i >= 0; i--) {
    const p = points[i]!;
    if (p.time === undefined || last.time - p.time > WINDOW_SEC) break;
    first = p;
  }
  const dt = last.time - (first.time ?? last.time);
  const ds = last.step - first.step;
  if (dt <= 0 || ds <= 0) return null;
  const stepsPerSec = ds / dt;
  return { stepsPerSec, etaSec: Math.max(0, totalSteps - step) / stepsPerSec };
}
