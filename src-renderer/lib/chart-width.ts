/** How many buckets a chart needs: about one per horizontal pixel of the window it is drawn in. */
export function chartPoints(fraction = 1): number {
  const width = typeof window === 'undefined' ? 1000 : window.innerWidth * fraction;
  return Math.max(100, Math.min(4000, Math.round(width)));
}
