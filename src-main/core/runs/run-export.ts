/** Exports a run's generator from one checkpoint into runs/<id>/exports/step-<n>/ (tfjs), step-<n>-onnx/ (ONNX) or step-<n>-html/ (a standalone page), with -psi<ψ> when sampled with truncation, on the warm trainer worker. */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ResponseOf } from '../../common/contract';
import type { ExportFormat } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import { describeTruncation, truncationTag, type Truncation } from '../../common/truncation';
import { soundCheckpointDir } from '../checkpoints/reconcile-checkpoints';
import type { DataDir } from '../data-dir';
import { requireSpace } from '../disk-space';
import type { Store } from '../store/store';
import type { JobWorker } from '../trainer/job-worker';

/** Each format's folder beside the others, and the file whose presence means the export is whole (the folder is renamed into place complete). */
const FOLDERS: Record<ExportFormat, { suffix: string; done: string }> = {
  tfjs: { suffix: '', done: 'model.json' },
  onnx: { suffix: '-onnx', done: 'generator.onnx' },
  html: { suffix: '-html', done: 'generator.html' },
};

export class RunExport {
  constructor(
    private readonly store: Store,
    private readonly dataDir: DataDir,
    private readonly worker: Pick<JobWorker, 'exportGenerator'>,
  ) {}

  /** The newest checkpoint when no step is given; an export that exists already is returned as it is. */
  async export(runId: string, step?: number, format: ExportFormat = 'tfjs', truncation?: Truncation): Promise<ResponseOf<'runs.export'>> {
    const run = this.store.runs.get(runId);
    if (!run) throw new WorkbenchError('NOT_FOUND', `no run with id ${runId}`);
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
    const outDir = join(this.dataDir.run(runId), 'exports', `step-${checkpoint.step}${folder.suffix}${truncationTag(truncation)}`);
    const result = { runId, step: checkpoint.step, format, truncation: truncation ?? null, path: this.dataDir.relative(outDir), absolutePath: outDir };
    if (existsSync(join(outDir, folder.done))) return result;
    const checkpointDir = soundCheckpointDir(this.store, this.dataDir, checkpoint, 'structure');
    // The generator's weights are a part of the checkpoint: its size bounds the export's.
    await requireSpace(this.dataDir.run(runId), statSync(join(checkpointDir, 'tensors.bin'), { throwIfNoEntry: false })?.size ?? 0, 'the export');
    await this.worker.exportGenerator({
      runId,
      datasetDir: this.dataDir.dataset(run.datasetId),
      config: run.config,
      checkpointDir,
      step: checkpoint.step,
      format,
      truncation: truncation ?? null,
      outDir,
    });
    const how = `${format === 'tfjs' ? '' : ` as ${format.toUpperCase()}`}${truncation ? `, sampled with ${describeTruncation(truncation)}` : ''}`;
    this.store.events.insert(runId, 'exported', `generator of step ${checkpoint.step} exported${how} to ${result.path}`);
    return result;
  }
}
