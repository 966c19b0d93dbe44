/** TrainingSession: one DCGAN run in memory — seeded D/G steps, fixed-noise SampleGrid, checkpoint state. */
import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../common/training-config';
import { sampleRealBatch, validateTrainingData, type TrainingData } from './batch-sampler';
import {
  assertModelInState,
  restoreAdam,
  restoreModel,
  snapshotAdam,
  snapshotModel,
  type CheckpointState,
} from './checkpoint-state';
import { buildDiscriminator, buildGenerator } from './dcgan';
import { discriminatorLoss, generatorLoss } from './losses';
import { isRngSnapshot, Rng } from './rng';
import { tileSampleGrid, type SampleGrid } from './sample-grid';

export type { CheckpointState, CheckpointTensor } from './checkpoint-state';
export type { TrainingData } from './batch-sampler';
export type { SampleGrid } from './sample-grid';

/** Plain numbers measured in one step; a type alias so it fits MetricPoint.values. */
export type MetricValues = {
  d_loss: number;
  g_loss: number;
  /** Mean sigmoid D(x) over the real batch. */
  d_real: number;
  /** Mean sigmoid D(G(z)) during the D step. */
  d_fake: number;
  g_grad_norm: number;
  d_grad_norm: number;
};

export interface TrainingSessionInit {
  config: TrainingConfig;
  data: TrainingData;
}

const STATE_VERSION = 1;
/** Independent RNG streams drawn from the one config seed. */
const STREAM = { batches: 1, noise: 2, sampleGrid: 3 } as const;

function adam(opts: TrainingConfig['optimizerG']): tf.AdamOptimizer {
  return tf.train.adam(opts.lr, opts.beta1, opts.beta2);
}

function variablesOf(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/** Global L2 norm over all of a network's gradients. */
function globalNorm(grads: tf.NamedTensorMap): tf.Scalar {
  return tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))));
}

/** In the variables' order: Adam pairs its moments with gradients by position. */
function asGradientList(grads: tf.NamedTensorMap): { name: string; tensor: tf.Tensor }[] {
  return Object.entries(grads).map(([name, tensor]) => ({ name, tensor }));
}

export class TrainingSession {
  readonly config: TrainingConfig;
  readonly generator: tf.Sequential;
  readonly discriminator: tf.Sequential;
  private readonly data: TrainingData;
  private optimizerG: tf.AdamOptimizer;
  private optimizerD: tf.AdamOptimizer;
  private readonly gVariables: tf.Variable[];
  private readonly dVariables: tf.Variable[];
  private readonly batchRng: Rng;
  private readonly noiseRng: Rng;
  /** Fixed for the whole run so SampleGrids at different steps are comparable. */
  private readonly gridNoise: Float32Array;
  private steps = 0;
  /** Set while exportState/importState await, so a step cannot interleave with a half-read state. */
  private busy = false;
  private disposed = false;

  constructor(init: TrainingSessionInit) {
    const { config, data } = init;
    validateTrainingData(data);
    if (config.model.arch !== 'dcgan') throw new Error(`unsupported architecture ${String(config.model.arch)}`);
    if (config.loss.type !== 'non-saturating') throw new Error(`unsupported loss ${String(config.loss.type)}`);
    this.config = config;
    this.data = data;
    const shape = { size: data.size, channels: data.channels, latentSize: config.latentSize, seed: config.seed };
    this.generator = buildGenerator({ ...shape, width: config.model.gWidth });
    this.discriminator = buildDiscriminator({ ...shape, width: config.model.dWidth });
    this.gVariables = variablesOf(this.generator);
    this.dVariables = variablesOf(this.discriminator);
    this.optimizerG = adam(config.optimizerG);
    this.optimizerD = adam(config.optimizerD);
    this.batchRng = new Rng(config.seed, STREAM.batches);
    this.noiseRng = new Rng(config.seed, STREAM.noise);
    this.gridNoise = new Rng(config.seed, STREAM.sampleGrid).normals(config.sampleGridSize ** 2 * config.latentSize);
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

  get stepCount(): number {
    return this.steps;
  }

  /** One Discriminator step then one Generator step, each with its own Adam. */
  step(): MetricValues {
    this.assertUsable();
    const { batchSize, latentSize } = this.config;
    const { size, channels } = this.data;
    const realPixels = sampleRealBatch(this.data, batchSize, this.batchRng);
    const noiseD = this.noiseRng.normals(batchSize * latentSize);
    const noiseG = this.noiseRng.normals(batchSize * latentSize);
    const kept: tf.Tensor[] = [];
    let packed: tf.Tensor1D;
    try {
      packed = tf.tidy(() => {
        const real = tf.tensor4d(realPixels, [batchSize, size, size, channels]);
        // Outside any gradient tape: the D step must not reach into the Generator.
        const fake = this.generator.apply(tf.tensor2d(noiseD, [batchSize, latentSize]), { training: true }) as tf.Tensor;
        let dReal: tf.Tensor | undefined;
        let dFake: tf.Tensor | undefined;
        const d = tf.variableGrads(() => {
          // One batch of real and fake halves: one pass through each conv instead of two.
          const logits = this.discriminator.apply(tf.concat([real, fake], 0), { training: true }) as tf.Tensor;
          const [realLogits, fakeLogits] = tf.split(logits, 2, 0) as [tf.Tensor, tf.Tensor];
          // keep() lets these outlive variableGrads' inner scope; freed in the finally below.
          dReal = tf.keep(tf.mean(tf.sigmoid(realLogits)));
          dFake = tf.keep(tf.mean(tf.sigmoid(fakeLogits)));
          kept.push(dReal, dFake);
          return discriminatorLoss(realLogits, fakeLogits);
        }, this.dVariables);
        const dNorm = globalNorm(d.grads);
        this.optimizerD.applyGradients(asGradientList(d.grads));

        const g = tf.variableGrads(() => {
          const generated = this.generator.apply(tf.tensor2d(noiseG, [batchSize, latentSize]), { training: true }) as tf.Tensor;
          return generatorLoss(this.discriminator.apply(generated, { training: true }) as tf.Tensor);
        }, this.gVariables);
        const gNorm = globalNorm(g.grads);
        this.optimizerG.applyGradients(asGradientList(g.grads));
        if (dReal === undefined || dFake === undefined) throw new Error('discriminator step produced no outputs');
        return tf.stack([d.value, g.value, dReal, dFake, gNorm, dNorm]) as tf.Tensor1D;
      });
    } finally {
      tf.dispose(kept);
    }
    // One read per step: every value comes back in a single sync.
    const values = packed.dataSync();
    packed.dispose();
    this.steps += 1;
    const at = (i: number): number => values[i] ?? Number.NaN;
    return { d_loss: at(0), g_loss: at(1), d_real: at(2), d_fake: at(3), g_grad_norm: at(4), d_grad_norm: at(5) };
  }

  /** The Generator in inference mode on the run's fixed noise, tiled into an N × N grid. */
  sampleGrid(): SampleGrid {
    this.assertUsable();
    const n = this.config.sampleGridSize;
    const images = tf.tidy(() => {
      const z = tf.tensor2d(this.gridNoise, [n * n, this.config.latentSize]);
      return this.generator.apply(z, { training: false }) as tf.Tensor;
    });
    const values = images.dataSync() as Float32Array;
    images.dispose();
    return tileSampleGrid(values, n, this.data.size, this.data.channels);
  }

  /** Weights, optimizer moments, RNG streams and step: enough to continue bit-for-bit. */
  async exportState(): Promise<CheckpointState> {
    this.assertUsable();
    this.busy = true;
    try {
      const tensors = [
        ...snapshotModel('generator', this.generator),
        ...snapshotModel('discriminator', this.discriminator),
        ...(await snapshotAdam('optimizerG', this.optimizerG)),
        ...(await snapshotAdam('optimizerD', this.optimizerD)),
      ];
      const meta = {
        version: STATE_VERSION,
        step: this.steps,
        seed: this.config.seed,
        arch: this.config.model.arch,
        size: this.data.size,
        channels: this.data.channels,
        latentSize: this.config.latentSize,
        gWidth: this.config.model.gWidth,
        dWidth: this.config.model.dWidth,
        batchRng: this.batchRng.getState(),
        noiseRng: this.noiseRng.getState(),
      };
      return { meta, tensors };
    } finally {
      this.busy = false;
    }
  }

  /** Replaces this session's whole state; the checkpoint must come from the same model shape. */
  async importState(state: CheckpointState): Promise<void> {
    this.assertUsable();
    const meta = state.meta;
    if (meta['version'] !== STATE_VERSION) throw new Error(`unsupported checkpoint version ${String(meta['version'])}`);
    const expected: Record<string, unknown> = {
      arch: this.config.model.arch,
      size: this.data.size,
      channels: this.data.channels,
      latentSize: this.config.latentSize,
      gWidth: this.config.model.gWidth,
      dWidth: this.config.model.dWidth,
    };
    for (const [key, value] of Object.entries(expected)) {
      if (meta[key] !== value) throw new Error(`checkpoint ${key} is ${String(meta[key])}, this run has ${String(value)}`);
    }
    const step = meta['step'];
    if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) throw new Error('checkpoint step is missing');
    const { batchRng, noiseRng } = meta;
    if (!isRngSnapshot(batchRng) || !isRngSnapshot(noiseRng)) throw new Error('checkpoint RNG state is missing or malformed');
    assertModelInState('generator', this.generator, state);
    assertModelInState('discriminator', this.discriminator, state);
    this.busy = true;
    try {
      restoreModel('generator', this.generator, state);
      restoreModel('discriminator', this.discriminator, state);
      // Fresh optimizers: Adam.setWeights would leak moments it already holds.
      const optimizerG = adam(this.config.optimizerG);
      const optimizerD = adam(this.config.optimizerD);
      try {
        await restoreAdam('optimizerG', optimizerG, state, this.gVariables.map((v) => v.shape));
        await restoreAdam('optimizerD', optimizerD, state, this.dVariables.map((v) => v.shape));
      } catch (error) {
        optimizerG.dispose();
        optimizerD.dispose();
        throw error;
      }
      this.optimizerG.dispose();
      this.optimizerD.dispose();
      this.optimizerG = optimizerG;
      this.optimizerD = optimizerD;
      this.batchRng.setState(batchRng);
      this.noiseRng.setState(noiseRng);
      this.steps = step;
    } finally {
      this.busy = false;
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.generator.dispose();
    this.discriminator.dispose();
    this.optimizerG.dispose();
    this.optimizerD.dispose();
  }

  private assertUsable(): void {
    if (this.disposed) throw new Error('TrainingSession was disposed');
    if (this.busy) throw new Error('TrainingSession is exporting or importing its state; await that first');
  }
}
