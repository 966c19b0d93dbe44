/** Classic augmentation of real images (flip, rotation, zoom, translation, crop, color jitter, cutout, noise), seeded so trainer and UI preview agree. */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../common/rng';
import { cutoutMask, resampleAffine, type FillMode } from './geometry';
import { hasGeometry, sampleAugmentParams, toAffine, type AugmentConfig, type AugmentParams, type ImageAugment } from './classic-params';

export { describeAugment, sampleAugmentParams } from './classic-params';
export type { AugmentConfig, AugmentOpId, AugmentParams, ClassicOp, ImageAugment } from './classic-params';
export type { FillMode } from './geometry';

/** ITU-R BT.601 luma, the weights of tf.image.rgbToGrayscale. */
const LUMA = [0.299, 0.587, 0.114];

function perImage(values: number[]): tf.Tensor4D {
  return tf.tensor4d(values, [values.length, 1, 1, 1]);
}

/**
 * Brightness, then saturation, then contrast (DiffAugment's order). Written as x + (k − 1)·(x − ref)
 * rather than (x − ref)·k + ref so an image that did not fire (k = 1) keeps its exact values.
 */
function colorJitter(x: tf.Tensor4D, images: readonly ImageAugment[]): tf.Tensor4D {
  let y = tf.add(x, perImage(images.map((i) => i.brightness)));
  if (x.shape[3] === 3) {
    const gray = tf.sum(tf.mul(y, tf.tensor1d(LUMA)), 3, true);
    y = tf.add(y, tf.mul(tf.sub(y, gray), perImage(images.map((i) => i.saturation - 1))));
  }
  const mean = tf.mean(y, [1, 2, 3], true);
  return tf.add(y, tf.mul(tf.sub(y, mean), perImage(images.map((i) => i.contrast - 1))));
}

/** Each image's noise comes from its own seeded Rng, so the preview of one image never depends on the batch size. */
function noiseTensor(shape: [number, number, number, number], images: readonly ImageAugment[]): tf.Tensor4D {
  const per = shape[1] * shape[2] * shape[3];
  const values = new Float32Array(shape[0] * per);
  images.forEach((img, i) => {
    if (img.noise === null) return;
    const normals = new Rng(img.noise.seed).normals(per);
    for (let j = 0; j < per; j++) values[i * per + j] = img.noise.std * (normals[j] as number);
  });
  return tf.tensor4d(values, shape);
}

/**
 * Applies drawn parameters: one bilinear resample for all geometric ops together (one blur, not
 * five), then color jitter, cutout, noise, and a clip to [-1, 1]. Cutout writes 0, mid-gray in
 * [-1, 1] space, as DiffAugment does: neither a black nor a white patch that could read as content.
 * Geometric fill defaults to 'reflect' (StyleGAN2-ADA): zero or edge fill would leave borders D can
 * learn. Ops no image fired are skipped, so all-p = 0 returns the input's values exactly.
 */
export function applyAugmentParams(x: tf.Tensor4D, params: AugmentParams, fill: FillMode = 'reflect'): tf.Tensor4D {
  const [n, h, w] = x.shape;
  const { images, size } = params;
  if (images.length !== n || h !== size || w !== size) {
    throw new Error(`augment parameters are for ${images.length} images of ${size}×${size}, got [${x.shape.join(', ')}]`);
  }
  return tf.tidy(() => {
    let y = x;
    if (images.some(hasGeometry)) {
      y = resampleAffine(y, images.map((img) => toAffine(img, size)), fill);
    }
    if (images.some((i) => i.brightness !== 0 || i.contrast !== 1 || i.saturation !== 1)) y = colorJitter(y, images);
    if (images.some((i) => i.cutout !== null)) y = tf.mul(y, cutoutMask(n, h, w, images.map((i) => i.cutout)));
    if (images.some((i) => i.noise !== null)) y = tf.add(y, noiseTensor(x.shape, images));
    return tf.clipByValue(y, -1, 1);
  });
}

/**
 * Augments a batch of square NHWC images in [-1, 1] (1 or 3 channels): per image each op fires with
 * its own p at a random strength. Returns a new tensor; the caller disposes both.
 */
export function augmentBatch(x: tf.Tensor4D, cfg: AugmentConfig, rng: Rng): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  if (h !== w) throw new Error(`augmentBatch needs square images, got ${h}×${w}`);
  if (c !== 1 && c !== 3) throw new Error(`augmentBatch needs 1 or 3 channels, got ${c}`);
  return applyAugmentParams(x, sampleAugmentParams(cfg, n, h, rng));
}
