// @vitest-environment happy-dom
/**
 * The run page's Quality panel and its store: KID, FD and precision/recall of the evaluated checkpoints
 * over steps with the best one marked, what is being evaluated and how long it took, how the values
 * were measured and that they compare only with values measured the same way (never with published
 * FIDs), in both languages; kept live by the run.evaluation events.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, h, nextTick, type App, type Component } from 'vue';
import type { Run } from '../../../src-main/common/domain';
import type { RunEvaluations } from '../../../src-main/common/quality';
import QualityChart from '../../../src-renderer/components/charts/QualityChart.vue';
import RunQuality from '../../../src-renderer/components/run/RunQuality.vue';
import { createWorkbenchI18n } from '../../../src-renderer/i18n';
import { measurements, qualityLines, qualityTooltip } from '../../../src-renderer/lib/quality-series';
import { useRunInsightsStore } from '../../../src-renderer/stores/run-insights';
import { useRunQualityStore } from '../../../src-renderer/stores/run-quality';
import { evaluationRow } from '../../fixtures/store-rows';
import { stubCanvas } from './canvas-stub';
import { makeRun, setupStores, type FakeTransport } from './fake-transport';

stubCanvas();

const flush = () => new Promise((r) => setTimeout(r, 0));

let app: App | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
  document.body.innerHTML = '';
});

/** Mounts `component` with `props` in the given language. */
async function mountIn(component: Component, props: Record<string, unknown>, locale: 'en' | 'zh-CN' = 'en'): Promise<HTMLElement> {
  const el = document.createElement('div');
  document.body.append(el);
  app = createApp({ render: () => h(component, props) });
  app.use(createWorkbenchI18n(locale));
  app.mount(el);
  await nextTick();
  return el;
}

const RUN = 'run_qual0001';
const view = (over: Partial<RunEvaluations> = {}): RunEvaluations => ({
  runId: RUN,
  evaluations: [evaluationRow(RUN, 500, 0.3), evaluationRow(RUN, 1000, 0.05), evaluationRow(RUN, 1500, 0.08)],
  pending: [],
  best: { step: 1000, by: 'kid' },
  ...over,
});

describe('quality series', () => {
  it('draws KID with a ±std band, FD and precision/recall by step, whatever order the evaluations come in', () => {
    const [a, b] = [evaluationRow(RUN, 1000, 0.05), evaluationRow(RUN, 500, 0.3)];
    const lines = qualityLines([a, b]);
    expect(lines.kid).toEqual([
      [500, 0.3],
      [1000, 0.05],
    ]);
    expect(lines.kidLow.map(([s, v]) => [s, Number(v.toFixed(6))])).toEqual([
      [500, 0.27],
      [1000, 0.045],
    ]);
    // The band's height, stacked on its lower edge, reaches mean + std.
    expect(lines.kidLow.map(([, low], i) => Number((low + lines.kidSpread[i]![1]).toFixed(6)))).toEqual([0.33, 0.055]);
    expect(lines.fd).toEqual([
      [500, 30],
      [1000, 5],
    ]);
    expect(lines.precision.map(([, v]) => v)).toEqual([0.5, 0.5]);
    expect(lines.recall.map(([, v]) => v)).toEqual([0.4, 0.4]);
  });

  it('tells apart values measured another way (N, network, preprocessing or backend)', () => {
    const same = [evaluationRow(RUN, 500, 0.3), evaluationRow(RUN, 1000, 0.1)];
    expect(measurements(same)).toHaveLength(1);
    const otherN = evaluationRow(RUN, 1500, 0.1, { provenance: { ...same[0]!.provenance, nGenerated: 2000, nReal: 2000 } });
    const otherBackend = evaluationRow(RUN, 2000, 0.1, { provenance: { ...same[0]!.provenance, backend: 'webgpu' } });
    expect(measurements([...same, otherN, otherBackend]).map((p) => [p.nGenerated, p.backend])).toEqual([
      [50, 'wasm'],
      [2000, 'wasm'],
      [50, 'webgpu'],
    ]);
  });
});

describe('the Quality chart’s tooltip', () => {
  it('gives each value of a point, the time it took, how it was measured, and what it compares with', () => {
    const { t } = createWorkbenchI18n('en').global;
    const e = evaluationRow(RUN, 1000, 0.05, { flagged: true, copyRatio: 0.41 });
    expect(qualityTooltip(t, e, null).split('\n')).toEqual([
      'step 1000',
      'KID 0.05 ± 0.005',
      'FD 5',
      'precision 0.5 · recall 0.4',
      'coverage 0.45',
      'memorization flagged (copy ratio 0.41)',
      'evaluated in 12.5 s',
      'nsfwjs MobileNetV2 (1792-d) · N = 50 generated vs 50 real · 224 px · wasm',
      'These values compare only with runs measured the same way (network, N, preprocessing, backend), never with published FIDs.',
    ]);
    // Several runs on one chart: the point says whose it is.
    expect(qualityTooltip(t, e, 'run b').split('\n')[0]).toBe('run b');
    const zh = createWorkbenchI18n('zh-CN').global.t;
    expect(qualityTooltip(zh, e, null)).toContain('绝不能与已发表的 FID 相比较');
  });
});

describe('RunQuality', () => {
  const mount = (props: { run: Run; view: RunEvaluations | undefined; failure?: { step: number; message: string } }, locale: 'en' | 'zh-CN' = 'en') =>
    mountIn(RunQuality, { failure: undefined, ...props }, locale);
  const text = (el: HTMLElement, id: string) => el.querySelector(`[data-testid="${id}"]`)?.textContent?.replace(/\s+/g, ' ').trim();
  const evaluating = makeRun({ id: RUN, config: { ...makeRun().config, evaluation: { everyCheckpoints: 2, n: 50 } } });

  it('shows every evaluation, the best by KID marked, how they were measured, the time, and the comparability note', async () => {
    const el = await mount({ run: evaluating, view: view({ pending: [2000] }) });
    const chart = el.querySelector('[data-testid="quality-chart"]')!;
    expect(chart.getAttribute('data-points')).toBe('3');
    expect(chart.getAttribute('data-best')).toBe('1000');
    expect(text(el, 'quality-best')).toBe('Best: step 1000, the lowest KID (0.05)');
    expect(text(el, 'quality-pending')).toBe('Evaluating step 2000…');
    expect(text(el, 'quality-measured')).toBe('Measured on nsfwjs MobileNetV2 (1792-d) · N = 50 generated vs 50 real · 224 px · backend wasm · last evaluation took 12.5 s');
    expect(text(el, 'quality-note')).toBe('These values compare only with runs measured the same way (network, N, preprocessing, backend), never with published FIDs.');
    expect(el.querySelector('.hint-badge')?.getAttribute('title')).toContain('never with published FIDs');
    expect(el.querySelector('[data-testid="quality-mixed"]')).toBeNull();
    expect(el.querySelector('[data-testid="quality-off"]')).toBeNull();
  });

  it('says so when the values were measured in different ways, and when an evaluation failed', async () => {
    const mixed = view();
    mixed.evaluations[1] = evaluationRow(RUN, 1000, 0.05, { provenance: { ...mixed.evaluations[0]!.provenance, nGenerated: 2000, nReal: 2000 } });
    const el = await mount({ run: evaluating, view: mixed, failure: { step: 2000, message: 'the evaluation did not finish within 3600 s' } });
    expect(text(el, 'quality-mixed')).toMatch(/do not compare with each other/);
    expect(text(el, 'quality-failed')).toBe('The evaluation of step 2000 failed: the evaluation did not finish within 3600 s');
  });

  it('with evaluation off and nothing evaluated, says the best is the newest checkpoint, with no quality metric', async () => {
    const el = await mount({ run: makeRun({ id: RUN }), view: view({ evaluations: [], best: { step: 1500, by: 'newest' } }) });
    expect(text(el, 'quality-off')).toMatch(/^Evaluation is off for this run .*the newest, with no quality metric\.$/);
    expect(text(el, 'quality-best')).toBe('Best: step 1500, the newest (no quality metric)');
    expect(el.querySelector('[data-testid="quality-chart"]')).toBeNull();
  });

  it('with the dataset’s classifier: a fourth panel, the class histogram and a conditional run’s per-class scores; without: says why there are none', async () => {
    const inDomain = (kid: number) => ({
      name: 'in-domain classifier, 64-d',
      network: 'in-domain-cnn64-0123456789ab',
      accuracy: 0.91,
      fd: 12,
      kid: { mean: kid, std: 1, standardError: 0.2 },
      precision: 0.8,
      recall: 0.7,
      coverage: 0.6,
      classes: ['0', '1', '2'],
      histogram: [20, 25, 5],
      classesReached: 2,
      meanConfidence: 0.93,
      copyRatio: 0.2,
      flagged: true,
      perClass: [
        { class: '0', n: 17, accuracy: 0.9, kid: 3 },
        { class: '1', n: 17, accuracy: 0.3, kid: 9 },
        { class: '2', n: 16, accuracy: 0.25, kid: null },
      ],
    });
    const withClassifier = view({ evaluations: [evaluationRow(RUN, 500, 0.3, { inDomain: inDomain(40) }), evaluationRow(RUN, 1000, 0.05, { inDomain: inDomain(20) })] });
    const lines = qualityLines(withClassifier.evaluations);
    expect(lines.inDomainKid).toEqual([
      [500, 40],
      [1000, 20],
    ]);
    expect(lines.coverage).toEqual([
      [500, 0.45],
      [1000, 0.45],
    ]);
    const el = await mount({ run: evaluating, view: withClassifier });
    expect(el.querySelector('[data-testid="quality-chart"]')!.getAttribute('data-in-domain')).toBe('true');
    expect(text(el, 'class-scores')).toContain('On the dataset’s classifier (91.0% held-out accuracy), step 1000');
    expect(text(el, 'classes-reached')).toBe('2 of 3 classes reached · mean confidence 0.93');
    expect(text(el, 'in-domain-memorization')).toMatch(/^Memorization against every training image: copy ratio 0.2, flagged/);
    const rows = [...el.querySelectorAll('[data-testid="per-class"] tbody tr')].map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.trim()).join(' '));
    expect(rows).toEqual(['0 17 90.0% 3', '1 17 30.0% 9', '2 16 25.0% —']);
    // A class made for, but mostly read as another, is marked.
    expect([...el.querySelectorAll('[data-testid="per-class"] tbody tr.weak')]).toHaveLength(2);
    expect(qualityTooltip(createWorkbenchI18n('en').global.t, withClassifier.evaluations[1]!, null)).toContain(
      'in-domain: KID 20 · precision 0.8 · recall 0.7 · coverage 0.6 · 2 of 3 classes reached',
    );
    app?.unmount();
    const plain = await mount({ run: evaluating, view: view() });
    expect(plain.querySelector('[data-testid="quality-chart"]')!.getAttribute('data-in-domain')).toBe('false');
    expect(text(plain, 'class-scores-none')).toMatch(/no trained classifier/);
  });

  it('says it in Chinese', async () => {
    const el = await mount({ run: evaluating, view: view() }, 'zh-CN');
    expect(text(el, 'quality-best')).toBe('最佳：第 1000 步，KID 最低（0.05）');
    expect(text(el, 'quality-note')).toContain('绝不能与已发表的 FID 相比较');
  });
});

describe('useRunQualityStore', () => {
  let transport: FakeTransport;
  let served: RunEvaluations;

  beforeEach(() => {
    served = view({ evaluations: [evaluationRow(RUN, 500, 0.3)], best: { step: 500, by: 'kid' } });
    ({ transport } = setupStores({
      'runs.evaluations': () => served,
      'runs.checkpoints': () => [],
      'runs.summaries': () => [{ runId: RUN, last: {}, lastTime: null, best: null }],
    }));
  });

  it('loads a run’s evaluations and keeps them live: queued, stored (then the best from the server), failed', async () => {
    const store = useRunQualityStore();
    await store.load(RUN);
    transport.emit('run.evaluation', { runId: RUN, step: 1000, status: 'pending', evaluation: null, error: null });
    expect(store.views[RUN]!.pending).toEqual([1000]);
    const stored = evaluationRow(RUN, 1000, 0.05);
    served = view({ evaluations: [evaluationRow(RUN, 500, 0.3), stored], best: { step: 1000, by: 'kid' } });
    transport.emit('run.evaluation', { runId: RUN, step: 1000, status: 'done', evaluation: stored, error: null });
    expect(store.views[RUN]!.pending).toEqual([]);
    expect(store.views[RUN]!.evaluations.map((e) => e.step)).toEqual([500, 1000]);
    await flush();
    expect(store.views[RUN]!.best).toEqual({ step: 1000, by: 'kid' });
    transport.emit('run.evaluation', { runId: RUN, step: 1500, status: 'pending', evaluation: null, error: null });
    transport.emit('run.evaluation', { runId: RUN, step: 1500, status: 'failed', evaluation: null, error: 'the trainer worker exited' });
    expect(store.views[RUN]!.pending).toEqual([]);
    expect(store.failures[RUN]).toEqual({ step: 1500, message: 'the trainer worker exited' });
    // Another run's events, or a run not shown, change nothing.
    transport.emit('run.evaluation', { runId: 'run_other001', step: 10, status: 'pending', evaluation: null, error: null });
    expect(store.views['run_other001']).toBeUndefined();
  });

  it('has the run’s checkpoints and summary fetched again when an evaluation is stored: it may be the new best', async () => {
    const insights = useRunInsightsStore();
    await insights.loadCheckpoints(RUN);
    await insights.loadSummaries([RUN]);
    const before = transport.calls.length;
    transport.emit('run.evaluation', { runId: RUN, step: 1000, status: 'pending', evaluation: null, error: null });
    expect(transport.calls.length).toBe(before);
    transport.emit('run.evaluation', { runId: RUN, step: 1000, status: 'done', evaluation: evaluationRow(RUN, 1000, 0.05), error: null });
    await flush();
    expect(transport.calls.slice(before).map((c) => c.method).sort()).toEqual(['runs.checkpoints', 'runs.summaries']);
  });
});

describe('QualityChart in Compare', () => {
  it('draws every run that has evaluations, each with its own best', async () => {
    const runs = [
      { id: 'run_a', label: 'a', color: '#3763e8', evaluations: [evaluationRow('run_a', 500, 0.3), evaluationRow('run_a', 1000, 0.1)], best: { step: 1000, by: 'kid' as const } },
      { id: 'run_b', label: 'b', color: '#e8590c', evaluations: [evaluationRow('run_b', 500, 0.2)], best: { step: 500, by: 'kid' as const } },
    ];
    const el = await mountIn(QualityChart, { runs, testId: 'compare-quality-chart' });
    const chart = el.querySelector('[data-testid="compare-quality-chart"]')!;
    expect(chart.getAttribute('data-points')).toBe('3');
    expect(chart.getAttribute('data-best')).toBe('1000');
    expect(el.textContent).not.toContain('No checkpoint is evaluated yet.');
  });
});
