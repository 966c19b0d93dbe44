/** Images rendered on demand from a run's checkpoint (latent walks, class rows, ψ-truncated or not): validated here, rendered by the warm trainer worker, kept as PNGs. */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Generated, GenerateSpec } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import { cellsInExtent } from '../../common/grid-layout';
import { truncationTag } from '../../common/truncation';
import type { DataDir } from '../data-dir';
import type { Store } from '../store/store';
import type { JobWorker } from '../trainer/job-worker';

export class RunImages {
  constructor(
    private readonly store: Store,
    private readonly dataDir: DataDir,
    private readonly host: Pick<JobWorker, 'generate'>,
  ) {}

  async generate(id: string, step: number | undefined, spec: GenerateSpec): Promise<Generated> {
    const run = this.store.runs.get(id);
    if (!run) throw new WorkbenchError('NOT_FOUND', `no run with id ${id}`);
    const checkpoint = step === undefined ? this.store.checkpoints.latest(id) : this.store.checkpoints.get(id, step);
    if (!checkpoint) {
      throw new WorkbenchError('NOT_FOUND', step === undefined ? `run ${id} has no checkpoint yet` : `run ${id} has no checkpoint at step ${step}`);
    }
    const dataset = this.store.datasets.get(run.datasetId);
    if (!dataset) throw new WorkbenchError('NOT_FOUND', `the dataset of run ${id} is gone`);
    const cells = run.config.sampleGridSize ** 2;
    if (spec.kind === 'interpolate' && (spec.from >= cells || spec.to >= cells)) {
      throw new WorkbenchError('INVALID_REQUEST', `the sample grid of run ${id} has ${cells} cells (0–${cells - 1})`, {
        issues: [{ path: 'spec.from', message: `must be below ${cells}` }],
      });
    }
    if (spec.kind === 'classes' && (run.config.model.gConditioning === 'none' || dataset.classes.length < 2)) {
      throw new WorkbenchError('INVALID_REQUEST', `run ${id} is not conditional on classes: it has no class rows`, {
        issues: [{ path: 'spec.kind', message: 'needs a conditional generator and a dataset with classes' }],
      });
    }
    const rowLabels = spec.kind === 'classes' ? dataset.classes : [];
    // ψ is in the file's name: the picture says how it was drawn.
    const relative = `runs/${id}/generated/${spec.kind}-${checkpoint.step}${truncationTag(spec.truncation)}-${digest(spec)}.png`;
    const truncation = spec.truncation ?? null;
    const file = join(this.dataDir.root, ...relative.split('/'));
    const cellSize = dataset.size;
    // The same request on the same checkpoint gives the same picture: keep it instead of rendering again.
    if (existsSync(file)) {
      const meta = await sharp(file).metadata();
      const cols = cellsInExtent(meta.width ?? 0, cellSize);
      const rows = cellsInExtent(meta.height ?? 0, cellSize);
      return { runId: id, step: checkpoint.step, path: relative, rows, cols, cellSize, rowLabels, truncation };
    }
    const image = await this.host.generate({
      datasetDir: this.dataDir.dataset(run.datasetId),
      config: run.config,
      checkpointDir: this.dataDir.resolveInside(checkpoint.path),
      request: spec,
    });
    mkdirSync(join(this.dataDir.run(id), 'generated'), { recursive: true });
    const tmp = `${file}.tmp`;
    await sharp(Buffer.from(image.pixels.buffer, image.pixels.byteOffset, image.pixels.byteLength), {
      raw: { width: image.width, height: image.height, channels: image.channels },
    })
      .png()
      .toFile(tmp);
    // Readers never see half a file.
    renameSync(tmp, file);
    return { runId: id, step: checkpoint.step, path: relative, rows: image.rows, cols: image.cols, cellSize: image.cellSize, rowLabels, truncation };
  }
}

/** A short stable name for a request, so equal requests share a file. */
function digest(spec: GenerateSpec): string {
  return createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 12);
}
