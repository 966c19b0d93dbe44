/** The metric catalogue as its readers use it: which keys rank, the diagnostics' keys, the chart labels. */
import { describe, expect, it } from 'vitest';
import { DIVERSITY_KEYS, isLossKey } from '../../../src-main/common/diagnostics';
import { METRIC_GROUPS, METRIC_KEYS, METRICS, RANKABLE_METRIC_KEYS, STEP_METRIC_KEYS, metricInfo, type MetricKey } from '../../../src-main/common/metric-keys';
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

  it('has a step report every key but throughput (the loop measures it), diversity and the translation validation (measured with the samples)', () => {
    expect(METRIC_KEYS.filter((k) => !STEP_METRIC_KEYS.includes(k as never))).toEqual([
      'images_per_sec',
      'sample_diversity',
      'val_l1',
      'val_psnr',
      'val_ssim',
      'baseline_psnr',
      'val_masked_l1',
      'baseline_masked_l1',
      'val_cycle',
    ]);
    for (const key of ['sample_diversity', 'val_l1', 'val_psnr', 'val_cycle', 'baseline_psnr']) expect(METRICS[key as MetricKey].source, key).toBe('sample-interval');
    expect(STEP_METRIC_KEYS).toContain('aug_p');
  });

  it('ranks only the keys with a better side, never outputs, gradients, rates, growth, augmentation or a baseline', () => {
    for (const key of ['d_loss', 'g_loss', 'gp', 'sample_diversity', 'images_per_sec', 'g_l1', 'perceptual', 'cycle', 'val_psnr', 'val_l1', 'val_masked_l1', 'val_cycle'])
      expect(RANKABLE_METRIC_KEYS, key).toContain(key);
    const unranked = ['d_real', 'd_fake', 'g_grad_norm', 'd_grad_norm', 'lr_g', 'lr_d', 'phase_size', 'fade_alpha', 'aug_p', 'ada_rt', 'instance_noise', 'baseline_psnr', 'baseline_masked_l1'];
    for (const key of unranked) expect(RANKABLE_METRIC_KEYS, key).not.toContain(key);
    expect(RANKABLE_METRIC_KEYS).toHaveLength(METRIC_KEYS.length - unranked.length);
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
