/** Structured run reasons: every code has its message in both languages, non-finite values survive JSON by name, and a reason keeps exactly the fields given. */
import { describe, expect, it } from 'vitest';
import { MetricValue, RunReason, RunReasonCode, metricValue, reason } from '../../../src-main/common/run-reasons';
import experimentsEn from '../../../src-renderer/i18n/experiments.en';
import experimentsZhCN from '../../../src-renderer/i18n/experiments.zh-CN';

const messageCodes = (messages: Record<string, unknown>) => Object.keys(messages).filter((k) => k !== 'heading');

describe('RunReasonCode', () => {
  it('is exactly the codes the run page has a message for, in English and Chinese', () => {
    expect(RunReasonCode.options).toHaveLength(15);
    expect(messageCodes(experimentsEn.reason)).toEqual(RunReasonCode.options);
    expect(messageCodes(experimentsZhCN.reason)).toEqual(RunReasonCode.options);
  });
});

describe('metricValue', () => {
  it('names NaN and the infinities, which JSON cannot carry, and keeps finite numbers', () => {
    expect(metricValue(Number.NaN)).toBe('NaN');
    expect(metricValue(Infinity)).toBe('Infinity');
    expect(metricValue(-Infinity)).toBe('-Infinity');
    expect(metricValue(1.5)).toBe(1.5);
    expect(metricValue(-3e38)).toBe(-3e38);
    expect(metricValue(0)).toBe(0);
  });

  it('gives values that come back through JSON and the schema as they went', () => {
    for (const v of [Number.NaN, Infinity, -Infinity, -2.25]) {
      const sent = metricValue(v);
      expect(MetricValue.parse(JSON.parse(JSON.stringify(sent)))).toEqual(sent);
    }
    expect(MetricValue.safeParse('nan').success).toBe(false);
    expect(MetricValue.safeParse(null).success).toBe(false);
  });
});

describe('reason', () => {
  it('is the code and message alone when no fields are given', () => {
    const r = reason('DISK_FULL', 'The disk is full.');
    expect(r).toStrictEqual({ code: 'DISK_FULL', message: 'The disk is full.' });
    expect(RunReason.parse(r)).toStrictEqual(r);
  });

  it('carries the fields given, and they pass the schema unchanged', () => {
    const nonFinite = reason('NON_FINITE', 'd_loss became NaN at step 1201', { metric: 'd_loss', step: 1201, value: metricValue(Number.NaN), resumeStep: 1000 });
    expect(nonFinite).toStrictEqual({ code: 'NON_FINITE', message: 'd_loss became NaN at step 1201', metric: 'd_loss', step: 1201, value: 'NaN', resumeStep: 1000 });
    expect(RunReason.parse(nonFinite)).toStrictEqual(nonFinite);
    const fields = { threshold: 1e6, bytesNeeded: 2 ** 30, bytesFree: 2 ** 20, signal: 'SIGKILL', exitCode: 137, resumeStep: null };
    expect(RunReason.parse(reason('NO_SPACE', 'no space', fields))).toStrictEqual({ code: 'NO_SPACE', message: 'no space', ...fields });
  });

  it('refuses an unknown code and a fractional step', () => {
    expect(RunReason.safeParse({ code: 'OOPS', message: 'm' }).error?.issues[0]?.path).toEqual(['code']);
    expect(RunReason.safeParse({ code: 'LEGACY', message: 'm', step: 1.5 }).error?.issues[0]?.path).toEqual(['step']);
  });
});
