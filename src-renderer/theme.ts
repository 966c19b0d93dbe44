/** The one place for colors: CSS custom properties for the stylesheets and the ECharts series palette. */
import type { RunStatus } from '@common/domain';

export const colors = {
  bg: '#f4f5f7',
  surface: '#ffffff',
  surfaceAlt: '#f8f9fb',
  surfaceHover: '#eef1f6',
  border: '#dfe3e8',
  borderStrong: '#c5ccd6',
  text: '#1c2330',
  textMuted: '#5e6878',
  textFaint: '#8b94a3',
  accent: '#3763e8',
  accentHover: '#2a52cc',
  accentSoft: '#e6ecfd',
  danger: '#d43c3c',
  dangerSoft: '#fdeaea',
  warning: '#c77c02',
  warningSoft: '#fdf3df',
  success: '#23914a',
  successSoft: '#e3f4e8',
  nav: '#161b26',
  navText: '#aab3c2',
  navTextActive: '#ffffff',
  navActive: '#273044',
  overlay: 'rgba(18, 22, 32, 0.45)',
  focus: 'rgba(55, 99, 232, 0.35)',
} as const;

/** Badge colors per run status: [text, background]. */
export const statusColors: Record<RunStatus, readonly [string, string]> = {
  queued: ['#5e6878', '#eceff3'],
  running: ['#1f5fd6', '#e3ebfd'],
  paused: [colors.warning, colors.warningSoft],
  completed: [colors.success, colors.successSoft],
  stopped: ['#5e6878', '#eceff3'],
  failed: [colors.danger, colors.dangerSoft],
  interrupted: ['#a1470a', '#fbe9dc'],
};

/** Line colors for chart series, in order; fixed colors for the well-known metrics. */
export const seriesPalette = [
  '#3763e8',
  '#e8590c',
  '#2f9e44',
  '#c2255c',
  '#7048e8',
  '#0c8599',
  '#f08c00',
  '#5c6470',
  '#1098ad',
  '#a61e4d',
] as const;

export const metricColors: Record<string, string> = {
  d_loss: '#3763e8',
  g_loss: '#e8590c',
  d_real: '#2f9e44',
  d_fake: '#c2255c',
};

export function seriesColor(index: number): string {
  return seriesPalette[index % seriesPalette.length] ?? seriesPalette[0];
}

/** Colors ECharts draws axes, grid and text with. */
export const chartColors = {
  axisLine: colors.borderStrong,
  splitLine: '#edf0f4',
  text: colors.textMuted,
  tooltipBg: 'rgba(28, 35, 48, 0.92)',
  tooltipText: '#ffffff',
  zoomFill: 'rgba(55, 99, 232, 0.12)',
} as const;

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Writes the palette as `--c-<name>` properties on the root element (CSSOM, allowed by the CSP). */
export function applyTheme(root: HTMLElement = document.documentElement): void {
  for (const [name, value] of Object.entries(colors)) root.style.setProperty(`--c-${kebab(name)}`, value);
  for (const [status, [fg, bg]] of Object.entries(statusColors)) {
    root.style.setProperty(`--c-status-${status}`, fg);
    root.style.setProperty(`--c-status-${status}-bg`, bg);
  }
}
