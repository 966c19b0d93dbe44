/**
 * Exports a run's generator from one checkpoint into runs/<id>/exports/: step-<n>/ (tfjs), step-<n>-onnx/,
 * step-<n>-html/ (a standalone page) or step-<n>-dataset-<count>-seed<s>[-conf<p>]/ (synthetic images,
 * filtered by the dataset's classifier), with -psi<ψ> when sampled with truncation, on the warm trainer worker.
 * A translation run exports its translators in the first three formats (neither a dataset nor ψ: it draws no noise).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLASSIFIER_UNAVAILABLE, classifierUnavailable } from '../../common/classifier';
import type { ResponseOf } from '../../common/contract';
import type { Dataset, ExportFormat } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import { SYNTHETIC_DEFAULT_IMAGES, SYNTHETIC_MANIFEST } from '../../common/synthetic';
import { describeTruncation, truncationTag, type Truncation } from '../../common/truncation';
import { soundCheckpointDir } from '../checkpoints/reconcile-checkpoints';
import { CLASSIFIER_DIR } from '../datasets/packed-format';
import type { DataDir } from '../data-dir';
import { requireSpace } from '../disk-space';
import type { Store } from '../store/store';
import type { JobWorker } from '../trainer/job-worker';

/** Each format's folder beside the others, and the file whose presence means the export is whole (the folder is renamed into place complete). */
const FOLDERS: Record<ExportFormat, { suffix: string; done: string }> = {
  tfjs: { suffix: '', done: 'model.json' },
  onnx: { suffix: '-onnx', done: 'generator.onnx' },
  html: { suffix: '-html', done: 'generator.html' },
  dataset: { suffix: '-dataset', done: SYNTHETIC_MANIFEST },
};

/** What an export may be asked besides its checkpoint and format (the contract allows count, balanced, seed and minConfidence for a dataset only). */
export interface ExportOptions {
  truncation?: Truncation;
  count?: number;
  balanced?: boolean;
  seed?: number;
  minConfidence?: number;
}

export class RunExport {
  constructor(
    private readonly store: Store,
    private readonly dataDir: DataDir,
    private readonly worker: Pick<JobWorker, 'exportGenerator'>,
  ) {}

  /** The newest checkpoint when no step is given; an export that exists already is returned as it is. */
  async export(runId: string, step?: number, format: ExportFormat = 'tfjs', options: ExportOptions = {}): Promise<ResponseOf<'runs.export'>> {
    const { truncation } = options;
    const run = this.store.runs.get(runId);
    if (!run) throw new WorkbenchError('NOT_FOUND', `no run with id ${runId}`);
    const task = run.config.task;
    if (task.kind !== 'generate') {
      const refuse = (path: string, message: string): never => {
        throw new WorkbenchError('INVALID_REQUEST', message, { issues: [{ path, message }] });
      };
      if (format === 'dataset') refuse('format', `run ${runId} is a ${task.kind} translation run: it translates images and draws none from noise, so it has no synthetic-dataset export (export it as tfjs, onnx or html)`);
      if (truncation) refuse('truncation', `run ${runId} is a ${task.kind} translation run: its translators take images, not noise, so ψ-truncation does not apply`);
    }
    const dataset = this.store.datasets.get(run.datasetId);
    const filter = format === 'dataset' && options.minConfidence !== undefined ? { minConfidence: options.minConfidence, classifierDir: this.readyClassifier(run.datasetId, dataset) } : null;
    const synthesis = format === 'dataset' ? { count: options.count ?? SYNTHETIC_DEFAULT_IMAGES, balanced: options.balanced ?? true, seed: options.seed ?? 0, filter } : null;
    const checkpoint = step === undefined ? this.store.checkpoints.latest(runId) : this.store.checkpoints.get(runId, step);
    if (!checkpoint) {
      const steps = this.store.checkpoints.list(runId).map((c) => c.step);
      throw new WorkbenchError(
        'NOT_FOUND',
        step === undefined ? `run ${runId} has no checkpoint yet` : `run ${runId} has no checkpoint at step ${step} (it has ${steps.join(', ') || 'none'})`,
      );
    }
    const folder = FOLDERS[format];
    // The model is the same with any ψ; the example and what the folder records are not.
    const drawn = synthesis ? `-${synthesis.count}-seed${synthesis.seed}${synthesis.balanced ? '' : '-unbalanced'}${filter ? `-conf${filter.minConfidence}` : ''}` : '';
    const outDir = join(this.dataDir.run(runId), 'exports', `step-${checkpoint.step}${folder.suffix}${drawn}${truncationTag(truncation)}`);
    const result = { runId, step: checkpoint.step, format, truncation: truncation ?? null, path: this.dataDir.relative(outDir), absolutePath: outDir };
    if (existsSync(join(outDir, folder.done))) return result;
    const checkpointDir = soundCheckpointDir(this.store, this.dataDir, checkpoint, 'structure');
    // The generator's weights are a part of the checkpoint: its size bounds a model's export; a dataset's images take at most their raw pixels.
    const weights = statSync(join(checkpointDir, 'tensors.bin'), { throwIfNoEntry: false })?.size ?? 0;
    const pixels = synthesis && dataset ? synthesis.count * dataset.size * dataset.size * dataset.channels : 0;
    await requireSpace(this.dataDir.run(runId), weights + pixels, 'the export');
    await this.worker.exportGenerator({
      runId,
      datasetDir: this.dataDir.dataset(run.datasetId),
      // An unpaired run's domain B, or the targets of a paired run on stored pairs: the session is built from both.
      ...(task.kind !== 'generate' && task.datasetB !== null ? { datasetBDir: this.dataDir.dataset(task.datasetB) } : {}),
      config: run.config,
      checkpointDir,
      step: checkpoint.step,
      format,
      truncation: truncation ?? null,
      synthesis,
      outDir,
    });
    const kept = filter ? ` the dataset's classifier gives at least ${filter.minConfidence}` : '';
    const as = synthesis ? ` as a synthetic dataset of ${synthesis.count} images${kept}` : format === 'tfjs' ? '' : ` as ${format.toUpperCase()}`;
    const how = `${as}${truncation ? `, sampled with ${describeTruncation(truncation)}` : ''}`;
    this.store.events.insert(runId, 'exported', `${task.kind === 'generate' ? 'generator' : task.kind === 'unpaired' ? 'translators' : 'translator'} of step ${checkpoint.step} exported${how} to ${result.path}`);
    return result;
  }

  /**
   * The folder of the dataset's classifier when it is trained and ready to judge; otherwise the
   * request is refused on minConfidence, saying why (no classes or held-out split, still training, failed).
   */
  private readyClassifier(datasetId: string, dataset: Dataset | undefined): string {
    const c = dataset?.classifier ?? null;
    if (c?.status === 'ready') return join(this.dataDir.dataset(datasetId), CLASSIFIER_DIR);
    const unavailable = dataset ? classifierUnavailable(dataset) : null;
    const why = unavailable
      ? `the run's dataset has no classifier: ${CLASSIFIER_UNAVAILABLE[unavailable]}`
      : c === null
        ? "the run's dataset has no trained classifier yet: train it first (datasets.trainClassifier, or train-classifier on the command line)"
        : c.status === 'training'
          ? "the run's dataset's classifier is still training: export when it is ready"
          : `the training of the run's dataset's classifier failed (${c.error}): train it again first`;
    throw new WorkbenchError('INVALID_REQUEST', `cannot filter by classifier confidence: ${why}`, { issues: [{ path: 'minConfidence', message: why }] });
  }
}
