/** Import progress reports, thinned to about ten a second except when the phase changes. */

export type ImportPhase = 'scanning' | 'decoding' | 'writing' | 'done';

export interface ImportProgress {
  phase: ImportPhase;
  done: number;
  total: number;
  rejected: number;
}

export const PROGRESS_INTERVAL_MS = 100;

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
