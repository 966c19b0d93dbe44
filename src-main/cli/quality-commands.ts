/** CLI commands over quality (issue 12): evaluate a run's checkpoint, or a folder of images from any tool, against a dataset. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ApiError } from '../common/client/transport-port';
import { methods } from '../common/contract';
import { COMPARABILITY_NOTE, type Evaluation } from '../common/quality';
import { num, type CliContext } from './context';

interface EvaluateOptions {
  step?: number;
  folder?: string;
  dataset?: string;
  n?: number;
  seed?: number;
}

/** Bounds and defaults for --help, from the contract. */
const fields = methods['quality.evaluate'].request.shape;
const nField = fields.n.def;
const seedField = fields.seed.def;

function show(v: number): string {
  return Number(v.toPrecision(4)).toString();
}

/** The measures under their honest names, the provenance they depend on, and what they compare with. */
export function describeEvaluation(e: Evaluation): string {
  const p = e.fd.provenance;
  const what =
    e.source.kind === 'folder'
      ? `${p.nGenerated} images of ${e.source.folder} (${e.source.tried} of its ${e.source.files} files read, ${e.source.rejected.length} skipped)`
      : `${p.nGenerated} images from run ${e.source.runId} at step ${e.source.step} (${e.source.weights === 'ema' ? 'EMA of the generator' : 'generator'})`;
  const m = e.memorization;
  const verdict = m.flagged
    ? `flagged: the images sit closer to training images than unseen ones do (below ${m.threshold})`
    : `not flagged (copying would read below ${m.threshold})`;
  const rows: [string, string][] = [
    [e.fd.name, show(e.fd.value)],
    [e.kid.name, `${show(e.kid.mean)} ± ${show(e.kid.std)} (${e.kid.subsets} subsets of ${e.kid.subsetSize})`],
    ['precision', `${show(e.precisionRecall.precision)} (share of the images inside the real images' manifold, k = ${e.precisionRecall.k})`],
    ['recall', `${show(e.precisionRecall.recall)} (share of the real images inside the images' manifold)`],
    ['coverage', `${show(e.precisionRecall.coverage)} (share of the real images with an image inside their own k-NN ball)`],
    ['memorization', `copy ratio ${show(m.copyRatio)}: ${verdict}`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    `scored ${what} against ${p.nReal} images of dataset ${e.datasetId}`,
    ...rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`),
    m.comparedWith === 'held-out'
      ? `  (memorization compares with ${m.nHeldOut} images of the dataset's held-out split, which training never saw)`
      : `  (memorization compares with ${m.nHeldOut} images drawn aside from the training images, as the dataset has no held-out split)`,
    `measured on ${p.network} (${p.networkName}) · preprocessing: ${p.preprocessing} · N = ${p.nGenerated} scored, ${p.nReal} real · backend ${p.backend} · seed ${e.seed} · ${show(e.seconds.total)} s`,
    ...describeInDomain(e),
    COMPARABILITY_NOTE,
    ...(e.source.kind === 'folder' && e.source.rejected.length > 0 ? ['skipped:', ...e.source.rejected.map((r) => `  ${r.file}: ${r.reason}`)] : []),
  ].join('\n');
}

/** The measures on the dataset's own classifier, or why there are none. */
function describeInDomain(e: Evaluation): string[] {
  const d = e.inDomain;
  if (d === null) return ['no in-domain measures: the dataset has no trained classifier (it needs classes and a held-out split)'];
  const histogram = d.classes.map((c, i) => `${c}:${d.histogram[i]}`).join(' ');
  return [
    `on the dataset's ${d.provenance.networkName} [${d.provenance.network}]:`,
    `  FD ${show(d.fd)} · KID ${show(d.kid.mean)} ± ${show(d.kid.std)} · precision ${show(d.precision)} · recall ${show(d.recall)} · coverage ${show(d.coverage)}`,
    d.memorization === null
      ? '  memorization: no yardstick (held-out images sit on training images)'
      : `  memorization against ${d.memorization.nTraining} training images (all of the training part): copy ratio ${show(d.memorization.copyRatio)}, ${d.memorization.flagged ? 'flagged' : 'not flagged'}`,
    `  classes the classifier reads: ${histogram} · ${d.classesReached} of ${d.realHistogram.filter((r) => r > 0).length} reached · mean confidence ${show(d.meanConfidence)}`,
    ...(d.perClass === null
      ? []
      : ['  per class (images made for it: share read as it, KID to its real images):', ...d.perClass.map((c) => `    ${c.class}: ${c.n} images, ${show(c.accuracy)} read as ${c.class}, KID ${c.kid === null ? '—' : show(c.kid)}`)]),
  ];
}

export function addQualityCommands(program: Command, ctx: CliContext): void {
  program
    .command('evaluate [run]')
    .description(
      "score a run's checkpoint, or a folder of images from any tool (--folder with --dataset), against a dataset: FD, KID, precision/recall and memorization on the bundled nsfwjs MobileNetV2 features (not FID)",
    )
    .option('--step <n>', 'checkpoint step of the run (default: the newest)', num('--step'))
    .option('--folder <dir>', 'score the images of this folder instead of a run')
    .option('--dataset <id>', 'the dataset to measure against (needed with --folder; a run uses its own)')
    .option('--n <n>', `images per side at most, ${nField.innerType.minValue}–${nField.innerType.maxValue} (default: ${nField.defaultValue})`, num('--n'))
    .option('--seed <n>', `draws the images, the noise and the KID subsets (default: ${seedField.defaultValue})`, num('--seed'))
    .action((runId: string | undefined, o: EvaluateOptions) =>
      ctx.with('write', 'evaluate', async ({ client }) => {
        if ((runId === undefined) === (o.folder === undefined)) {
          throw new ApiError('INVALID_REQUEST', 'give either a run id or --folder DIR (with --dataset ID), not both or neither');
        }
        if (o.folder !== undefined && o.step !== undefined) throw new ApiError('INVALID_REQUEST', '--step is for a run; a folder has no checkpoints');
        const source = o.folder !== undefined ? { folder: resolve(o.folder) } : { runId: runId!, step: o.step };
        const evaluation = await client.call('quality.evaluate', { datasetId: o.dataset, source, n: o.n, seed: o.seed });
        ctx.print(evaluation, () => describeEvaluation(evaluation));
      }),
    );
}
