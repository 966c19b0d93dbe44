/** Try it for translation runs (runs.translate, `cli translate`): the image decoded and sized here, translated by the warm trainer worker, its input and output kept as PNGs in the run's translated/ folder. */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import sharp, { type Metadata } from 'sharp';
import type { Translated, TranslateRequest } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import type { DataDir } from '../data-dir';
import type { Store } from '../store/store';
import type { JobWorker } from '../trainer/job-worker';

/** Tile mode keeps an image at its own size up to this many pixels a side (the output's side for super-resolution). */
export const MAX_TILE_SIDE = 1024;

function refuse(path: string, message: string): never {
  throw new WorkbenchError('INVALID_REQUEST', message, { issues: [{ path, message }] });
}

export class RunTranslate {
  constructor(
    private readonly store: Store,
    private readonly dataDir: DataDir,
    private readonly worker: Pick<JobWorker, 'translate'>,
  ) {}

  async translate(req: TranslateRequest & { mode: 'resize' | 'tile'; direction: 'ab' | 'ba' }): Promise<Translated> {
    const run = this.store.runs.get(req.id);
    if (!run) throw new WorkbenchError('NOT_FOUND', `no run with id ${req.id}`);
    const task = run.config.task;
    if (task.kind === 'generate') refuse('id', `run ${req.id} generates images from noise; Try it translates with a paired or unpaired run`);
    if (req.direction === 'ba' && task.kind !== 'unpaired') refuse('direction', `run ${req.id} is a paired run: it translates A → B only`);
    if (req.mode === 'tile' && task.kind === 'paired' && task.source === 'inpaint') {
      refuse('mode', 'inpainting fills holes drawn at the training size: translate the image resized (tile mode is for super-resolution, colorization and unpaired runs)');
    }
    const checkpoint = req.step === undefined ? this.store.checkpoints.latest(req.id) : this.store.checkpoints.get(req.id, req.step);
    if (!checkpoint) refuse('step', req.step === undefined ? `run ${req.id} has no checkpoint yet` : `run ${req.id} has no checkpoint at step ${req.step}`);
    const dataset = this.store.datasets.get(run.datasetId);
    if (!dataset) throw new WorkbenchError('NOT_FOUND', `the dataset of run ${req.id} is gone`);
    const bytes = Buffer.from(req.image.data, 'base64');
    const channels = dataset.channels;
    // A super-resolution translator takes the small image: its input is made by upscaling it ×scale.
    const scale = task.kind === 'paired' && task.source === 'superres' ? task.scale : 1;
    const image = await this.decode(bytes, req.image.name, channels, req.mode, dataset.size, scale);
    const result = await this.worker.translate({
      datasetDir: this.dataDir.dataset(run.datasetId),
      ...(task.datasetB === null ? {} : { datasetBDir: this.dataDir.dataset(task.datasetB) }),
      config: run.config,
      checkpointDir: this.dataDir.resolveInside(checkpoint.path),
      image,
      mode: req.mode,
      direction: req.direction,
    });
    const key = createHash('sha256').update(bytes).update(`${checkpoint.step}/${req.mode}/${req.direction}`).digest('hex').slice(0, 12);
    const base = `runs/${req.id}/translated/${checkpoint.step}-${req.mode}-${req.direction}-${key}`;
    mkdirSync(join(this.dataDir.run(req.id), 'translated'), { recursive: true });
    const raw = { width: result.width, height: result.height, channels: result.channels };
    await this.writePng(`${base}-input.png`, result.input, raw);
    const outputPng = await this.writePng(`${base}-output.png`, result.output, raw);
    return {
      runId: req.id,
      step: checkpoint.step,
      mode: req.mode,
      direction: req.direction,
      width: result.width,
      height: result.height,
      input: `${base}-input.png`,
      output: `${base}-output.png`,
      outputPng: outputPng.toString('base64'),
    };
  }

  /** The image as uint8 HWC with the dataset's channels: square at the training size (÷ scale), or at its own size within MAX_TILE_SIDE. */
  private async decode(bytes: Buffer, name: string, channels: 1 | 3, mode: 'resize' | 'tile', size: number, scale: number): Promise<{ width: number; height: number; pixels: Uint8Array }> {
    let pipeline = sharp(bytes, { failOn: 'error' }).rotate().removeAlpha().toColourspace(channels === 1 ? 'b-w' : 'srgb');
    let meta: Metadata;
    try {
      meta = await sharp(bytes, { failOn: 'error' }).metadata();
    } catch (error) {
      refuse('image.data', `${name} is not an image sharp can read (PNG, JPEG, WebP…): ${error instanceof Error ? error.message : String(error)}`);
    }
    const side = size / scale;
    if (mode === 'resize') pipeline = pipeline.resize(side, side, { fit: 'cover' });
    else {
      const width = meta.width ?? 0;
      const height = meta.height ?? 0;
      if (Math.min(width, height) < side) refuse('mode', `${name} is ${width} × ${height}: smaller than one tile (${side} × ${side}); translate it resized`);
      const limit = MAX_TILE_SIDE / scale;
      if (Math.max(width, height) > limit) pipeline = pipeline.resize(limit, limit, { fit: 'inside' });
    }
    try {
      const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
      if (info.channels !== channels) throw new Error(`decoded ${info.channels} channels, expected ${channels}`);
      return { width: info.width, height: info.height, pixels: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
    } catch (error) {
      refuse('image.data', `${name} could not be decoded: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async writePng(relative: string, pixels: Uint8Array, raw: { width: number; height: number; channels: 1 | 3 }): Promise<Buffer> {
    const file = join(this.dataDir.root, ...relative.split('/'));
    const png = await sharp(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength), { raw }).png().toBuffer();
    const tmp = `${file}.tmp`;
    await sharp(png).toFile(tmp);
    // Readers never see half a file.
    renameSync(tmp, file);
    return png;
  }
}
