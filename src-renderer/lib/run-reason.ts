/** The i18n key and parameters of a run's structured reason: the page reads fields, it never parses the prose. */
import type { RunReason } from '@common/run-reasons';
import { formatValue } from './format';

function bytes(n: number | undefined): string {
  if (n === undefined) return '?';
  const mb = n / (1024 * 1024);
  return mb >= 1024 ? `${(mb / 1024).toFixed(1)} GB` : `${mb.toFixed(mb < 10 ? 1 : 0)} MB`;
}

export function reasonMessage(r: RunReason): { key: string; params: Record<string, string | number> } {
  return {
    key: `reason.${r.code}`,
    params: {
      metric: r.metric ?? '?',
      value: typeof r.value === 'number' ? formatValue(r.value) : (r.value ?? '?'),
      step: r.step ?? '?',
      resumeStep: r.resumeStep ?? 0,
      needed: bytes(r.bytesNeeded),
      free: bytes(r.bytesFree),
      how: r.signal ?? (r.exitCode !== undefined ? `exit code ${r.exitCode}` : '?'),
      message: r.message,
    },
  };
}

const HEADINGS = new Set(['paused', 'failed', 'interrupted', 'stopped']);

export function reasonHeading(status: string): string {
  return `reason.heading.${HEADINGS.has(status) ? status : 'other'}`;
}
