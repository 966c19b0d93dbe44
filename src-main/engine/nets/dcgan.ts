/** DCGAN bodies (Radford et al. 2016): strided 4×4 (transposed) convolutions, norm, ReLU in G and LeakyReLU in D; grown a resolution at a time when progressive (Karras et al. 2018). */
import * as tf from '@tensorflow/tfjs';
import { biasBefore, widthAt } from '../../common/net-plan';
import type { Stage } from '../../common/progressive';
import type { DiscriminatorBody, DiscriminatorBodyOptions, GeneratorBody, GeneratorBodyOptions } from './body';
import { conv, convTranspose, dense, type Conv } from './layers';
import { minibatchStddev } from './minibatch';
import { norm, type Norm } from './normalization';
import type { ParamStore } from './params';
import { pixelNorm } from './pixel-norm';
import { downsample2, upsample2 } from './resample';

const KERNEL = 4;
const INIT_STD = 0.02;
const LEAK = 0.2;

/**
 * The G output layer at a side below the full one, and the D input layer at it. Named by the side,
 * so a Grow finds the layer the smaller run had as its `toImage` / `block1/conv` under this name.
 */
export const toImageAt = (side: number): string => `toImage@${side}`;
export const fromImageAt = (side: number): string => `fromImage@${side}`;

/** The sides a progressive net has extra output (G) or input (D) layers for: from its first side up to, not including, the full one. */
function growingSides(startSide: number, blocks: number, from: number | null): number[] {
  if (from === null) return [];
  const sides: number[] = [];
  for (let p = 1; p < blocks; p++) if (startSide * 2 ** p >= from) sides.push(startSide * 2 ** p);
  return sides;
}

/** Which phase of the plan a stage's side is (1 = the first up-block's output, `blocks` = the full size). */
function phaseOf(side: number, startSide: number, blocks: number): number {
  const p = Math.round(Math.log2(side / startSide));
  if (startSide * 2 ** p !== side || p < 1 || p > blocks) throw new Error(`image side ${side} is not one this net draws (${startSide} × 2^1…${blocks})`);
  return p;
}

/** (1 − α)·old + α·new: a new block fading in (G's output, D's features, the reals D sees). */
export function fade(old: tf.Tensor4D, next: tf.Tensor4D, alpha: number): tf.Tensor4D {
  return tf.add(tf.mul(old, 1 - alpha), tf.mul(next, alpha));
}

/**
 * z -> dense -> [s0, s0, C] -> norm, ReLU -> [convT ×2, norm, ReLU]… -> convT to the image channels -> tanh.
 * Progressive: at phase p (side s0·2^p) the first p − 1 blocks run, then `toImage@side` (`toImage`
 * at the full side); while α < 1 the previous side's image, upsampled, is blended in.
 */
export function dcganGenerator(store: ParamStore, opts: GeneratorBodyOptions): GeneratorBody {
  const { startSide: s0, blocks: k } = opts.plan;
  const { kind, spectral, numClasses } = opts.norm;
  const equalized = opts.equalized;
  const hidden = { spectral, bias: biasBefore(kind), std: INIT_STD, equalized };
  const toImageOpts = { spectral, bias: true, std: INIT_STD, equalized };
  const normOf = (name: string, channels: number) => norm(store, name, { kind, channels, numClasses, gammaStd: INIT_STD });
  const w0 = widthAt(opts.width, k);
  const project = dense(store, 'project', opts.inDim, s0 * s0 * w0, opts.projectionNorm ? hidden : { ...hidden, bias: true });
  const projectNorm = opts.projectionNorm ? normOf('project/norm', w0) : null;
  const ups = Array.from({ length: k - 1 }, (_, j) => {
    const i = j + 1;
    const outCh = widthAt(opts.width, k - i);
    return { up: convTranspose(store, `block${i}/convT`, KERNEL, widthAt(opts.width, k - i + 1), outCh, hidden), norm: normOf(`block${i}/norm`, outCh) };
  });
  const toImage = convTranspose(store, 'toImage', KERNEL, widthAt(opts.width, 1), opts.channels, toImageOpts);
  // Phase p's output layer reads what p − 1 blocks made: widthAt(width, k − p + 1) channels.
  const toImages = new Map<number, Conv>([[s0 * 2 ** k, toImage]]);
  for (const side of growingSides(s0, k, opts.progressiveFrom)) {
    const p = phaseOf(side, s0, k);
    toImages.set(side, convTranspose(store, toImageAt(side), KERNEL, widthAt(opts.width, k - p + 1), opts.channels, toImageOpts));
  }
  const activate = (h: tf.Tensor4D): tf.Tensor4D => (opts.pixelNorm ? pixelNorm(tf.relu(h)) : tf.relu(h));
  const imageAt = (side: number, h: tf.Tensor4D, training: boolean): tf.Tensor4D => {
    const layer = toImages.get(side);
    if (layer === undefined) throw new Error(`this generator has no output layer at side ${side}`);
    return tf.tanh(layer(h, training));
  };

  return (z, classes, training, stage) => {
    const side = stage?.size ?? s0 * 2 ** k;
    const p = phaseOf(side, s0, k);
    const flat = project(z, training);
    const first = tf.reshape(flat, [z.shape[0], s0, s0, w0]) as tf.Tensor4D;
    let h = activate(projectNorm === null ? first : projectNorm(first, classes, training));
    let before = h;
    for (const block of ups.slice(0, p - 1)) {
      before = h;
      h = activate(block.norm(block.up(h, training), classes, training));
    }
    const image = imageAt(side, h, training);
    const alpha = stage?.alpha ?? 1;
    if (alpha >= 1 || p === 1) return image;
    // ProGAN's skip path: the previous side's image, nearest-neighbour ×2.
    return fade(upsample2(imageAt(side / 2, before, training)), image, alpha);
  };
}

interface DLayer {
  conv: Conv;
  norm: Norm | null;
}

/**
 * [conv 4×4 stride 2, norm, LeakyReLU 0.2]… with no norm after the first conv (as in the paper), then flatten.
 * Progressive: at side s0·2^p the image enters through `fromImage@side` (a first conv like
 * block 1's) in place of the blocks that read larger images; while α < 1 the image, average-pooled,
 * also enters through the previous side's input layer and the two meet where the new block ends.
 */
export function dcganDiscriminator(store: ParamStore, opts: DiscriminatorBodyOptions): DiscriminatorBody {
  const { startSide: s0, blocks: k } = opts.plan;
  const { kind, spectral } = opts.norm;
  const stddevIn = (j: number): number => (opts.stddev && j === k ? 1 : 0);
  const layers: DLayer[] = Array.from({ length: k }, (_, idx) => {
    const i = idx + 1;
    const inCh = (i === 1 ? opts.channels : widthAt(opts.width, i - 1)) + stddevIn(i);
    const outCh = widthAt(opts.width, i);
    const normed = i > 1 && kind !== 'none';
    return {
      conv: conv(store, `block${i}/conv`, KERNEL, inCh, outCh, 2, { spectral, bias: !normed || biasBefore(kind), std: INIT_STD, equalized: opts.equalized }),
      norm: normed ? norm(store, `block${i}/norm`, { kind, channels: outCh, numClasses: 0, gammaStd: INIT_STD }) : null,
    };
  });
  // The input layer at side s0·2^p stands in for block j = k − p + 1: image channels in, that block's width out.
  const inputs = new Map<number, DLayer>([[s0 * 2 ** k, layers[0]!]]);
  for (const side of growingSides(s0, k, opts.progressiveFrom)) {
    const j = k - phaseOf(side, s0, k) + 1;
    const layer = conv(store, fromImageAt(side), KERNEL, opts.channels + stddevIn(j), widthAt(opts.width, j), 2, { spectral, bias: true, std: INIT_STD, equalized: opts.equalized });
    inputs.set(side, { conv: layer, norm: null });
  }
  const featureSize = s0 * s0 * widthAt(opts.width, k);
  const run = (layer: DLayer, h: tf.Tensor4D, j: number, training: boolean): tf.Tensor4D => {
    let x = opts.stddev && j === k ? minibatchStddev(h) : h;
    x = layer.conv(x, training);
    if (layer.norm !== null) x = layer.norm(x, null, training);
    return tf.leakyRelu(x, LEAK);
  };
  const entry = (side: number): DLayer => {
    const layer = inputs.get(side);
    if (layer === undefined) throw new Error(`this discriminator has no input layer at side ${side}`);
    return layer;
  };

  return {
    featureSize,
    apply(x, training, stage: Stage | null) {
      const side = stage?.size ?? s0 * 2 ** k;
      const j0 = k - phaseOf(side, s0, k) + 1;
      const alpha = stage?.alpha ?? 1;
      const blocks: tf.Tensor4D[] = [];
      let h = run(entry(side), x, j0, training);
      blocks.push(h);
      let next = j0 + 1;
      if (alpha < 1 && j0 < k) {
        const grown = run(layers[j0]!, h, j0 + 1, training);
        const old = run(entry(side / 2), downsample2(x), j0 + 1, training);
        h = fade(old, grown, alpha);
        blocks.push(h);
        next = j0 + 2;
      }
      for (let j = next; j <= k; j++) {
        h = run(layers[j - 1]!, h, j, training);
        blocks.push(h);
      }
      return { last: tf.reshape(h, [x.shape[0], featureSize]), blocks };
    },
  };
}
