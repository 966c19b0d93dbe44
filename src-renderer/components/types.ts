/** Prop shapes of the presentational components, shared with the pages that fill them. */
import type { RunEvaluation, RunEvaluations } from '@common/quality';
import type { LinePoint } from '../lib/series';

export interface NavItem {
  to: string;
  label: string;
  testId: string;
  icon: 'datasets' | 'runs' | 'compare' | 'gallery' | 'settings';
}

/** One line of a chart: [step, value] points, with an optional fixed color and dash. */
export interface ChartSeries {
  name: string;
  points: LinePoint[];
  color?: string;
  dashed?: boolean;
}

/** A run as Compare draws it: its label and its color in every chart and table. */
export interface ComparedRun {
  id: string;
  label: string;
  color: string;
  /** A translation run's sample columns (input | output | target…), captioned above its grid. */
  columns?: readonly string[] | null;
}

/** A run as the Quality chart draws it: its evaluations over steps and its best checkpoint. */
export interface QualityRun {
  id: string;
  label: string;
  color: string;
  evaluations: RunEvaluation[];
  best: RunEvaluations['best'];
}
