/** TrainingSession: one GAN run in memory — every technique of the config, seeded and resumable; sample grids, renders, export, checkpoint state. */
import type * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../common/training-config';
import type { TrainingData } from './batch-sampler';
import type { CheckpointState } from './checkpoint-state';
import type { ExportedInput } from './export';
import type { Discriminator, Generator } from './nets';
import { Rng } from '../common/rng';
import type { SampleGrid } from './sample-grid';
import { instanceNoiseStd } from './stabilizers/instance-noise';
import { discriminatorStep, disposeReal, type RealForG } from './session/d-step';
import { generatorStep } from './session/g-step';
import { StepMetrics, type MetricValues } from './session/metrics';
import { enterStage } from './session/growth';
import { createParts, disposeParts, type SessionParts } from './session/parts';
import { exportSessionGenerator, generateImages, renderSampleGrid, renderSampleGrids, tileRendered, type RenderedImages, type SampleGrids } from './session/render';
import { exportSessionState, importSessionState } from './session/state';
import { SAMPLE_GRID_STREAM } from './session/streams';

export type { CheckpointState, CheckpointTensor } from './checkpoint-state';
export type { TrainingData } from './batch-sampler';
export type { SampleGrid } from './sample-grid';
export type { MetricValues } from './session/metrics';
export { METRIC_ORDER } from './session/metrics';
export { type RenderedImages, type SampleGrids } from './session/render';

export interface TrainingSessionInit {
  config: TrainingConfig;
  data: TrainingData;
}

export class TrainingSession {
  readonly config: TrainingConfig;
  private readonly parts: SessionParts;
  /** Fixed for the whole run so sample grids at different steps are comparable (stream 3 of the seed). */
  private readonly gridNoise: Float32Array;
  private steps = 0;
  /** Set while a step, exportState or importState runs, so none can interleave with a half-done other. */
  private busy = false;
  private disposed = false;

  /** Builds G and D from `config.model` and the data's shape; throws when the config cannot train on this data. */
  constructor(init: TrainingSessionInit) {
    this.config = init.config;
    this.parts = createParts(init.config, init.data);
    enterStage(this.parts, 0);
    this.gridNoise = new Rng(init.config.seed, SAMPLE_GRID_STREAM).normals(init.config.sampleGridSize ** 2 * init.config.latentSize);
  }

  /** A session resumed from exportState's output. */
  static async fromState(init: TrainingSessionInit, state: CheckpointState): Promise<TrainingSession> {
    const session = new TrainingSession(init);
    try {
      await session.importState(state);
    } catch (error) {
      session.dispose();
      throw error;
    }
    return session;
  }

  /** Generator updates done so far. */
  get stepCount(): number {
    return this.steps;
  }

  get generator(): Generator {
    return this.parts.g;
  }

  get discriminator(): Discriminator {
    return this.parts.d;
  }

  /**
   * One generator step: `loss.nCritic` discriminator updates, then one generator update. Returns
   * the metrics of METRIC_ORDER that apply to this config (D-side values are means over the critic
   * updates). Non-finite values are returned as they are: the trainer rewinds on them.
   * Async because a GPU backend (webgpu) reads values back only asynchronously; await one step
   * before starting the next (a second call while one runs throws).
   */
  async step(): Promise<MetricValues> {
    this.assertUsable();
    this.busy = true;
    const p = this.parts;
    const metrics = new StepMetrics();
    let real: RealForG | null = null;
    let lastLogits: Float32Array | null = null;
    try {
      const stage = enterStage(p, this.steps);
      if (stage !== null) {
        metrics.addNumber('phase_size', stage.size);
        metrics.addNumber('fade_alpha', stage.alpha);
      }
      for (let i = 0; i < p.config.loss.nCritic; i++) {
        disposeReal(real);
        real = null;
        const result = await discriminatorStep(p, this.steps, metrics, p.t.fm);
        real = result.real;
        lastLogits = result.realLogits;
      }
      await generatorStep(p, this.steps, metrics, real);
      this.addStepNumbers(metrics, lastLogits);
      const values = await metrics.read();
      this.steps += 1;
      // Samples, renders and checkpoints after this step show the stage the next step trains at.
      enterStage(p, this.steps);
      return values;
    } finally {
      metrics.dispose();
      disposeReal(real);
      this.busy = false;
    }
  }

  /** The fixed-noise N × N sample grid (EMA generator when EMA is on); for conditional runs row r shows class r mod K. */
  async sampleGrid(): Promise<SampleGrid> {
    this.assertUsable();
    return renderSampleGrid(this.parts, this.gridNoise);
  }

  /** The sample grid with the live generator's beside it (the diagnostics read G, not its average) and whether the EMA still warms up. */
  async sampleGrids(): Promise<SampleGrids> {
    this.assertUsable();
    return renderSampleGrids(this.parts, this.gridNoise, this.steps);
  }

  /**
   * One image per noise vector (`noise` holds count · latentSize values; `labels` one class each
   * for a conditional generator, else null), with the EMA generator when EMA is on. The cells are
   * tiled without borders row-major, `columns` wide: by default ⌈√count⌉, a square-ish grid
   * (gridShape of common/grid-layout gives rows and cols); `columns` = 1 gives a vertical strip. Trailing cells of
   * the last row are mid grey.
   */
  async render(noise: Float32Array, labels: Int32Array | null, columns?: number): Promise<RenderedImages> {
    this.assertUsable();
    const images = await generateImages(this.parts, noise, labels);
    return tileRendered(images, noise.length / this.config.latentSize, this.parts.data.size, this.parts.data.channels, columns);
  }

  /** The generator (EMA weights when EMA is on) as a standard TensorFlow.js LayersModel. */
  async exportGenerator(): Promise<{ artifacts: tf.io.ModelArtifacts; inputs: ExportedInput[] }> {
    this.assertUsable();
    return exportSessionGenerator(this.parts);
  }

  /** Weights, BN/spectral state, optimizers, EMA, averages, ADA, every RNG stream and the step: enough to continue exactly. */
  async exportState(): Promise<CheckpointState> {
    this.assertUsable();
    this.busy = true;
    try {
      return await exportSessionState(this.parts, this.steps);
    } finally {
      this.busy = false;
    }
  }

  /**
   * Replaces this session's whole state, or throws before changing anything (networks of
   * another shape, a malformed state). A fork's checkpoint may lack EMA, averages or ADA (started
   * from the loaded weights) or hold another optimizer type (started fresh).
   */
  async importState(state: CheckpointState): Promise<void> {
    this.assertUsable();
    this.busy = true;
    try {
      this.steps = importSessionState(this.parts, state);
      enterStage(this.parts, this.steps);
    } finally {
      this.busy = false;
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    disposeParts(this.parts);
  }

  private addStepNumbers(metrics: StepMetrics, lastLogits: Float32Array | null): void {
    const p = this.parts;
    if (p.t.ada) {
      metrics.addNumber('aug_p', p.ada.p);
      metrics.addNumber('ada_rt', p.ada.rt ?? meanSign(lastLogits));
    }
    if (p.t.instanceNoise) metrics.addNumber('instance_noise', instanceNoiseStd(p.config.stabilizers.instanceNoise, this.steps));
  }

  private assertUsable(): void {
    if (this.disposed) throw new Error('TrainingSession was disposed');
    if (this.busy) throw new Error('TrainingSession is busy with a step or with exporting or importing its state; await that first');
  }
}

/** r_t of one batch of real logits, for the metric before ADA's first update. */
function meanSign(logits: Float32Array | null): number {
  if (logits === null || logits.length === 0) return Number.NaN;
  let sum = 0;
  for (const v of logits) sum += Math.sign(v);
  return sum / logits.length;
}
