/** A translation run's measures on its fixed validation images at each sample step: L1, PSNR and SSIM against the targets with the task's trivial answer as a baseline (paired), or the cycle error (unpaired). */
import type { CatalogueValues } from '../../common/metric-keys';
import { l1Error, psnr, ssim, type ImageBatch } from '../evaluators/image-metrics';
import type { Degradation } from './degradations';

export interface ValidationInput {
  paired: boolean;
  /** A paired task made on the fly (it has a baseline); null for stored pairs and unpaired runs. */
  degradation: Degradation | null;
  size: number;
  channels: number;
  set: { count: number; a: Float32Array; aChannels: number; b: Float32Array; bCount: number };
  /** G_AB of set.a. */
  outputs: Float32Array;
  /** Unpaired: G_BA(G_AB(a)) and G_AB(G_BA(b)); null for a paired run. */
  back: Float32Array | null;
  bBack: Float32Array | null;
}

function batch(data: Float32Array, n: number, size: number, channels: number): ImageBatch {
  return { data, n, size, channels, range: 'signed' };
}

/** The inpainting mask (1 = missing) from the input's last channel, which holds it as −1 / 1. */
export function maskOfInputs(inputs: Float32Array, n: number, size: number, channels: number): Float32Array {
  const pixels = n * size * size;
  const mask = new Float32Array(pixels);
  for (let i = 0; i < pixels; i++) mask[i] = (inputs[i * channels + channels - 1] ?? -1) > 0 ? 1 : 0;
  return mask;
}

/**
 * The answer a translator must beat, as an image of the target's channels: the bicubic upscale itself
 * (super-resolution), the grey image in every channel (colorization), or each hole filled with the mean of
 * its image's known pixels, per channel (inpainting).
 */
export function baselineOutputs(degradation: Degradation, inputs: Float32Array, n: number, size: number, channels: number, inChannels: number): Float32Array {
  const pixels = size * size;
  const out = new Float32Array(n * pixels * channels);
  for (let img = 0; img < n; img++) {
    const fill = new Float64Array(channels);
    if (degradation.kind === 'inpaint') {
      let known = 0;
      for (let i = 0; i < pixels; i++) {
        const at = (img * pixels + i) * inChannels;
        if ((inputs[at + inChannels - 1] ?? 0) > 0) continue;
        known++;
        for (let k = 0; k < channels; k++) fill[k] = (fill[k] ?? 0) + (inputs[at + k] ?? 0);
      }
      for (let k = 0; k < channels; k++) fill[k] = known === 0 ? 0 : (fill[k] ?? 0) / known;
    }
    for (let i = 0; i < pixels; i++) {
      const at = (img * pixels + i) * inChannels;
      const hole = degradation.kind === 'inpaint' && (inputs[at + inChannels - 1] ?? 0) > 0;
      for (let k = 0; k < channels; k++) {
        const source = inChannels === 1 ? (inputs[at] ?? 0) : (inputs[at + k] ?? 0);
        out[(img * pixels + i) * channels + k] = hole ? (fill[k] ?? 0) : source;
      }
    }
  }
  return out;
}

export function measureValidation(v: ValidationInput): CatalogueValues {
  const { size, channels, set } = v;
  if (!v.paired) {
    if (v.back === null || v.bBack === null) throw new Error('an unpaired validation needs both cycles');
    const a = l1Error(batch(v.back, set.count, size, channels), batch(set.a, set.count, size, channels));
    const b = l1Error(batch(v.bBack, set.bCount, size, channels), batch(set.b, set.bCount, size, channels));
    return { val_cycle: (a + b) / 2 };
  }
  const n = set.count;
  const targets = batch(set.b, n, size, channels);
  const outputs = batch(v.outputs, n, size, channels);
  const values: CatalogueValues = { val_l1: l1Error(outputs, targets), val_psnr: psnr(outputs, targets), val_ssim: ssim(outputs, targets) };
  // Stored pairs have no trivial answer to beat.
  if (v.degradation === null) return values;
  const baseline = batch(baselineOutputs(v.degradation, set.a, n, size, channels, set.aChannels), n, size, channels);
  values.baseline_psnr = psnr(baseline, targets);
  if (v.degradation.kind === 'inpaint') {
    const mask = maskOfInputs(set.a, n, size, set.aChannels);
    values.val_masked_l1 = l1Error(outputs, targets, mask);
    values.baseline_masked_l1 = l1Error(baseline, targets, mask);
  }
  return values;
}
