/** On-the-fly degradations that turn any image dataset into a paired image-to-image task: inpainting, super-resolution and colourisation. */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../common/rng';
import { translatorInputChannels } from '../../common/translator-plan';
import { drawMasks } from './masks';
import { downscale, upscaleBicubic } from './resize';

export { drawMasks, type MaskKind } from './masks';
export { downscale, upscaleBicubic, type DownFilter } from './resize';

export type Degradation =
  | { kind: 'inpaint'; mask: 'rect' | 'strokes' }
  | { kind: 'superres'; scale: 2 | 4; filter: 'area' | 'bilinear' | 'bicubic' }
  | { kind: 'colorize' };

/** ITU-R BT.601 luma, the grey that colourisation datasets conventionally start from. */
const LUMA = [0.299, 0.587, 0.114] as const;

/**
 * Channels of G's input for a target with `channels` channels (translatorInputChannels: inpaint
 * C + 1, superres C, colorize 1). Throws for a combination that cannot be trained, before any data is read.
 */
export function degradedChannels(d: Degradation, channels: number, size: number): number {
  if (d.kind === 'superres') {
    if (size % d.scale !== 0) throw new Error(`super-resolution ×${d.scale} needs an image size divisible by ${d.scale}; this dataset is ${size}×${size}`);
    if (size / d.scale < 4) throw new Error(`super-resolution ×${d.scale} of ${size}×${size} images leaves under 4×4 pixels; use a smaller scale or larger images`);
  }
  if (d.kind === 'colorize' && channels !== 3) throw new Error('colorization needs colour images; this dataset is greyscale');
  return translatorInputChannels(d.kind, channels);
}

/**
 * G's input for a batch of targets in [-1, 1]. Inpainting draws its masks from `rng` (nothing else
 * draws), image by image, so a run is reproducible and resumes exactly from a saved Rng state.
 * Returns a new tensor; does not dispose `target`.
 */
export function degrade(d: Degradation, target: tf.Tensor4D, rng: Rng): tf.Tensor4D {
  const [n, size, width, channels] = target.shape;
  if (size !== width) throw new Error(`degrade needs square images, got ${size}×${width}`);
  degradedChannels(d, channels, size);
  switch (d.kind) {
    case 'inpaint': {
      const values = drawMasks(d.mask, n, size, rng);
      return tf.tidy(() => {
        const m = tf.tensor4d(values, [n, size, size, 1]);
        // Missing pixels read 0, mid grey, so the hole carries no trace of the target.
        const kept: tf.Tensor4D = tf.mul(target, tf.sub(1, m));
        const maskChannel: tf.Tensor4D = tf.sub(tf.mul(m, 2), 1);
        return tf.concat([kept, maskChannel], 3);
      });
    }
    case 'superres':
      return tf.tidy(() => upscaleBicubic(downscale(target, d.scale, d.filter), d.scale));
    case 'colorize':
      return tf.tidy(() => tf.sum(tf.mul(target, tf.tensor4d([...LUMA], [1, 1, 1, 3])), 3, true));
  }
}

/** The 0/1 mask (1 = missing) carried in the last channel of an inpainting input. */
export function maskOfInput(input: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = input.shape;
  return tf.tidy(() => tf.div(tf.add(tf.slice(input, [0, 0, 0, c - 1], [n, h, w, 1]), 1), 2));
}
