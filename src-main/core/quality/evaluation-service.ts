/** Quality evaluations (issue 12): checks what a request names (dataset, folder, run and checkpoint), lists a folder's files, has the warm trainer worker measure, and stores a checkpoint's result with its run (its closest pairs in the run's folder). */
import { join } from 'node:path';
import type { Emit, ParsedRequestOf, ResponseOf } from '../../common/contract';
import { WorkbenchError } from '../../common/errors';
import { evaluationSplit, inDomainSummary, MIN_EVALUATION_IMAGES, type Evaluation, type RunEvaluation } from '../../common/quality';
import type { RunNearest } from '../../common/nearest';
import type { EvaluateImages, NearestImages } from '../../common/trainer-protocol';
import { soundCheckpointDir } from '../checkpoints/reconcile-checkpoints';
import { localFolder } from '../datasets/import-source';
import { CLASSIFIER_DIR } from '../datasets/packed-format';
import { DEFAULT_MAX_INPUT_PIXELS } from '../datasets/reject-reasons';
import { walkFolder } from '../datasets/walk';
import type { DataDir } from '../data-dir';
import type { Store } from '../store/store';
import type { JobWorker } from '../trainer/job-worker';
import { readNearest, writeNearest } from './nearest-files';

export interface EvaluationServiceOptions {
  /** Raises `run.evaluation` when a checkpoint's evaluation is stored. */
  emit?: Emit;
  /** Tells the run's trainer, if it trains, that a checkpoint was evaluated (its keeper may prune it now). */
  tell?: (runId: string, step: number, kid: number) => void;
  /** Settles when the dataset's classifier training, if one is under way, has finished. */
  classifierSettled?: (datasetId: string) => Promise<void>;
}

export class EvaluationService {
  constructor(
    private readonly store: Store,
    private readonly dataDir: DataDir,
    private readonly worker: Pick<JobWorker, 'evaluate'>,
    private readonly opts: EvaluationServiceOptions = {},
  ) {}

  async evaluate(req: ParsedRequestOf<'quality.evaluate'>): Promise<ResponseOf<'quality.evaluate'>> {
    const { n, seed } = req;
    if ('folder' in req.source) {
      // The contract asks for the dataset with a folder; it is checked before the folder is read.
      const datasetId = this.datasetOf(req.datasetId!);
      const folder = await localFolder(req.source.folder, 'source.folder');
      const { files } = await walkFolder(folder);
      if (files.length < MIN_EVALUATION_IMAGES) {
        throw new WorkbenchError('NO_IMAGES', `${folder} holds ${files.length} files; an evaluation needs at least ${MIN_EVALUATION_IMAGES} images`, { folder });
      }
      const source: EvaluateImages['source'] = {
        kind: 'folder',
        files: files.map(({ rel, abs, size }) => ({ rel, abs, size })),
        maxInputPixels: DEFAULT_MAX_INPUT_PIXELS,
      };
      const { tried, rejected, nearest: _nearest, ...measures } = await this.worker.evaluate({ ...(await this.datasetFiles(datasetId)), n, seed, source });
      return { ...measures, datasetId, seed, source: { kind: 'folder', folder, files: files.length, tried, rejected } };
    }

    const { runId, step } = req.source;
    const run = this.store.runs.get(runId);
    if (!run) throw new WorkbenchError('NOT_FOUND', `no run with id ${runId}`);
    const task = run.config.task;
    if (task.kind === 'paired') {
      throw new WorkbenchError('INVALID_REQUEST', `run ${runId} is a paired translation run: it is measured by L1, PSNR and SSIM on its validation images at each sample step`, {
        issues: [{ path: 'source', message: 'a generate or unpaired run' }],
      });
    }
    // An unpaired run's outputs are images of domain B: they are measured against B.
    const target = task.kind === 'unpaired' && task.datasetB !== null ? task.datasetB : run.datasetId;
    if (req.datasetId !== undefined && req.datasetId !== target) {
      throw new WorkbenchError('INVALID_REQUEST', `run ${runId} ${target === run.datasetId ? 'trained on' : 'translates into'} dataset ${target}: it is measured against that dataset`, {
        issues: [{ path: 'datasetId', message: `must be the run's dataset, ${target}, or left out` }],
      });
    }
    const datasetId = this.datasetOf(target);
    const checkpoint = step === undefined ? this.store.checkpoints.latest(runId) : this.store.checkpoints.get(runId, step);
    if (!checkpoint) {
      const steps = this.store.checkpoints.list(runId).map((c) => c.step);
      throw new WorkbenchError(
        'NOT_FOUND',
        step === undefined ? `run ${runId} has no checkpoint yet` : `run ${runId} has no checkpoint at step ${step} (it has ${steps.join(', ') || 'none'})`,
      );
    }
    const checkpointDir = soundCheckpointDir(this.store, this.dataDir, checkpoint, 'structure');
    const { tried: _tried, rejected: _rejected, nearest, ...measures } = await this.worker.evaluate({
      ...(await this.datasetFiles(datasetId)),
      n,
      seed,
      source: { kind: 'run', config: run.config, checkpointDir, ...(target === run.datasetId ? {} : { inputsDatasetDir: this.dataDir.dataset(run.datasetId) }) },
    });
    const source = { kind: 'run' as const, runId, step: checkpoint.step, weights: run.config.stabilizers.ema.enabled ? ('ema' as const) : ('generator' as const) };
    const evaluation: Evaluation = { ...measures, datasetId, seed, source };
    // Before the values are stored and announced: whoever hears of the evaluation finds its pairs.
    if (nearest) await this.keepNearest(evaluation, source, nearest);
    this.record(evaluation, source);
    return evaluation;
  }

  /**
   * Stores a checkpoint's evaluation with its run (replacing an earlier one of that checkpoint), which
   * can make it the best checkpoint; then tells the UI and the run's trainer.
   */
  private record(e: Evaluation, source: { runId: string; step: number; weights: RunEvaluation['weights'] }): void {
    const stored: RunEvaluation = {
      runId: source.runId,
      step: source.step,
      datasetId: e.datasetId,
      seed: e.seed,
      weights: source.weights,
      provenance: e.kid.provenance,
      fd: e.fd.value,
      kid: { mean: e.kid.mean, std: e.kid.std, standardError: e.kid.standardError },
      precision: e.precisionRecall.precision,
      recall: e.precisionRecall.recall,
      coverage: e.precisionRecall.coverage,
      copyRatio: e.memorization.copyRatio,
      flagged: e.memorization.flagged,
      inDomain: e.inDomain === null ? null : inDomainSummary(e.inDomain),
      seconds: e.seconds.total,
      createdAt: new Date().toISOString(),
    };
    this.store.evaluations.put(stored);
    this.opts.emit?.('run.evaluation', { runId: stored.runId, step: stored.step, status: 'done', evaluation: stored, error: null });
    this.opts.tell?.(stored.runId, stored.step, stored.kid.mean);
  }

  /**
   * The packed dataset, and its classifier's folder when one is ready to measure with. A classifier
   * still training is waited for: the worker does one job at a time, so this costs the evaluation
   * nothing it would not wait anyway, and its in-domain measures come with it.
   */
  private async datasetFiles(datasetId: string): Promise<{ datasetDir: string; classifierDir: string | null }> {
    await this.opts.classifierSettled?.(datasetId);
    const datasetDir = this.dataDir.dataset(datasetId);
    const ready = this.store.datasets.get(datasetId)?.classifier?.status === 'ready';
    return { datasetDir, classifierDir: ready ? join(datasetDir, CLASSIFIER_DIR) : null };
  }

  /** The memorization check's closest pairs of a run's checkpoint (runs.nearest); null when that checkpoint has none. */
  nearest(runId: string, step: number): RunNearest | null {
    if (!this.store.runs.get(runId)) throw new WorkbenchError('NOT_FOUND', `no run with id ${runId}`);
    return readNearest(this.dataDir, runId, step);
  }

  private async keepNearest(e: Evaluation, source: { runId: string; step: number }, images: NearestImages): Promise<void> {
    const m = e.memorization;
    await writeNearest(
      this.dataDir,
      { runId: source.runId, step: source.step, datasetId: e.datasetId, threshold: m.threshold, comparedWith: m.comparedWith, nGenerated: m.provenance.nGenerated, nTraining: m.nTraining },
      images,
    );
  }

  /** The dataset's id once it is known to exist and to be large enough to draw held-out and real images from. */
  private datasetOf(id: string): string {
    const dataset = this.store.datasets.get(id);
    if (!dataset) throw new WorkbenchError('NOT_FOUND', `no dataset with id ${id}`);
    if (evaluationSplit(dataset.count, Infinity) === null) {
      throw new WorkbenchError('INVALID_REQUEST', `dataset ${id} holds ${dataset.count} images: too few to draw held-out and real images from`, {
        issues: [{ path: 'datasetId', message: 'needs a dataset of at least a dozen images' }],
      });
    }
    return id;
  }
}
