/** The Quality chart's data: KID with its spread, FD, precision/recall and coverage of a run's evaluations over steps, the same on the in-domain classifier, and how each value was measured. */
import type { MeasureProvenance, RunEvaluation } from '@common/quality';
import { formatValue } from './format';
import type { LinePoint } from './series';

export interface QualityLines {
  kid: LinePoint[];
  /** KID − std, the lower edge of its band. */
  kidLow: LinePoint[];
  /** 2 std: the band's height above its lower edge (drawn stacked on it). */
  kidSpread: LinePoint[];
  fd: LinePoint[];
  precision: LinePoint[];
  recall: LinePoint[];
  /** Only evaluations that measured it (older ones did not). */
  coverage: LinePoint[];
  /** On the dataset's classifier: only evaluations made with one. */
  inDomainKid: LinePoint[];
  inDomainCoverage: LinePoint[];
}

/** One point per evaluation, by step. */
export function qualityLines(evaluations: readonly RunEvaluation[]): QualityLines {
  const sorted = [...evaluations].sort((a, b) => a.step - b.step);
  const at = (value: (e: RunEvaluation) => number): LinePoint[] => sorted.map((e) => [e.step, value(e)]);
  return {
    kid: at((e) => e.kid.mean),
    kidLow: at((e) => e.kid.mean - e.kid.std),
    kidSpread: at((e) => 2 * e.kid.std),
    fd: at((e) => e.fd),
    precision: at((e) => e.precision),
    recall: at((e) => e.recall),
    coverage: sorted.flatMap((e): LinePoint[] => (e.coverage === null ? [] : [[e.step, e.coverage]])),
    inDomainKid: sorted.flatMap((e): LinePoint[] => (e.inDomain === null ? [] : [[e.step, e.inDomain.kid.mean]])),
    inDomainCoverage: sorted.flatMap((e): LinePoint[] => (e.inDomain === null ? [] : [[e.step, e.inDomain.coverage]])),
  };
}

/** Whether any of these evaluations was made with the dataset's classifier: the chart then has its panel. */
export function hasInDomain(evaluations: readonly RunEvaluation[]): boolean {
  return evaluations.some((e) => e.inDomain !== null);
}

/** What a value depends on besides the images: two values compare only when these are the same. */
function measuredAs(p: MeasureProvenance): string {
  return JSON.stringify([p.network, p.preprocessing, p.backend, p.nGenerated, p.nReal]);
}

/** The different ways these evaluations were measured, in the order first met: more than one, and some values do not compare. */
export function measurements(evaluations: readonly RunEvaluation[]): MeasureProvenance[] {
  const seen = new Map<string, MeasureProvenance>();
  for (const e of evaluations) if (!seen.has(measuredAs(e.provenance))) seen.set(measuredAs(e.provenance), e.provenance);
  return [...seen.values()];
}

/** The evaluation of the checkpoint at `step`, if any. */
export function evaluationAt(evaluations: readonly RunEvaluation[], step: number): RunEvaluation | undefined {
  return evaluations.find((e) => e.step === step);
}

/** A translation function, as vue-i18n's `t`. */
type Translate = (key: string, values?: Record<string, unknown>) => string;

/**
 * What the tooltip of one evaluation says: the run (when several are drawn), the step, every value,
 * the time it took, how it was measured, and that it compares only with values measured the same way.
 */
export function qualityTooltip(t: Translate, e: RunEvaluation, runLabel: string | null): string {
  const p = e.provenance;
  return [
    ...(runLabel === null ? [] : [runLabel]),
    t('quality.tipStep', { step: e.step }),
    t('quality.tipKid', { mean: formatValue(e.kid.mean), std: formatValue(e.kid.std) }),
    t('quality.tipFd', { fd: formatValue(e.fd) }),
    t('quality.tipPr', { precision: formatValue(e.precision), recall: formatValue(e.recall) }),
    ...(e.coverage === null ? [] : [t('quality.tipCoverage', { coverage: formatValue(e.coverage) })]),
    ...(e.inDomain === null
      ? []
      : [
          t('quality.tipInDomain', {
            kid: formatValue(e.inDomain.kid.mean),
            precision: formatValue(e.inDomain.precision),
            recall: formatValue(e.inDomain.recall),
            coverage: formatValue(e.inDomain.coverage),
            reached: e.inDomain.classesReached,
            classes: e.inDomain.classes.length,
          }),
        ]),
    ...(e.flagged ? [t('quality.flagged', { ratio: formatValue(e.copyRatio) })] : []),
    t('quality.tipSeconds', { s: formatValue(e.seconds) }),
    t('quality.tipProvenance', { network: p.networkName, n: p.nGenerated, real: p.nReal, preprocessing: p.preprocessing, backend: p.backend }),
    t('quality.comparability'),
  ].join('\n');
}
