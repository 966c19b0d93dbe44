/** Progressive growing on the run page: the marks every chart draws, the sides a chart lists for the tests, and what each sample grid is labelled. */
import { describe, expect, it } from 'vitest';
import { TrainingConfig } from '../../../src-main/common/training-config';
import { markedSides, markLineItems, runPhaseMarks, sampleSide, sampleSideText } from '../../../src-renderer/lib/phase-marks';
import { createWorkbenchI18n } from '../../../src-renderer/i18n';

/** 32 × 32 images grow 8 → 16 → 32: 10 steps at 8, then each side fades in over 5 steps and holds for 10. */
const growing = TrainingConfig.parse({ steps: 100, batchSize: 8, progressive: { enabled: true, startSize: 8, phaseImages: 80, fadeImages: 40 } });
/** A Grow from 14 to 28: no first phase, the 28 block fades in over the first 10 steps. */
const grown = TrainingConfig.parse({ steps: 40, batchSize: 8, progressive: { enabled: true, startSize: 14, phaseImages: 80, fadeImages: 80, firstPhaseImages: 0 } });
const fixed = TrainingConfig.parse({ steps: 100 });

describe('phase marks', () => {
  it('marks where each larger side starts and ends fading in', () => {
    expect(runPhaseMarks(growing, 32)).toEqual([
      { step: 10, size: 16, kind: 'fade-start' },
      { step: 15, size: 16, kind: 'fade-end' },
      { step: 25, size: 32, kind: 'fade-start' },
      { step: 30, size: 32, kind: 'fade-end' },
    ]);
    expect(runPhaseMarks(grown, 28)).toEqual([
      { step: 0, size: 28, kind: 'fade-start' },
      { step: 10, size: 28, kind: 'fade-end' },
    ]);
  });

  it('has none for a run that does not grow, nor before the dataset (its size) is known', () => {
    expect(runPhaseMarks(fixed, 32)).toEqual([]);
    expect(runPhaseMarks(growing, undefined)).toEqual([]);
    expect(runPhaseMarks(undefined, 32)).toEqual([]);
  });

  it('colours a run’s marks as its curves when asked (Compare)', () => {
    expect(runPhaseMarks(grown, 28, '#123456').map((m) => m.color)).toEqual(['#123456', '#123456']);
  });

  it('lists each side that fades in once, ascending', () => {
    expect(markedSides(runPhaseMarks(growing, 32))).toEqual([16, 32]);
    expect(markedSides([])).toEqual([]);
  });

  it('draws a solid labelled line where a side starts fading in and a dashed unlabelled one where its fade ends', () => {
    const [start, end] = markLineItems(runPhaseMarks(grown, 28, '#aa0000'), '#000000');
    expect(start).toMatchObject({ xAxis: 0, lineStyle: { type: 'solid', color: '#aa0000' }, label: { show: true, formatter: '28×28' } });
    expect(end).toMatchObject({ xAxis: 10, lineStyle: { type: 'dashed', color: '#aa0000' }, label: { show: false } });
    expect(markLineItems(runPhaseMarks(growing, 32), '#000000', false).every((i) => !i.label.show && i.lineStyle.color === '#000000')).toBe(true);
  });
});

describe('sample sides', () => {
  it('names the side of a grid drawn below the full size, and the side fading in with its α', () => {
    expect(sampleSide(growing, 32, 0)).toEqual({ side: 8, fadingTo: null });
    expect(sampleSide(growing, 32, 10)).toEqual({ side: 8, fadingTo: { size: 16, alpha: 0 } });
    expect(sampleSide(growing, 32, 12)).toEqual({ side: 8, fadingTo: { size: 16, alpha: 0.4 } });
    expect(sampleSide(growing, 32, 15)).toEqual({ side: 16, fadingTo: null });
    expect(sampleSide(growing, 32, 27)).toEqual({ side: 16, fadingTo: { size: 32, alpha: 0.4 } });
  });

  it('says nothing of a grid at the full side after its fade, or of a run that does not grow', () => {
    expect(sampleSide(growing, 32, 30)).toBeNull();
    expect(sampleSide(growing, 32, 100)).toBeNull();
    expect(sampleSide(fixed, 32, 0)).toBeNull();
    expect(sampleSide(grown, undefined, 0)).toBeNull();
  });

  it('labels a grown run’s first grid as its parent’s side, upscaled, in English and Chinese', () => {
    const first = sampleSide(grown, 28, 0)!;
    expect(first).toEqual({ side: 14, fadingTo: { size: 28, alpha: 0 } });
    const en = createWorkbenchI18n('en').global.t;
    const zh = createWorkbenchI18n('zh-CN').global.t;
    expect(sampleSideText(first, en)).toBe('14×14 upscaled, fading into 28×28 (α 0.00)');
    expect(sampleSideText({ side: 8, fadingTo: null }, en)).toBe('8×8, upscaled');
    expect(sampleSideText({ side: 8, fadingTo: null }, zh)).toBe('8×8，已放大');
    expect(sampleSideText(first, zh)).toBe('14×14（已放大），正淡入 28×28（α 0.00）');
  });
});
