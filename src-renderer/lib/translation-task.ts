/** A translation run's task in words and choices: its summary, its sample columns' captions, the paired tasks and domain-B datasets a dataset allows, and Try it's modes. */
import type { Dataset } from '@common/domain';
import type { TaskConfig, TrainingConfig } from '@common/training-config';

type Translate = (key: string, params?: Record<string, string | number>) => string;

/** Metric keys drawn as a dashed line: a task's trivial answer, the line its measure must clear. */
export const REFERENCE_METRICS: ReadonlySet<string> = new Set(['baseline_psnr', 'baseline_masked_l1']);

export function isTranslation(config: Pick<TrainingConfig, 'task'> | null | undefined): boolean {
  return config !== null && config !== undefined && config.task.kind !== 'generate';
}

/** The three column captions of a translation run's sample grid (input | output | target, or image | translated | translated back); null for a generate run. */
export function tripletCaptions(config: Pick<TrainingConfig, 'task'> | null | undefined, t: Translate): [string, string, string] | null {
  if (!config || config.task.kind === 'generate') return null;
  const keys = config.task.kind === 'paired' ? ['input', 'output', 'target'] : ['image', 'translated', 'back'];
  return keys.map((k) => t(`translation.captions.${k}`)) as [string, string, string];
}

/** The task in one line, e.g. "Paired · super-resolution ×2"; domain B by its dataset's name when known. */
export function taskSummary(task: TaskConfig, t: Translate, datasetBName?: string): string {
  if (task.kind === 'generate') return t('translation.summary.generate');
  if (task.kind === 'unpaired') return t('translation.summary.unpaired', { name: datasetBName ?? task.datasetB ?? '—' });
  const detail =
    task.source === 'superres'
      ? t('translation.summary.superres', { scale: task.scale })
      : task.source === 'inpaint'
        ? t('translation.summary.inpaint', { mask: t(`translation.masks.${task.mask}`) })
        : task.source === 'colorize'
          ? t('translation.summary.colorize')
          : t('translation.summary.pairs', { name: datasetBName ?? task.datasetB ?? '—' });
  return t('translation.summary.paired', { task: detail });
}

const side = (d: Pick<Dataset, 'size'>) => `${d.size}×${d.size}`;

/** Why a paired task cannot learn from this dataset (colorization of greyscale images), or null. */
export function pairedSourceProblem(source: TaskConfig['source'], dataset: Pick<Dataset, 'name' | 'channels'> | null | undefined, t: Translate): string | null {
  if (source === 'colorize' && dataset && dataset.channels !== 3) return t('translation.colorizeGrey', { name: dataset.name });
  return null;
}

/** Why a super-resolution scale does not fit the dataset's side (divisible, at least 4 pixels left), or null. */
export function scaleProblem(scale: number, dataset: Pick<Dataset, 'name' | 'size'> | null | undefined, t: Translate): string | null {
  if (!dataset || (dataset.size % scale === 0 && dataset.size / scale >= 4)) return null;
  return t('translation.scaleDoesNotFit', { scale, name: dataset.name, size: side(dataset) });
}

export interface DomainBChoice {
  dataset: Dataset;
  /** Why it cannot be domain B (its size or channels differ from domain A's), or null. */
  problem: string | null;
}

/** Every other dataset as a domain B for `a`: those with a's size and channel count allowed, the others with the reason naming both. */
export function domainBChoices(a: Dataset | null | undefined, datasets: readonly Dataset[], t: Translate): DomainBChoice[] {
  if (!a) return [];
  const shape = (d: Dataset) => `${side(d)} ${t(`channels.${d.channels}`)}`;
  return datasets
    .filter((d) => d.id !== a.id)
    .map((d) => ({ dataset: d, problem: d.size === a.size && d.channels === a.channels ? null : t('translation.datasetBMismatch', { sizeA: shape(a), sizeB: shape(d) }) }))
    .sort((x, y) => Number(x.problem !== null) - Number(y.problem !== null));
}

/** The targets' datasets for stored pairs: a domain B choice that also holds one image per input of `a`; the B half imported with `a` (its `pair`) first, so it is the one chosen. */
export function targetChoices(a: Dataset | null | undefined, choices: readonly DomainBChoice[], t: Translate): DomainBChoice[] {
  if (!a) return [];
  const partner = a.pair?.role === 'A' ? a.pair.datasetId : null;
  return choices
    .map((c) => ({ ...c, problem: c.problem ?? (c.dataset.count === a.count ? null : t('translation.targetsCount', { countA: a.count, countB: c.dataset.count })) }))
    .sort((x, y) => Number(x.problem !== null) - Number(y.problem !== null) || Number(x.dataset.id !== partner) - Number(y.dataset.id !== partner));
}

/** The config values that go with a paired source: stored pairs need their targets' dataset (the first that fits), the others none. */
export function sourceValues(source: TaskConfig['source'], current: TaskConfig, targets: readonly DomainBChoice[]): Record<string, unknown> {
  if (source !== 'pairs') return { 'task.source': source, 'task.datasetB': null };
  const fits = targets.filter((c) => c.problem === null).map((c) => c.dataset.id);
  return { 'task.source': source, 'task.datasetB': current.datasetB !== null && fits.includes(current.datasetB) ? current.datasetB : (fits[0] ?? null) };
}

/** The config values that go with a task kind: evaluation off for a paired run (measured at each sample step instead), its targets' dataset only for stored pairs, the first fitting domain B for an unpaired one. */
export function taskKindValues(kind: TaskConfig['kind'], current: TaskConfig, choices: readonly DomainBChoice[]): Record<string, unknown> {
  const values: Record<string, unknown> = { 'task.kind': kind };
  if (kind === 'generate') return values;
  if (kind === 'paired') {
    values['evaluation.everyCheckpoints'] = 0;
    values['task.datasetB'] = current.source === 'pairs' ? current.datasetB : null;
  } else {
    const fits = choices.filter((c) => c.problem === null).map((c) => c.dataset.id);
    values['task.datasetB'] = current.datasetB !== null && fits.includes(current.datasetB) ? current.datasetB : (fits[0] ?? null);
  }
  return values;
}

export type TryMode = 'resize' | 'tile';

/** Try it's modes for a run: tile is refused for inpainting (holes are drawn at the training size). */
export function tryModes(task: TaskConfig, t: Translate): { mode: TryMode; problem: string | null }[] {
  const inpaint = task.kind === 'paired' && task.source === 'inpaint';
  return [
    { mode: 'resize', problem: null },
    { mode: 'tile', problem: inpaint ? t('translation.try.tileInpaint') : null },
  ];
}

/** Bytes as base64, a chunk at a time (a spread of a whole 12 MB file overflows the call stack). */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}
