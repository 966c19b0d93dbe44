/** Import progress reports with a rate and an ETA, thinned to about ten a second except when the phase changes. */

export type ImportPhase = 'scanning' | 'decoding' | 'writing' | 'done';

export interface ImportProgress {
  phase: ImportPhase;
  done: number;
  total: number;
  rejected: number;
  /** Seconds left at the rate so far; null until it can be estimated. */
  etaSeconds: number | null;
  /** Files handled per second so far; null until measured. */
  perSecond: number | null;
}

export const PROGRESS_INTERVAL_MS = 100;
/** Below this much elapsed time a rate is mostly noise (the first files include warm-up). */
const MIN_RATE_WINDOW_MS = 300;

export function throttleProgress(
  listener: ((p: ImportProgress) => void) | undefined,
  intervalMs = PROGRESS_INTERVAL_MS,
  now: () => number = () => performance.now(),
): (p: ImportProgress) => void {
  if (!listener) return () => {};
  let lastPhase: ImportPhase | null = null;
  let lastAt = -Infinity;
  return (p) => {
    const t = now();
    if (p.phase === lastPhase && t - lastAt < intervalMs) return;
    lastPhase = p.phase;
    lastAt = t;
    listener({ ...p });
  };
}

/** Rate and time left of a phase with a known total, from its start (an average: steadier than a window). */
export function rateClock(now: () => number = () => performance.now()): (done: number, total: number) => Pick<ImportProgress, 'etaSeconds' | 'perSecond'> {
  const started = now();
  return (done, total) => {
    const elapsed = now() - started;
    if (done === 0 || elapsed < MIN_RATE_WINDOW_MS) return { etaSeconds: null, perSecond: null };
    const perSecond = (done * 1000) / elapsed;
    return { perSecond, etaSeconds: Math.max(0, total - done) / perSecond };
  };
}
