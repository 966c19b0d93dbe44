/** Inference with a translation run's translators (their EMA weights when EMA is on): images in, images out, a chunk at a time. */
import * as tf from '@tensorflow/tfjs';
import type { Translator } from '../nets';
import type { WeightEma } from '../stabilizers/ema';

/** Images per forward pass: bounds the activations of a large request. */
const CHUNK = 32;

/**
 * `g` on `count` images of size × size × inChannels in [-1, 1], NHWC, in inference mode, with its EMA
 * weights when `ema` has started; the outputs in [-1, 1]. Async: a GPU backend reads back only that way.
 */
export async function translateImages(g: Translator, ema: WeightEma | null, images: Float32Array, count: number, size: number, inChannels: number): Promise<Float32Array> {
  const inValues = size * size * inChannels;
  if (images.length !== count * inValues) throw new Error(`expected ${count} images of ${size} × ${size} × ${inChannels} (${count * inValues} values), got ${images.length}`);
  const parts: Float32Array[] = [];
  for (let start = 0; start < count; start += CHUNK) {
    const m = Math.min(CHUNK, count - start);
    // The EMA swap is synchronous and covers only the forward pass; the read-back happens after it.
    const run = () => tf.tidy(() => g.apply(tf.tensor4d(images.subarray(start * inValues, (start + m) * inValues), [m, size, size, inChannels]), false));
    const out = ema === null || !ema.ready ? run() : ema.withEma(run);
    try {
      parts.push(Float32Array.from((await out.data()) as Float32Array));
    } finally {
      out.dispose();
    }
  }
  const total = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    total.set(part, at);
    at += part.length;
  }
  return total;
}
