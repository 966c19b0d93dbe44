/** The shapes of a translation run's nets, shared by the engine that builds them and the size estimate: the U-Net's depth, the PatchGAN's strides and sides, their norm and G's input channels. */
import type { PAIRED_SOURCES, TrainingConfig } from './training-config';

type PairedSource = (typeof PAIRED_SOURCES)[number];

/** The default depth stops at this bottleneck side (see unetDepth). */
const MIN_DEFAULT_BOTTLENECK = 2;
/** Every conv of the U-Net and the PatchGAN is 4×4. */
export const TRANSLATOR_KERNEL = 4;
/** The reference pads every conv by 1 on each side. */
const PAD = 1;
/** The paper's n_layers = 3 at 256: the 70×70 PatchGAN. */
const MAX_STRIDES = 3;

/** How many times `size` halves exactly (2-adic valuation): the deepest U-Net it allows. */
function halvings(size: number): number {
  let count = 0;
  for (let side = size; side % 2 === 0; side /= 2) count++;
  return count;
}

/**
 * The number of stride-2 downsamplings. Every encoder side must be even, or the decoder's ×2 would
 * not land on the skip it is concatenated with, so size / 2^depth must be an integer (≥ 1).
 * null: halve while the side is even and at least 4, so the bottleneck is 2×2 for a power of two
 * (log2(size) − 1: 3 at 16, 4 at 32, 5 at 64, 7 at 256) and odd beyond that (28 → 14 → 7: 2).
 * The paper's 256 net goes one deeper, to 1×1 (pass depth 8); the default stops at 2×2 because a
 * 1×1 map has no spatial statistics and the extra 8w×8w layer buys little on small images.
 */
export function unetDepth(size: number, depth: number | null): number {
  if (!Number.isInteger(size) || size < 2) throw new Error(`U-Net image size must be an integer of at least 2, got ${size}`);
  const deepest = halvings(size);
  if (depth === null) {
    let count = 0;
    for (let side = size; side % 2 === 0 && side / 2 >= MIN_DEFAULT_BOTTLENECK; side /= 2) count++;
    if (count === 0) throw new Error(`image size ${size} is too small or odd for a U-Net: it needs an even size of at least 4 (or an explicit depth of 1 at size 2)`);
    return count;
  }
  if (!Number.isInteger(depth) || depth < 1) throw new Error(`U-Net depth must be an integer of at least 1, got ${depth}`);
  if (depth > deepest) {
    const allowed = deepest === 0 ? 'none (the size is odd)' : `1 to ${deepest}`;
    throw new Error(
      `U-Net depth ${depth} does not fit image size ${size}: each stride-2 layer needs an even side, so size / 2^depth must be an integer (${size} / ${2 ** depth} = ${size / 2 ** depth}); allowed depths: ${allowed}`,
    );
  }
  return depth;
}

/**
 * Stride-2 layers: 3 at 256 and above, one fewer per halving of the size (2 at 128), never fewer
 * than 1 (so 1 at 64 and below). Keeps the patch a similar fraction of the image as it shrinks.
 */
export function patchGanStrides(size: number): number {
  if (!Number.isInteger(size) || size < 1) throw new Error(`PatchGAN image size must be a positive integer, got ${size}`);
  return Math.min(MAX_STRIDES, Math.max(1, Math.floor(Math.log2(size)) - 5));
}

/** Every layer's stride, first to last: the stride-2 convs, the wide stride-1 conv, the 1-channel output conv. All are 4×4. */
export function layerStrides(size: number): number[] {
  return [...Array<number>(patchGanStrides(size)).fill(2), 1, 1];
}

/**
 * The input side one output logit sees, walking back from the output: r ← (r − 1)·stride + 4.
 * 70 at 256 (strides 2,2,2,1,1); 34 at 128 (2,2,1,1); 16 at 64 and below (2,1,1).
 */
export function patchGanReceptiveField(size: number): number {
  return layerStrides(size).reduceRight((r, stride) => (r - 1) * stride + TRANSLATOR_KERNEL, 1);
}

/** The reference's output side of a 4×4 conv padded by 1. */
export function paddedSide(side: number, stride: number): number {
  return Math.floor((side + 2 * PAD - TRANSLATOR_KERNEL) / stride) + 1;
}


/** How a U-Net or PatchGAN normalizes for a model norm choice: spectral norm is a flag beside none; layer norm is refused (training-config.ts). */
export function translatorNorm(norm: TrainingConfig['model']['gNorm']): { norm: 'batch' | 'instance' | 'none'; spectral: boolean } {
  if (norm === 'spectral') return { norm: 'none', spectral: true };
  if (norm === 'layer') throw new Error('a U-Net and a PatchGAN take none, batch, instance or spectral normalization, not layer');
  return { norm, spectral: false };
}

/** Channels of G's input for a target of `channels` channels: inpainting C + 1 (masked image + mask), colorization 1 (grey), otherwise C (null: unpaired). */
export function translatorInputChannels(source: PairedSource | null, channels: number): number {
  if (source === 'inpaint') return channels + 1;
  if (source === 'colorize') return 1;
  return channels;
}
