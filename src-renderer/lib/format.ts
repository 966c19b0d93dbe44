/** Small formatters for dates and numbers in the current locale. */

export function formatDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** Month, day and time: for dense places where the year is noise. */
export function formatShortDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(date);
}

export function formatInt(n: number | null | undefined, locale: string): string {
  if (n === null || n === undefined) return '';
  return new Intl.NumberFormat(locale).format(n);
}

/** Loss-like values: 4 significant digits, exponent for very small or large magnitudes. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  return Number(v.toPrecision(4)).toString();
}

/** Fraction done, 0..1. */
export function progressOf(step: number, total: number): number {
  if (total <= 0) return 0;
  return Math.max(0, Math.min(1, step / total));
}
