/** Quality evaluations (issue 12): checks what a request names (dataset, folder, run and checkpoint), lists a folder's files, and has the warm trainer worker measure. */
import type { ParsedRequestOf, ResponseOf } from '../../common/contract';
import { WorkbenchError } from '../../common/errors';
import { evaluationSplit, MIN_EVALUATION_IMAGES, type Evaluation } from '../../common/quality';
import type { EvaluateImages } from '../../common/trainer-protocol';
import { soundCheckpointDir } from '../checkpoints/reconcile-checkpoints';
import { localFolder } from '../datasets/import-source';
import { DEFAULT_MAX_INPUT_PIXELS } from '../datasets/reject-reasons';
import { walkFolder } from '../datasets/walk';
import type { DataDir } from '../data-dir';
import type { Store } from '../store/store';
import type { JobWorker } from '../trainer/job-worker';

export class EvaluationService {
  constructor(
    private readonly store: Store,
    private readonly dataDir: DataDir,
    private readonly worker: Pick<JobWorker, 'evaluate'>,
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
      const { tried, rejected, ...measures } = await this.worker.evaluate({ datasetDir: this.dataDir.dataset(datasetId), n, seed, source });
      return { ...measures, datasetId, seed, source: { kind: 'folder', folder, files: files.length, tried, rejected } };
    }

    const { runId, step } = req.source;
    const run = this.store.runs.get(runId);
    if (!run) throw new WorkbenchError('NOT_FOUND', `no run with id ${runId}`);
    if (req.datasetId !== undefined && req.datasetId !== run.datasetId) {
      throw new WorkbenchError('INVALID_REQUEST', `run ${runId} trained on dataset ${run.datasetId}: it is measured against that dataset`, {
        issues: [{ path: 'datasetId', message: `must be the run's dataset, ${run.datasetId}, or left out` }],
      });
    }
    const datasetId = this.datasetOf(run.datasetId);
    const checkpoint = step === undefined ? this.store.checkpoints.latest(runId) : this.store.checkpoints.get(runId, step);
    if (!checkpoint) {
      const steps = this.store.checkpoints.list(runId).map((c) => c.step);
      throw new WorkbenchError(
        'NOT_FOUND',
        step === undefined ? `run ${runId} has no checkpoint yet` : `run ${runId} has no checkpoint at step ${step} (it has ${steps.join(', ') || 'none'})`,
      );
    }
    const checkpointDir = soundCheckpointDir(this.store, this.dataDir, checkpoint, 'structure');
    const { tried: _tried, rejected: _rejected, ...measures } = await this.worker.evaluate({
      datasetDir: this.dataDir.dataset(datasetId),
      n,
      seed,
      source: { kind: 'run', config: run.config, checkpointDir },
    });
    const source: Evaluation['source'] = { kind: 'run', runId, step: checkpoint.step, weights: run.config.stabilizers.ema.enabled ? 'ema' : 'generator' };
    return { ...measures, datasetId, seed, source };
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
