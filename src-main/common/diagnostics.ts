/**
 * Reads a run's curves the way an experienced person would (article §六) and names what they show:
 * D overpowering G, vanishing generator gradients, divergence, collapsing diversity — each with the
 * article's remedies and the config field each remedy changes. Pure and isomorphic: it reads the
 * loss table (how each loss's D outputs read) and the metric catalogue (what each key is).
 */
import { lossFacts } from './loss-families';
import { metricInfo, type MetricKey } from './metric-keys';

export interface CurvePoint {
  step: number;
  value: number;
}

/** Curves by metric key, each ordered by step (a chart's bucket means are fine). */
export type Curves = Readonly<Record<string, readonly CurvePoint[]>>;

export type Severity = 'info' | 'warning' | 'critical';
export type FindingId = 'd-overpowers-g' | 'vanishing-gradients' | 'divergence' | 'mode-collapse';

/** A suggestion: `key` names its text (`diag.remedy.<key>`), `field` the config path it changes, if any. */
export interface Remedy {
  key: string;
  field?: string;
}

export interface Finding {
  id: FindingId;
  /** `unavailable`: the check needs a metric this run does not record, so it says so instead of guessing. */
  status: 'firing' | 'unavailable';
  severity: Severity;
  titleKey: string;
  detailKey: string;
  /** The numbers the finding rests on; also the named parameters of its detail text. */
  evidence: Record<string, number>;
  /** The metric keys it read. */
  keys: string[];
  remedies: Remedy[];
}

export interface DiagnoseOptions {
  /** The run's adversarial loss: what a small D loss means depends on it. */
  lossType?: string;
  /** A metric that became NaN or ±Inf, as the trainer or the live stream reported it. */
  nonFinite?: { key: string; step: number } | null;
  /**
   * Progressive growing: the steps where a new resolution starts fading in (common/progressive.ts
   * phaseMarks). Losses jump there by design, so divergence is judged within the current phase.
   */
  phaseStarts?: readonly number[];
}

/** Below this many points a curve says too little to judge. */
export const MIN_POINTS = 8;
/** The diversity metrics the mode-collapse check reads, first found wins: engine/evaluators/diversity-meter.ts writes `sample_diversity` at each sample interval. */
export const DIVERSITY_KEYS = ['sample_diversity'] as const satisfies readonly MetricKey[];
/** Historical averaging's terms grow as the weights drift from their running mean in a healthy run too: no sign of divergence. */
const DRIFTING_TERMS: readonly string[] = ['ha_d', 'ha_g'] satisfies MetricKey[];

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * What "D is sure" means for the raw D outputs each loss reports (d_real, d_fake are mean logits or
 * scores; how they read is the loss's `dOutputs`, common/loss-families.ts): logits as probabilities
 * beyond 0.9 / 0.1; scores past 0.9 / 0.1 of the 1 / 0 targets; both margins met (D(x) > 1,
 * D(G(z)) < −1). A Wasserstein critic's values have no such scale: it is not judged from them.
 */
function confident(lossType: string, real: number, fake: number): { real: number; fake: number } | null {
  switch (lossFacts(lossType)?.dOutputs) {
    case 'logit': {
      const [pr, pf] = [sigmoid(real), sigmoid(fake)];
      return pr > 0.9 && pf < 0.1 ? { real: pr, fake: pf } : null;
    }
    case 'target':
      return real > 0.9 && fake < 0.1 ? { real, fake } : null;
    case 'margin':
      return real > 1 && fake < -1 ? { real, fake } : null;
    default:
      return null;
  }
}

const REMEDIES = {
  labelSmoothing: { key: 'labelSmoothing', field: 'stabilizers.labelSmoothing.mode' },
  lowerDLr: { key: 'lowerDLr', field: 'optimizerD.lr' },
  lowerLr: { key: 'lowerLr', field: 'optimizerG.lr' },
  instanceNoise: { key: 'instanceNoise', field: 'stabilizers.instanceNoise.std' },
  augmentation: { key: 'augmentation', field: 'augment.diffAugment' },
  wasserstein: { key: 'wasserstein', field: 'loss.type' },
  nonSaturating: { key: 'nonSaturating', field: 'loss.type' },
  spectralNorm: { key: 'spectralNorm', field: 'model.dNorm' },
  featureMatching: { key: 'featureMatching', field: 'stabilizers.featureMatching.enabled' },
  gradClip: { key: 'gradClip', field: 'optimizerD.gradClip' },
  gradientPenalty: { key: 'gradientPenalty', field: 'loss.r1Gamma' },
  forkFromCheckpoint: { key: 'forkFromCheckpoint' },
  simplify: { key: 'simplify', field: 'model.gWidth' },
  minibatchDiscrimination: { key: 'minibatchDiscrimination', field: 'model.minibatchDiscrimination.enabled' },
  minibatchStddev: { key: 'minibatchStddev', field: 'model.minibatchStddev' },
  historicalAveraging: { key: 'historicalAveraging', field: 'stabilizers.historicalAveraging.gWeight' },
  ema: { key: 'ema', field: 'stabilizers.ema.enabled' },
} as const satisfies Record<string, Remedy>;

function finding(id: FindingId, severity: Severity, evidence: Record<string, number>, keys: string[], remedies: Remedy[]): Finding {
  return { id, status: 'firing', severity, titleKey: `diag.${id}.title`, detailKey: `diag.${id}.detail`, evidence, keys, remedies };
}

function finite(points: readonly CurvePoint[] | undefined): number[] {
  return (points ?? []).map((p) => p.value).filter((v) => Number.isFinite(v));
}

/** The finite values of a catalogued metric's curve. */
const curveOf = (curves: Curves, key: MetricKey): number[] => finite(curves[key]);

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

/** The first and the last quarter of a curve (at least MIN_POINTS / 2 points each). */
export function windows(values: readonly number[]): { early: number[]; recent: number[] } {
  const n = Math.max(Math.floor(MIN_POINTS / 2), Math.floor(values.length / 4));
  return { early: values.slice(0, n), recent: values.slice(-n) };
}

/** Least-squares slope per point index: the direction a noisy curve is heading. */
export function slope(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const mx = (n - 1) / 2;
  const my = mean(values);
  let num = 0;
  let den = 0;
  values.forEach((v, i) => {
    num += (i - mx) * (v - my);
    den += (i - mx) ** 2;
  });
  return num / den;
}

const round = (v: number, digits = 4) => Number(v.toPrecision(digits));

/**
 * D wins outright: it calls reals real and fakes fake with near certainty (D(x) → 1, D(G(z)) → 0),
 * or its loss sits near zero while the generator's climbs. G then learns little (article §二, §三).
 */
export function checkDOverpowersG(curves: Curves, opts: DiagnoseOptions = {}): Finding | null {
  const lossType = opts.lossType ?? 'non-saturating';
  const dReal = curveOf(curves, 'd_real');
  const dFake = curveOf(curves, 'd_fake');
  const remedies = [REMEDIES.labelSmoothing, REMEDIES.lowerDLr, REMEDIES.instanceNoise, REMEDIES.augmentation, REMEDIES.spectralNorm, REMEDIES.wasserstein];
  if (dReal.length >= MIN_POINTS && dFake.length >= MIN_POINTS) {
    const sure = confident(lossType, mean(windows(dReal).recent), mean(windows(dFake).recent));
    if (sure) return finding('d-overpowers-g', 'warning', { dReal: round(sure.real), dFake: round(sure.fake) }, ['d_real', 'd_fake'], remedies);
  }
  const dLoss = curveOf(curves, 'd_loss');
  const gLoss = curveOf(curves, 'g_loss');
  if (!lossFacts(lossType)?.dLossFloorIsZero || dLoss.length < MIN_POINTS || gLoss.length < MIN_POINTS) return null;
  const d = mean(windows(dLoss).recent);
  const g = windows(gLoss);
  const rise = mean(g.recent) - mean(g.early);
  if (d < 0.05 && rise > 0 && slope(g.recent) >= 0) {
    const f = finding('d-overpowers-g', 'warning', { dLoss: round(d), gLossRise: round(rise) }, ['d_loss', 'g_loss'], remedies);
    return { ...f, detailKey: 'diag.d-overpowers-g.detailLoss' };
  }
  return null;
}

/** The generator's gradient norm fell by two orders of magnitude: the saturating-loss trap (article §三). */
export function checkVanishingGradients(curves: Curves): Finding | null {
  const g = curveOf(curves, 'g_grad_norm');
  if (g.length < MIN_POINTS) return null;
  const { early, recent } = windows(g);
  const before = median(early);
  const now = median(recent);
  if (!(before > 0)) return null;
  const ratio = now / before;
  if (ratio < 0.01 || now < 1e-6) {
    return finding(
      'vanishing-gradients',
      'warning',
      { early: round(before), recent: round(now), ratio: round(ratio, 3) },
      ['g_grad_norm'],
      [REMEDIES.nonSaturating, REMEDIES.wasserstein, REMEDIES.lowerDLr, REMEDIES.featureMatching, REMEDIES.labelSmoothing],
    );
  }
  return null;
}

/** A value became NaN/Inf, or losses or gradient norms blew up: the run is diverging. */
export function checkDivergence(curves: Curves, opts: DiagnoseOptions = {}): Finding | null {
  const remedies = [REMEDIES.forkFromCheckpoint, REMEDIES.lowerLr, REMEDIES.gradClip, REMEDIES.gradientPenalty, REMEDIES.spectralNorm, REMEDIES.simplify];
  if (opts.nonFinite) {
    return { ...finding('divergence', 'critical', { step: opts.nonFinite.step }, [opts.nonFinite.key], remedies), detailKey: 'diag.divergence.detailNaN' };
  }
  for (const [key, all] of Object.entries(curves)) {
    if (!isLossKey(key) && !key.endsWith('grad_norm')) continue;
    const points = sinceLastPhase(all, opts.phaseStarts ?? []);
    const values = finite(points).map(Math.abs);
    if (values.length < MIN_POINTS) continue;
    const { early, recent } = windows(values);
    const before = Math.max(median(early), key.endsWith('grad_norm') ? 1e-3 : 1);
    const now = median(recent);
    const factor = key.endsWith('grad_norm') ? 100 : 20;
    if (now > factor * before && slope(recent) >= 0) {
      return finding('divergence', 'critical', { early: round(before), recent: round(now), growth: round(now / before, 3) }, [key], remedies);
    }
  }
  return null;
}

/** The points from the last phase start the curve has reached: a new block's jump is no divergence. */
function sinceLastPhase(points: readonly CurvePoint[], starts: readonly number[]): readonly CurvePoint[] {
  const last = points.at(-1)?.step;
  if (last === undefined) return points;
  const start = Math.max(...starts.filter((s) => s <= last), Number.NEGATIVE_INFINITY);
  return Number.isFinite(start) ? points.filter((p) => p.step >= start) : points;
}

/** Sample diversity fell to half its best: mode collapse. Needs a diversity metric; without one it says so. */
export function checkModeCollapse(curves: Curves): Finding | null {
  const remedies = [REMEDIES.minibatchDiscrimination, REMEDIES.minibatchStddev, REMEDIES.featureMatching, REMEDIES.historicalAveraging, REMEDIES.augmentation];
  const key = DIVERSITY_KEYS.find((k) => (curves[k]?.length ?? 0) > 0);
  if (!key) {
    return { ...finding('mode-collapse', 'info', {}, [...DIVERSITY_KEYS], remedies), status: 'unavailable', detailKey: 'diag.mode-collapse.unavailable' };
  }
  const values = finite(curves[key]);
  if (values.length < MIN_POINTS) return { ...finding('mode-collapse', 'info', {}, [key], remedies), status: 'unavailable', detailKey: 'diag.mode-collapse.tooFew' };
  const { early, recent } = windows(values);
  const peak = Math.max(...windowsMeans(values, early.length));
  const now = mean(recent);
  if (peak > 0 && now < 0.5 * peak) {
    return finding('mode-collapse', 'warning', { peak: round(peak), recent: round(now), ratio: round(now / peak, 3) }, [key], remedies);
  }
  return null;
}

/** Means of consecutive windows: the peak of a smoothed curve, not of one noisy point. */
function windowsMeans(values: readonly number[], size: number): number[] {
  const out: number[] = [];
  for (let i = 0; i + size <= values.length; i += size) out.push(mean(values.slice(i, i + size)));
  return out;
}

/** Loss-like keys: the totals and their terms (d_loss_adv, gp, r1, fm …) as the catalogue groups them; an unknown key by its name. */
export function isLossKey(key: string): boolean {
  const info = metricInfo(key);
  if (info) return (info.group === 'losses' || info.group === 'terms') && !DRIFTING_TERMS.includes(key);
  return /(^|_)loss($|_)/.test(key);
}

/** Every check, in the order a person reads them: the worst first. Healthy checks return nothing. */
export function diagnose(curves: Curves, opts: DiagnoseOptions = {}): Finding[] {
  const found = [
    checkDivergence(curves, opts),
    checkDOverpowersG(curves, opts),
    checkVanishingGradients(curves),
    checkModeCollapse(curves),
  ].filter((f): f is Finding => f !== null);
  const order: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };
  return found.sort((a, b) => order[a.severity] - order[b.severity]);
}
