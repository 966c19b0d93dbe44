/** pix2pix's U-Net generator (Isola et al. 2017): a strided-conv encoder and a transposed-conv decoder joined by a skip connection at every resolution. */
import * as tf from '@tensorflow/tfjs';
import { biasBefore, widthAt } from '../../common/net-plan';
import { TRANSLATOR_KERNEL, unetDepth } from '../../common/translator-plan';
import { conv, convTranspose, type Conv, type LinearOptions } from './layers';
import { norm, type Norm } from './normalization';
import { ParamStore } from './params';
import { registerSecondOrderGradients } from './second-order';
import type { NetParams } from './types';

const KERNEL = TRANSLATOR_KERNEL;
/** pix2pix initializes every kernel N(0, 0.02²) and every norm γ N(1, 0.02²). */
const INIT_STD = 0.02;
const LEAK = 0.2;
/** The encoder's LeakyReLU slope, for the export that rebuilds the net. */
export const UNET_LEAK = LEAK;

export { unetDepth };

export type TranslatorNorm = 'batch' | 'instance' | 'none';

export interface TranslatorOptions {
  /** Image side S; the input and output are S×S. */
  size: number;
  inChannels: number;
  outChannels: number;
  /** Channels of the first encoder layer (64 in the paper); deeper layers double it up to 8·width. */
  width: number;
  /** Number of stride-2 downsamplings; null picks unetDepth's default. */
  depth: number | null;
  norm: TranslatorNorm;
  spectral: boolean;
  seed: number;
  /** ParamStore scope, e.g. 'generator' or 'generatorBA': CycleGAN's two generators draw different weights from one seed. */
  name: string;
}

export interface Translator extends NetParams {
  /** [N,S,S,inChannels] in [-1,1] -> [N,S,S,outChannels] in [-1,1] (tanh). */
  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D;
}

interface Block {
  layer: Conv;
  norm: Norm | null;
}

/**
 * Encoder: down_i = [LeakyReLU 0.2 (not before down0)] → conv 4×4 stride 2 → norm, widths w, 2w,
 * 4w, 8w, 8w…. As in the paper's code, down0 (reads the image) and the innermost down (the
 * bottleneck: instance norm over a 1×1 map would zero it) have no norm. Decoder: up_j = ReLU →
 * transposed conv 4×4 stride 2 → norm, then concatenated [up_j's output, mirrored encoder output]
 * on channels; `out` = ReLU → transposed conv to outChannels → tanh. The skips carry the encoder's
 * pre-activation outputs, as Torch pix2pix's e1…e8 do.
 *
 * No dropout: pix2pix's decoder uses it as G's only noise, but tf.dropout draws from tfjs's global
 * generator, which the run seed does not control, so runs and resumes would stop being reproducible;
 * it would need its own seeded random stream (CycleGAN trains without it).
 */
export function buildUnet(o: TranslatorOptions): Translator {
  for (const [key, value] of [['inChannels', o.inChannels], ['outChannels', o.outChannels], ['width', o.width]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`U-Net ${key} must be a positive integer, got ${value}`);
  }
  const depth = unetDepth(o.size, o.depth);
  registerSecondOrderGradients();
  const store = new ParamStore(o.seed, o.name);
  try {
    const normed = o.norm !== 'none';
    const linear = (bias: boolean): LinearOptions => ({ spectral: o.spectral, bias, std: INIT_STD });
    const normOf = (name: string, channels: number): Norm => norm(store, name, { kind: o.norm, channels, numClasses: 0, gammaStd: INIT_STD });
    // Encoder level i's output is 2^(i+1) times smaller than the image.
    const widths = Array.from({ length: depth }, (_, i) => widthAt(o.width, i + 1));
    const width = (i: number): number => widths[i] ?? 0;

    const downs: Block[] = widths.map((outCh, i) => {
      const hasNorm = normed && i > 0 && i < depth - 1;
      const inCh = i === 0 ? o.inChannels : width(i - 1);
      return {
        layer: conv(store, `down${i}/conv`, KERNEL, inCh, outCh, 2, linear(!hasNorm)),
        norm: hasNorm ? normOf(`down${i}/norm`, outCh) : null,
      };
    });
    // up_j brings level depth−1−j up to level depth−2−j and is concatenated with that level's
    // encoder output, of the same width; from up1 on its input is such a concatenation (two halves).
    const ups: Block[] = Array.from({ length: depth - 1 }, (_, j) => {
      const level = depth - 2 - j;
      const inCh = j === 0 ? width(depth - 1) : 2 * width(level + 1);
      return {
        layer: convTranspose(store, `up${j}/deconv`, KERNEL, inCh, width(level), linear(biasBefore(o.norm))),
        norm: normed ? normOf(`up${j}/norm`, width(level)) : null,
      };
    });
    const out = convTranspose(store, 'out/deconv', KERNEL, depth === 1 ? width(0) : 2 * width(0), o.outChannels, linear(true));

    return {
      trainable: store.trainable,
      state: store.state,
      dispose: () => store.dispose(),
      apply(x, training) {
        if (x.rank !== 4 || x.shape[1] !== o.size || x.shape[2] !== o.size || x.shape[3] !== o.inChannels) {
          throw new Error(`${o.name} input must be [N, ${o.size}, ${o.size}, ${o.inChannels}], got [${x.shape.join(', ')}]`);
        }
        return tf.tidy(() => {
          const skips: tf.Tensor4D[] = [];
          let h: tf.Tensor4D = x;
          downs.forEach((block, i) => {
            h = block.layer(i === 0 ? h : tf.leakyRelu(h, LEAK), training);
            if (block.norm !== null) h = block.norm(h, null, training);
            skips.push(h);
          });
          ups.forEach((block, j) => {
            let y = block.layer(tf.relu(h), training);
            if (block.norm !== null) y = block.norm(y, null, training);
            const skip = skips[depth - 2 - j];
            if (skip === undefined) throw new Error(`U-Net has no encoder output at level ${depth - 2 - j}`);
            h = tf.concat([y, skip], 3);
          });
          return tf.tanh(out(tf.relu(h), training));
        });
      },
    };
  } catch (error) {
    store.dispose();
    throw error;
  }
}
