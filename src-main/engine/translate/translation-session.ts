/** TranslationSession: one image-to-image run in memory (pix2pix on a paired task, or CycleGAN between two domains), seeded and resumable; triplet samples, validation measures, inference and checkpoint state. */
import * as tf from '@tensorflow/tfjs';
import type { CatalogueValues } from '../../common/metric-keys';
import { Rng } from '../../common/rng';
import type { TrainingConfig } from '../../common/training-config';
import { translatorNorm } from '../../common/translator-plan';
import type { CheckpointState } from '../checkpoint-state';
import { exportTranslator, type ExportedTranslator } from '../export/translator-export';
import type { Translator } from '../nets';
import type { SampleGrid } from '../sample-grid';
import type { SampleGrids } from '../session/render';
import { StepMetrics, type MetricValues } from '../session/metrics';
import type { WeightEma } from '../stabilizers/ema';
import { instanceNoiseStd } from '../stabilizers/instance-noise';
import { criticStep, disposeBatch, type TranslationBatch } from './critic-step';
import { degrade } from './degradations';
import { translateImages } from './translate-images';
import { createTranslationParts, disposeTranslationParts, VALIDATION_STREAM, type TranslationData, type TranslationParts } from './translation-parts';
import { exportTranslationState, importTranslationState } from './translation-state';
import { translatorStep } from './translator-step';
import { tileTriplets, type TripletColumn } from './triplets';
import { measureValidation } from './validation';

export type { TranslationData } from './translation-parts';

/** Validation images measured at each sample step: enough for stable means, few enough to cost less than a step or two. */
export const VALIDATION_IMAGES = 64;

/** The fixed validation set as G sees it: its inputs (degraded with the validation stream's masks) and targets, in [-1, 1]. */
export interface ValidationSet {
  count: number;
  /** Paired: the degraded inputs; unpaired: domain A's images. */
  a: Float32Array;
  aChannels: number;
  /** Paired: the targets; unpaired: domain B's images (count of its own). */
  b: Float32Array;
  bCount: number;
}

function toSigned(images: Uint8Array, count: number, values: number): Float32Array {
  const out = new Float32Array(count * values);
  for (let i = 0; i < out.length; i++) out[i] = (images[i] ?? 0) / 127.5 - 1;
  return out;
}

export class TranslationSession {
  readonly config: TrainingConfig;
  private readonly parts: TranslationParts;
  private readonly validation: ValidationSet;
  private steps = 0;
  private busy = false;
  private disposed = false;

  constructor(init: { config: TrainingConfig; data: TranslationData }) {
    this.config = init.config;
    this.parts = createTranslationParts(init.config, init.data);
    try {
      this.validation = this.validationSet();
    } catch (error) {
      disposeTranslationParts(this.parts);
      throw error;
    }
  }

  static async fromState(init: { config: TrainingConfig; data: TranslationData }, state: CheckpointState): Promise<TranslationSession> {
    const session = new TranslationSession(init);
    try {
      await session.importState(state);
    } catch (error) {
      session.dispose();
      throw error;
    }
    return session;
  }

  get stepCount(): number {
    return this.steps;
  }

  get translatorAB(): Translator {
    return this.parts.gAB;
  }

  /** The channels of G_AB's input (a paired task's degraded image: e.g. an inpainting mask adds one). */
  get inputChannels(): number {
    return this.validation.aChannels;
  }

  /** `loss.nCritic` critic updates, then one translator update on the last critic batch; the metrics of this step. */
  async step(): Promise<MetricValues> {
    this.assertUsable();
    if (this.parts.paired && this.config.task.perceptualWeight > 0 && this.parts.perceptual === null) {
      // Checked before D's update, so a refused step changes nothing.
      throw new Error("task.perceptualWeight > 0 needs the in-domain classifier of the targets' dataset, and this session was given none (it can translate, not train)");
    }
    this.busy = true;
    const metrics = new StepMetrics();
    let batch: TranslationBatch | null = null;
    try {
      for (let i = 0; i < this.config.loss.nCritic; i++) {
        disposeBatch(batch);
        batch = null;
        batch = await criticStep(this.parts, this.steps, metrics);
      }
      if (batch === null) throw new Error('no critic step ran');
      await translatorStep(this.parts, this.steps, metrics, batch);
      if (this.parts.t.instanceNoise) metrics.addNumber('instance_noise', instanceNoiseStd(this.config.stabilizers.instanceNoise, this.steps));
      const values = await metrics.read();
      this.steps += 1;
      return values;
    } finally {
      metrics.dispose();
      disposeBatch(batch);
      this.busy = false;
    }
  }

  /** Triplets of the fixed validation images (EMA translators when EMA is on), and the live translators' beside them while the EMA warms up. */
  async sampleGrids(): Promise<SampleGrids> {
    this.assertUsable();
    const grid = await this.tripletGrid(false);
    const ema = this.parts.emaAB;
    if (ema === null || !ema.ready || !ema.warming(this.steps)) return { grid, raw: grid, warming: false };
    return { grid, raw: await this.tripletGrid(true), warming: true };
  }

  /** The task's measures on the fixed validation images: L1, PSNR, SSIM and the baseline (paired), or the cycle error (unpaired). */
  async validate(): Promise<CatalogueValues> {
    this.assertUsable();
    const v = this.validation;
    const { size, channels } = this.parts.data.a;
    const outputs = await this.run('ab', v.a, v.count, false);
    const back = this.parts.gBA === null ? null : await this.run('ba', outputs, v.count, false);
    const bOut = this.parts.gBA === null ? null : await this.run('ba', v.b, v.bCount, false);
    const bBack = bOut === null ? null : await this.run('ab', bOut, v.bCount, false);
    return measureValidation({ paired: this.parts.paired, degradation: this.parts.degradation, size, channels, set: v, outputs, back, bBack });
  }

  /**
   * G_AB (or G_BA) on `count` images already in its input form ([-1, 1], NHWC, `inputChannels` for a paired
   * run's G_AB), with the EMA weights when EMA is on. What Try it, `cli translate` and the export's example run.
   */
  async translate(images: Float32Array, count: number, direction: 'ab' | 'ba' = 'ab'): Promise<Float32Array> {
    this.assertUsable();
    return this.run(direction, images, count, false);
  }

  /**
   * G_AB (or G_BA) as a standard TensorFlow.js LayersModel, with the EMA weights when EMA is on (copied
   * first, as a generate run's export does, so the live weights are never swapped while it builds).
   */
  async exportTranslator(direction: 'ab' | 'ba' = 'ab', metadata: Record<string, unknown> = {}): Promise<ExportedTranslator> {
    this.assertUsable();
    const { g, ema } = this.translatorOf(direction);
    const opts = { size: this.parts.data.a.size, norm: translatorNorm(this.config.model.gNorm).norm, metadata: { direction, ...metadata } };
    if (ema === null || !ema.ready) return exportTranslator(g, opts);
    const copy = (m: ReadonlyMap<string, tf.Variable>) => new Map([...m].map(([k, v]) => [k, tf.variable(v, false)] as const));
    const { trainable, state } = ema.withEma(() => ({ trainable: copy(g.trainable), state: copy(g.state) }));
    const dispose = (): void => tf.dispose([...trainable.values(), ...state.values()]);
    const frozen: Translator = {
      trainable,
      state,
      dispose,
      apply: () => {
        throw new Error('the exported EMA copy is not a runnable translator');
      },
    };
    try {
      return await exportTranslator(frozen, opts);
    } finally {
      dispose();
    }
  }

  /**
   * The first `count` fixed validation images as the translator of `direction` takes them (a paired
   * run's inputs degraded as validation degrades them; an unpaired run's images of A, or of B for
   * 'ba'): what the export's example translates.
   */
  exampleInputs(count: number, direction: 'ab' | 'ba' = 'ab'): { images: Float32Array; count: number; channels: number } {
    this.assertUsable();
    const v = this.validation;
    const { size, channels } = this.parts.data.a;
    if (direction === 'ba' && this.parts.gBA === null) throw new Error('a paired run translates one way, A → B');
    const [source, available, c] = direction === 'ab' ? [v.a, v.count, v.aChannels] : [v.b, v.bCount, channels];
    const n = Math.min(count, available);
    return { images: source.slice(0, n * size * size * c), count: n, channels: c };
  }

  async exportState(): Promise<CheckpointState> {
    this.assertUsable();
    this.busy = true;
    try {
      return await exportTranslationState(this.parts, this.steps);
    } finally {
      this.busy = false;
    }
  }

  async importState(state: CheckpointState): Promise<void> {
    this.assertUsable();
    this.busy = true;
    try {
      this.steps = importTranslationState(this.parts, state);
    } finally {
      this.busy = false;
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    disposeTranslationParts(this.parts);
  }

  private translatorOf(direction: 'ab' | 'ba'): { g: Translator; ema: WeightEma | null } {
    const p = this.parts;
    if (direction === 'ab') return { g: p.gAB, ema: p.emaAB };
    if (p.gBA === null) throw new Error('a paired run translates one way, A → B');
    return { g: p.gBA, ema: p.emaBA };
  }

  private async run(direction: 'ab' | 'ba', images: Float32Array, count: number, raw: boolean): Promise<Float32Array> {
    const { g, ema } = this.translatorOf(direction);
    const { size, channels } = this.parts.data.a;
    const inChannels = direction === 'ab' ? this.validation.aChannels : channels;
    return translateImages(g, raw ? null : ema, images, count, size, inChannels);
  }

  private async tripletGrid(raw: boolean): Promise<SampleGrid> {
    const v = this.validation;
    const { size, channels } = this.parts.data.a;
    const rows = Math.min(this.config.sampleGridSize, v.count);
    const pick = (images: Float32Array, c: number) => images.subarray(0, rows * size * size * c);
    const inputs = pick(v.a, v.aChannels);
    const outputs = await this.run('ab', inputs, rows, raw);
    if (this.parts.gBA === null) {
      const columns: TripletColumn[] = [
        { images: inputs, channels: v.aChannels },
        { images: outputs, channels },
        { images: pick(v.b, channels), channels },
      ];
      return tileTriplets(columns, rows, size, channels);
    }
    // Unpaired: half the rows start in A, half in B; each shows the image, its translation and the way back.
    const half = Math.max(1, Math.floor(rows / 2));
    const aRows = inputs.subarray(0, half * size * size * channels);
    const bRows = v.b.subarray(0, Math.min(half, v.bCount) * size * size * channels);
    const bCount = bRows.length / (size * size * channels);
    const ab = outputs.subarray(0, aRows.length);
    const aba = await this.run('ba', ab, half, raw);
    const ba = await this.run('ba', bRows, bCount, raw);
    const bab = await this.run('ab', ba, bCount, raw);
    const join = (x: Float32Array, y: Float32Array) => {
      const out = new Float32Array(x.length + y.length);
      out.set(x);
      out.set(y, x.length);
      return out;
    };
    const columns: TripletColumn[] = [
      { images: join(aRows, bRows), channels },
      { images: join(ab, ba), channels },
      { images: join(aba, bab), channels },
    ];
    return tileTriplets(columns, half + bCount, size, channels);
  }

  /** The first VALIDATION_IMAGES validation images, a paired run's inputs degraded with masks from the seed's validation stream (never advanced, so every sample step sees the same). */
  private validationSet(): ValidationSet {
    const d = this.parts.data;
    const { size, channels } = d.a;
    const values = size * size * channels;
    const count = Math.min(VALIDATION_IMAGES, d.validationA.count);
    const targets = toSigned(d.validationA.images, count, values);
    if (this.parts.degradation === null) {
      // Stored pairs and unpaired runs: A's images as they are, beside B's (a pair's target at the same index).
      const vb = d.validationB;
      if (vb === null) throw new Error('this run needs validation images of its second dataset');
      const bCount = Math.min(VALIDATION_IMAGES, vb.count);
      return { count, a: targets, aChannels: channels, b: toSigned(vb.images, bCount, values), bCount };
    }
    const degradation = this.parts.degradation;
    const inputs = tf.tidy(() => degrade(degradation, tf.tensor4d(targets, [count, size, size, channels]), new Rng(this.config.seed, VALIDATION_STREAM)));
    try {
      return { count, a: inputs.dataSync() as Float32Array, aChannels: inputs.shape[3], b: targets, bCount: count };
    } finally {
      inputs.dispose();
    }
  }

  private assertUsable(): void {
    if (this.disposed) throw new Error('TranslationSession was disposed');
    if (this.busy) throw new Error('TranslationSession is busy with a step or with exporting or importing its state; await that first');
  }
}
