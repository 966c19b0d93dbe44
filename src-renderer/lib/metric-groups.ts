/** Sorts a run's metric keys into charts: by the metric catalogue, and by name for keys it does not know (older or newer runs). */
import { METRIC_GROUPS, metricInfo, type MetricGroupId } from '@common/metric-keys';

export { METRIC_GROUPS, type MetricGroupId };

export interface MetricGroup {
  id: MetricGroupId;
  keys: string[];
}

/**
 * For keys outside the catalogue only, so a run recorded by another engine version still charts.
 * First matching rule wins; the order matters (d_loss_adv is a term, d_loss a total).
 */
const RULES: [MetricGroupId, RegExp][] = [
  ['losses', /^[dg]_loss$/],
  ['outputs', /^d_(real|fake)(_|$)/],
  ['gradients', /grad_norm/],
  ['rates', /^lr(_|$)/],
  ['augment', /^(aug_|ada_)|_aug$|^instance_noise/],
  ['throughput', /_per_sec$|^throughput/],
  ['quality', /^(fid|kid|is)(_|$)|diversity|precision|recall/],
  ['terms', /loss|^(gp|r1|fm|ha|penalty)(_|$)|acgan|_penalty$/],
];

export function groupOf(key: string): MetricGroupId {
  return metricInfo(key)?.group ?? RULES.find(([, re]) => re.test(key))?.[0] ?? 'other';
}

/** Groups in a fixed order, each with its keys sorted; empty groups are left out. */
export function groupMetricKeys(keys: Iterable<string>): MetricGroup[] {
  const by = new Map<MetricGroupId, string[]>();
  for (const key of new Set(keys)) {
    const id = groupOf(key);
    by.set(id, [...(by.get(id) ?? []), key]);
  }
  return METRIC_GROUPS.filter((id) => by.has(id)).map((id) => ({ id, keys: by.get(id)!.sort() }));
}
