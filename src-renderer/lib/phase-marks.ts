/** Progressive growing as the charts and sample grids show it: where each side fades in, and the side a sample grid was drawn at. */
import { phaseMarks, progressivePhases, stageAt, type PhaseMark } from '@common/progressive';
import type { TrainingConfig } from '@common/training-config';

/** A phase mark as a chart draws it; Compare colours each run's marks as its curves. */
export interface ChartMark extends PhaseMark {
  color?: string;
}

/** "14×14": how the UI names an image side. */
export const sideLabel = (size: number): string => `${size}×${size}`;

/** The phase marks of a run on its dataset; none while the dataset's size is unknown (not loaded yet) or the run does not grow. */
export function runPhaseMarks(config: TrainingConfig | undefined, datasetSize: number | undefined, color?: string): ChartMark[] {
  if (config === undefined || datasetSize === undefined || !config.progressive.enabled) return [];
  const marks = phaseMarks(config, datasetSize);
  return color === undefined ? marks : marks.map((m) => ({ ...m, color }));
}

/** The sides that start fading in on a chart, ascending and once each: the chart's `data-phase-marks`. */
export function markedSides(marks: readonly PhaseMark[]): number[] {
  return [...new Set(marks.filter((m) => m.kind === 'fade-start').map((m) => m.size))].sort((a, b) => a - b);
}

/** One vertical line of an ECharts markLine: solid and labelled with the side where it starts fading in, dashed and unlabelled where its fade ends. */
export interface MarkLineItem {
  xAxis: number;
  name: string;
  lineStyle: { type: 'solid' | 'dashed'; color: string; width: number };
  label: { show: boolean; formatter: string; position: 'end'; color: string; fontSize: number };
}

export function markLineItems(marks: readonly ChartMark[], fallbackColor: string, labels = true): MarkLineItem[] {
  return marks.map((m) => {
    const color = m.color ?? fallbackColor;
    const start = m.kind === 'fade-start';
    return {
      xAxis: m.step,
      name: sideLabel(m.size),
      lineStyle: { type: start ? 'solid' : 'dashed', color, width: 1 },
      label: { show: labels && start, formatter: sideLabel(m.size), position: 'end', color, fontSize: 10 },
    };
  });
}

/**
 * What a sample grid of a growing run shows, when it is not simply the full side: the side G drew at
 * (the grid is stored upscaled to the full side) and, while a larger side fades in, that side and α.
 * Null when the grid is the full side at full strength, or the run does not grow.
 */
export interface SampleSide {
  /** The side G's drawing is upscaled from: the stage's side, or while fading, the side below it. */
  side: number;
  /** The side fading in, with its α in [0, 1); null outside a fade. */
  fadingTo: { size: number; alpha: number } | null;
}

export function sampleSide(config: TrainingConfig | undefined, datasetSize: number | undefined, step: number): SampleSide | null {
  if (config === undefined || datasetSize === undefined) return null;
  const phases = progressivePhases(config, datasetSize);
  if (phases === null) return null;
  const stage = stageAt(phases, step);
  if (stage.fading) {
    const below = phases[stage.phase.index - 1]?.size ?? stage.size / 2;
    return { side: below, fadingTo: { size: stage.size, alpha: stage.alpha } };
  }
  return stage.size < datasetSize ? { side: stage.size, fadingTo: null } : null;
}

type Translate = (key: string, params: Record<string, string | number>) => string;

/** A sample grid's side in words: "14×14, upscaled", or while the next side fades in, "14×14 upscaled, fading into 28×28 (α 0.50)". */
export function sampleSideText(s: SampleSide, t: Translate): string {
  return s.fadingTo === null
    ? t('sample.upscaled', { side: sideLabel(s.side) })
    : t('sample.fading', { side: sideLabel(s.side), to: sideLabel(s.fadingTo.size), alpha: s.fadingTo.alpha.toFixed(2) });
}
