/** The metric catalogue as its readers use it: the best-checkpoint default, the diagnostics' keys, the chart labels. */
import { describe, expect, it } from 'vitest';
import { DIVERSITY_KEYS, isLossKey } from '../../../src-main/common/diagnostics';
import { METRIC_GROUPS, METRIC_KEYS, METRICS, STEP_METRIC_KEYS, metricInfo } from '../../../src-main/common/metric-keys';
import { defaultTrainingConfig } from '../../../src-main/common/training-config';
import { METRIC_ORDER } from '../../../src-main/engine/session/metrics';
import experimentsEn from '../../../src-renderer/i18n/experiments.en';
import experimentsZhCN from '../../../src-renderer/i18n/experiments.zh-CN';

describe('the metric catalogue', () => {
  it('describes every key, and a step reports its keys in catalogue order', () => {
    for (const key of METRIC_KEYS) expect(METRICS[key].description.length, key).toBeGreaterThan(10);
    expect(METRIC_ORDER).toEqual(STEP_METRIC_KEYS);
    expect(STEP_METRIC_KEYS.slice(0, 2)).toEqual(['d_loss', 'g_loss']);
    expect(metricInfo('fid')).toBeUndefined();
    expect(metricInfo('toString')).toBeUndefined();
  });

  it('agrees with the default best-checkpoint choice: g_loss, lower is better', () => {
    const { key, mode } = defaultTrainingConfig().bestMetric;
    expect(metricInfo(key)?.better).toBe(mode === 'min' ? 'lower' : 'higher');
  });

  it('gives the diagnostics their keys: diversity is higher-is-better quality; loss terms diverge, drifting averages do not', () => {
    for (const key of DIVERSITY_KEYS) expect(METRICS[key]).toMatchObject({ group: 'quality', better: 'higher', source: 'sample-interval' });
    expect(['d_loss', 'g_loss_adv', 'gp', 'r1', 'fm', 'd_acgan'].filter(isLossKey)).toHaveLength(6);
    expect(['ha_d', 'ha_g', 'd_real', 'g_grad_norm', 'aug_p', 'sample_diversity'].filter(isLossKey)).toEqual([]);
    // A key of an older or newer engine is judged by its name.
    expect(isLossKey('cr_loss')).toBe(true);
  });

  it('has a chart title for every group in both languages', () => {
    for (const id of METRIC_GROUPS) {
      expect(experimentsEn.metricGroups[id], id).toBeTruthy();
      expect(experimentsZhCN.metricGroups[id], id).toBeTruthy();
    }
  });
});
