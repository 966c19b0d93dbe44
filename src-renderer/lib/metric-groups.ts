/** Sorts whatever metric keys a run reports into charts by name, so that new keys get a chart without UI changes. */

export const METRIC_GROUPS = ['losses', 'terms', 'outputs', 'gradients', 'rates', 'augment', 'quality', 'throughput', 'other'] as const;
export type MetricGroupId = (typeof METRIC_GROUPS)[number];

export interface MetricGroup {
  id: MetricGroupId;
  keys: string[];
}

/** First matching rule wins; the order matters (d_loss_adv is a term, d_loss a total). */
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
  return RULES.find(([, re]) => re.test(key))?.[0] ?? 'other';
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
