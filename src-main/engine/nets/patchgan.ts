/** pix2pix's conditional PatchGAN discriminator (Isola et al. 2017): a conv stack whose every output logit judges one 70×70 (at 256) patch of the condition–image pair. */
import * as tf from '@tensorflow/tfjs';
import { biasBefore, widthAt } from '../../common/net-plan';
import { layerStrides, paddedSide, patchGanReceptiveField, patchGanStrides, TRANSLATOR_KERNEL } from '../../common/translator-plan';
import { conv, type Conv, type LinearOptions } from './layers';
import { norm, type Norm } from './normalization';
import { ParamStore } from './params';
import { registerSecondOrderGradients } from './second-order';
import type { NetParams } from './types';
import type { TranslatorNorm } from './unet';

const KERNEL = TRANSLATOR_KERNEL;
const INIT_STD = 0.02;
const LEAK = 0.2;

export { patchGanReceptiveField, patchGanStrides };

export interface PatchCriticOptions {
  size: number;
  /** Condition + image channels. */
  inChannels: number;
  /** The first layer's channels (64 in the paper). */
  width: number;
  norm: TranslatorNorm;
  spectral: boolean;
  seed: number;
  /** ParamStore scope, e.g. 'discriminator' or 'discriminatorA'. */
  name: string;
}

export interface PatchCritic extends NetParams {
  /** x [N,S,S,inChannels] (condition concatenated with the image on channels) -> patch logits flattened sample-major [N·P] and P. */
  apply(x: tf.Tensor4D, training: boolean): { logits: tf.Tensor1D; patches: number };
}

interface Layer {
  layer: Conv;
  norm: Norm | null;
  /** The side this layer outputs, as the reference's padding 1 gives it. */
  side: number;
}

/**
 * C64 (no norm) – C128 – C256, 4×4 stride 2, LeakyReLU 0.2; then C512 4×4 stride 1 with norm and
 * LeakyReLU; then a 4×4 stride-1 conv to one logit per patch. Smaller images drop stride-2 layers
 * from the end of that list, and the stride-1 layer's width follows the reference's
 * width·min(2^strides, 8): 8w at 256, 4w at 128, 2w at 64 and below.
 *
 * Padding: the shared conv helper pads 'same', which for a 4×4 kernel puts 1 before and 1 or 2
 * after; the reference pads 1 each side. The first rows and columns therefore match exactly, and
 * cropping each output to the reference's side drops only the cells that read the extra pad. So
 * the patch grid is the reference's: 30×30 at 256 (and 128, 64), 14×14 at 32, 12×12 at 28.
 */
export function buildPatchGan(o: PatchCriticOptions): PatchCritic {
  for (const [key, value] of [['inChannels', o.inChannels], ['width', o.width]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`PatchGAN ${key} must be a positive integer, got ${value}`);
  }
  const strides = layerStrides(o.size);
  const downs = strides.length - 2;
  const sides: number[] = [];
  strides.reduce((side, stride) => {
    const next = paddedSide(side, stride);
    sides.push(next);
    return next;
  }, o.size);
  const grid = sides[sides.length - 1] ?? 0;
  if (grid < 1) {
    throw new Error(`image size ${o.size} is too small for the PatchGAN: ${downs} stride-2 and two stride-1 4×4 convs leave no patch (it needs a size of at least 6)`);
  }
  const patches = grid * grid;
  registerSecondOrderGradients();
  const store = new ParamStore(o.seed, o.name);
  try {
    const normed = o.norm !== 'none';
    const linear = (bias: boolean): LinearOptions => ({ spectral: o.spectral, bias, std: INIT_STD });
    // Layer i < downs is stride 2 with widthAt(width, i + 1); layer downs is the wide stride-1 one.
    const widths = strides.map((_, i) => (i === strides.length - 1 ? 1 : widthAt(o.width, i + 1)));
    const layers: Layer[] = strides.map((stride, i) => {
      const hasNorm = normed && i > 0 && i < strides.length - 1;
      const inCh = i === 0 ? o.inChannels : (widths[i - 1] ?? 0);
      const outCh = widths[i] ?? 0;
      const name = i === strides.length - 1 ? 'out/conv' : `layer${i}/conv`;
      return {
        layer: conv(store, name, KERNEL, inCh, outCh, stride, linear(!hasNorm || biasBefore(o.norm))),
        norm: hasNorm ? norm(store, `layer${i}/norm`, { kind: o.norm, channels: outCh, numClasses: 0, gammaStd: INIT_STD }) : null,
        side: sides[i] ?? 0,
      };
    });

    return {
      trainable: store.trainable,
      state: store.state,
      dispose: () => store.dispose(),
      apply(x, training) {
        if (x.rank !== 4 || x.shape[1] !== o.size || x.shape[2] !== o.size || x.shape[3] !== o.inChannels) {
          throw new Error(`${o.name} input must be [N, ${o.size}, ${o.size}, ${o.inChannels}], got [${x.shape.join(', ')}]`);
        }
        const n = x.shape[0];
        const logits = tf.tidy(() => {
          let h: tf.Tensor4D = x;
          layers.forEach((l, i) => {
            h = l.layer(h, training);
            // Drop the trailing cells the 'same' padding adds beyond the reference's (see above).
            if (h.shape[1] !== l.side) h = tf.slice(h, [0, 0, 0, 0], [n, l.side, l.side, -1]);
            if (l.norm !== null) h = l.norm(h, null, training);
            if (i < layers.length - 1) h = tf.leakyRelu(h, LEAK);
          });
          // [N, g, g, 1] row-major: logit n·P + row·g + column.
          return tf.reshape(h, [n * patches]) as tf.Tensor1D;
        });
        return { logits, patches };
      },
    };
  } catch (error) {
    store.dispose();
    throw error;
  }
}
