/** A synthetic dataset's provenance in words for the dataset page: where its images came from, and the classifier's confidence filter they passed. */
import type { SyntheticFilter, SyntheticProvenance } from '@common/synthetic';
import { describeTruncation } from '@common/truncation';
import { formatInt } from './format';

type Translate = (key: string, params?: Record<string, string | number>) => string;

/** Where the images came from, in one line; how classes were drawn only when it has classes. */
export function syntheticFacts(s: SyntheticProvenance, t: Translate): string {
  const facts = t('datasetPage.syntheticFacts', { run: s.runId, step: s.step, weights: t(`datasetPage.syntheticWeights.${s.weights}`), seed: s.seed, truncation: describeTruncation(s.truncation) });
  return s.classes.length === 0 ? facts : `${facts} · ${t(s.balanced ? 'datasetPage.syntheticBalanced' : 'datasetPage.syntheticUnbalanced')}`;
}

/** How strict the filter was and how many draws it took (a user judging the data wants both), and who chose each image's class. */
export function syntheticFilterFacts(f: SyntheticFilter, t: Translate, locale: string): string {
  const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
  const facts = t('datasetPage.syntheticFilter', {
    min: f.minConfidence,
    kept: formatInt(f.kept, locale),
    drawn: formatInt(f.drawn, locale),
    rate: percent(f.acceptanceRate),
    accuracy: percent(f.accuracy),
  });
  return `${facts} · ${t(`datasetPage.syntheticLabels.${f.labels}`)}`;
}
