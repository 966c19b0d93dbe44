/** The DCGAN Generator and Discriminator as tf.layers models, seeded so the same seed gives the same weights. */
import * as tf from '@tensorflow/tfjs';

export interface DcganOptions {
  /** Image side in pixels: size / 2^k must land in [3, 8] for some k >= 1 (16, 24, 28, 32, 64, 128…). */
  size: number;
  channels: 1 | 3;
  latentSize: number;
  /**
   * DCGAN's ngf/ndf: channels of the Generator's last hidden layer and of the Discriminator's first
   * layer; each step further from the image doubles it, capped at 8 × width.
   */
  width: number;
  /** Seed for every initializer; each layer derives its own from it. */
  seed: number;
}

export interface DcganPlan {
  /** Side of the first feature map of the Generator (and the last of the Discriminator). */
  startSide: number;
  /** Number of stride-2 resamplings between startSide and the image side. */
  upsamplings: number;
}

const KERNEL = 4;
const MAX_WIDTH_MULTIPLIER = 8;
/** Fast enough that inference-mode samples track the batch statistics within ~10 steps. */
const BN_MOMENTUM = 0.9;

/** Picks the largest k with size / 2^k an integer in [3, 8]: MNIST's 28 starts at 7, 32 and 64 at 4. */
export function planDcgan(size: number): DcganPlan {
  let best: DcganPlan | null = null;
  for (let k = 1; size / 2 ** k >= 3; k++) {
    const side = size / 2 ** k;
    if (Number.isInteger(side) && side <= 8) best = { startSide: side, upsamplings: k };
  }
  if (best === null) {
    throw new Error(`image size ${size} is not supported: size / 2^k must be an integer from 3 to 8 (e.g. 16, 28, 32, 64)`);
  }
  return best;
}

/** Channels of the feature map `stepsFromImage` resamplings away from the image side. */
function widthAt(width: number, stepsFromImage: number): number {
  return width * Math.min(2 ** (stepsFromImage - 1), MAX_WIDTH_MULTIPLIER);
}

type Init = ReturnType<typeof tf.initializers.randomNormal>;

/** A fresh initializer seed per layer: the same seed and layer index always give the same weights. */
function seeder(seed: number): (mean: number) => Init {
  let layer = 0;
  return (mean: number) => {
    layer += 1;
    // Seeds stay below 2^31 so they serialize as plain ints in the model JSON.
    const layerSeed = (Math.imul(seed + 1, 2654435761) + layer * 40503) >>> 1;
    return tf.initializers.randomNormal({ mean, stddev: 0.02, seed: layerSeed });
  };
}

export function buildGenerator(opts: DcganOptions): tf.Sequential {
  const { startSide, upsamplings } = planDcgan(opts.size);
  const normal = seeder(opts.seed);
  const model = tf.sequential({ name: 'generator' });
  const startWidth = widthAt(opts.width, upsamplings);
  // Batch norm follows every hidden layer, so their biases would be redundant.
  model.add(
    tf.layers.dense({
      name: 'g_project',
      inputShape: [opts.latentSize],
      units: startSide * startSide * startWidth,
      useBias: false,
      kernelInitializer: normal(0),
    }),
  );
  model.add(tf.layers.reshape({ name: 'g_reshape', targetShape: [startSide, startSide, startWidth] }));
  model.add(tf.layers.batchNormalization({ name: 'g_project_bn', momentum: BN_MOMENTUM, gammaInitializer: normal(1) }));
  model.add(tf.layers.reLU({ name: 'g_project_relu' }));
  for (let i = 1; i < upsamplings; i++) {
    model.add(
      tf.layers.conv2dTranspose({
        name: `g_up${i}`,
        filters: widthAt(opts.width, upsamplings - i),
        kernelSize: KERNEL,
        strides: 2,
        padding: 'same',
        useBias: false,
        kernelInitializer: normal(0),
      }),
    );
    model.add(tf.layers.batchNormalization({ name: `g_up${i}_bn`, momentum: BN_MOMENTUM, gammaInitializer: normal(1) }));
    model.add(tf.layers.reLU({ name: `g_up${i}_relu` }));
  }
  model.add(
    tf.layers.conv2dTranspose({
      name: 'g_image',
      filters: opts.channels,
      kernelSize: KERNEL,
      strides: 2,
      padding: 'same',
      activation: 'tanh',
      kernelInitializer: normal(0),
    }),
  );
  return model;
}

/** No batch norm: real and fake halves share one batch, and the D step stays a plain function of it. */
export function buildDiscriminator(opts: DcganOptions): tf.Sequential {
  const { upsamplings } = planDcgan(opts.size);
  const normal = seeder(opts.seed + 1_000_003);
  const model = tf.sequential({ name: 'discriminator' });
  for (let i = 1; i <= upsamplings; i++) {
    model.add(
      tf.layers.conv2d({
        name: `d_down${i}`,
        ...(i === 1 ? { inputShape: [opts.size, opts.size, opts.channels] } : {}),
        filters: widthAt(opts.width, i),
        kernelSize: KERNEL,
        strides: 2,
        padding: 'same',
        kernelInitializer: normal(0),
      }),
    );
    model.add(tf.layers.leakyReLU({ name: `d_down${i}_lrelu`, alpha: 0.2 }));
  }
  model.add(tf.layers.flatten({ name: 'd_flatten' }));
  model.add(tf.layers.dense({ name: 'd_logit', units: 1, kernelInitializer: normal(0) }));
  return model;
}
