/** Grow: a finished or paused run forked into larger, deeper or wider networks that keep every trained weight that fits; and a grown run's report read back. */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { resolveConfigOrThrow } from '../../common/config-resolve';
import type { ParsedRequestOf, ResponseOf } from '../../common/contract';
import type { RunStatus } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import { GROWABLE_STATUSES, GrowProblem, GrowReport, grownConfig } from '../../common/grow';
import type { DataDir } from '../data-dir';
import { PARTIAL_MARKER } from '../datasets/packed-writer';
import { soundCheckpointDir } from '../checkpoints/reconcile-checkpoints';
import { newId } from '../ids';
import type { Store } from '../store/store';
import type { JobWorker } from '../trainer/job-worker';
import type { RunService } from './run-service';

function invalid(field: string, message: string): WorkbenchError {
  return new WorkbenchError('INVALID_REQUEST', message, { issues: [{ path: field, message }] });
}

export class RunGrow {
  constructor(
    private readonly store: Store,
    private readonly dataDir: DataDir,
    private readonly runs: RunService,
    private readonly worker: Pick<JobWorker, 'grow'>,
  ) {}

  async grow(req: ParsedRequestOf<'runs.grow'>): Promise<ResponseOf<'runs.grow'>> {
    const parent = this.runs.get(req.id);
    if (!(GROWABLE_STATUSES as readonly RunStatus[]).includes(parent.status)) {
      throw new WorkbenchError('CONFLICT', `run ${parent.id} is ${parent.status}: pause it, or let it finish, before growing it`);
    }
    const checkpoint = req.step === undefined ? this.store.checkpoints.latest(parent.id) : this.store.checkpoints.get(parent.id, req.step);
    if (!checkpoint) {
      throw new WorkbenchError('NOT_FOUND', req.step === undefined ? `run ${parent.id} has no checkpoint yet` : `run ${parent.id} has no checkpoint at step ${req.step}`);
    }
    const parentDataset = this.store.datasets.get(parent.datasetId);
    if (!parentDataset) throw new WorkbenchError('NOT_FOUND', `run ${parent.id}'s dataset ${parent.datasetId} no longer exists`);
    const dataset = req.datasetId === undefined ? parentDataset : this.store.datasets.get(req.datasetId);
    if (!dataset) throw new WorkbenchError('NOT_FOUND', `no dataset with id ${req.datasetId}`);

    let grown;
    try {
      grown = grownConfig(parent.config, parentDataset.size, { size: req.size, depth: req.depth, widthFactor: req.widthFactor, fadeImages: req.fadeImages, steps: req.steps });
    } catch (error) {
      if (error instanceof GrowProblem) throw invalid(error.field, error.message);
      throw error;
    }
    if (dataset.size !== grown.size) {
      throw invalid(
        'datasetId',
        grown.size === parentDataset.size
          ? `the grown run trains on ${grown.size} × ${grown.size} images as its parent does; dataset ${dataset.id} holds ${dataset.size} × ${dataset.size}`
          : `growing to ${grown.size} × ${grown.size} needs a dataset of ${grown.size} × ${grown.size} images; ${dataset.id === parentDataset.id ? `the run's dataset ${dataset.name}` : `dataset ${dataset.name}`} is ${dataset.size} × ${dataset.size}: import the same images at size ${grown.size} and pass its id (datasetId, --dataset)`,
      );
    }
    if (dataset.channels !== parentDataset.channels) {
      throw invalid('datasetId', `dataset ${dataset.name} has ${dataset.channels} channels, the run's ${parentDataset.name} ${parentDataset.channels}: the first and last layers would not fit`);
    }
    const conditional = parent.config.model.gConditioning !== 'none' || parent.config.model.dConditioning !== 'none';
    if (conditional && dataset.classes.length !== parentDataset.classes.length) {
      throw invalid('datasetId', `this run is class-conditional on ${parentDataset.classes.length} classes; dataset ${dataset.name} has ${dataset.classes.length}`);
    }
    const config = resolveConfigOrThrow({ config: grown.config });
    const parentDir = soundCheckpointDir(this.store, this.dataDir, checkpoint, 'checksum');

    const id = newId('run');
    // Named as a new run's partial folder: the start-up sweep removes it if the app stops mid-Grow.
    const scratch = `${this.dataDir.run(id)}${PARTIAL_MARKER}grow${randomBytes(4).toString('hex')}`;
    try {
      const result = await this.worker.grow({
        parentConfig: parent.config,
        parentSize: parentDataset.size,
        parentCheckpointDir: parentDir,
        config,
        datasetDir: this.dataDir.dataset(dataset.id),
        checkpointsDir: scratch,
      });
      const report: GrowReport = { parentRunId: parent.id, parentStep: checkpoint.step, change: grown.change, summary: grown.summary, fade: grown.fade, ...result };
      const name = req.name ?? `${parent.name} ⇡ ${grown.summary}`;
      const run = this.runs.createGrown({ id, name, datasetId: dataset.id, config, parent, checkpointDir: join(scratch, '0'), report, start: req.start });
      return { run, report };
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }

  /** A grown run's report, or null for a run that was not grown. */
  growth(id: string): GrowReport | null {
    this.runs.get(id);
    const file = join(this.dataDir.run(id), 'grow.json');
    if (!existsSync(file)) return null;
    return GrowReport.parse(JSON.parse(readFileSync(file, 'utf8')));
  }
}
