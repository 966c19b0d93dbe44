/**
 * Parameter counts and forward-pass sizes of a translation run's nets (the U-Net and the conditional
 * PatchGAN), walked layer by layer as engine/nets/unet.ts and patchgan.ts build them; the DCGAN and
 * ResNet nets are counted in net-size.ts. tests/unit/engine/translate/memory-estimate.test.ts
 * compares the counts with real tfjs variables.
 */
import { biasBefore, widthAt } from './net-plan';
import { Tally, type NetSize } from './net-size';
import { layerStrides, paddedSide, TRANSLATOR_KERNEL, translatorInputChannels, translatorNorm, unetDepth } from './translator-plan';
import type { TrainingConfig } from './training-config';

const KERNEL_VALUES = TRANSLATOR_KERNEL * TRANSLATOR_KERNEL;

export interface TranslatorShape {
  size: number;
  inChannels: number;
  outChannels: number;
  width: number;
  depth: number | null;
  norm: 'batch' | 'instance' | 'none';
  spectral: boolean;
}

/** The U-Net of buildUnet: encoder convs, decoder transposed convs with their skip concatenations, the tanh output. */
export function unetSize(o: TranslatorShape): NetSize {
  const depth = unetDepth(o.size, o.depth);
  const t = new Tally(o.spectral);
  const normed = o.norm !== 'none';
  const width = (level: number) => widthAt(o.width, level + 1);
  const sideAt = (level: number) => o.size / 2 ** (level + 1);
  let inValues = o.size * o.size * o.inChannels;
  for (let i = 0; i < depth; i++) {
    const hasNorm = normed && i > 0 && i < depth - 1;
    const out = sideAt(i) ** 2 * width(i);
    if (i > 0) t.pointwise(inValues);
    t.linear(KERNEL_VALUES * (i === 0 ? o.inChannels : width(i - 1)) * width(i), width(i), !hasNorm, out);
    if (hasNorm) t.norm(o.norm, width(i), 0, out);
    inValues = out;
  }
  for (let j = 0; j < depth - 1; j++) {
    const level = depth - 2 - j;
    const inCh = j === 0 ? width(depth - 1) : 2 * width(level + 1);
    const out = sideAt(level) ** 2 * width(level);
    t.pointwise(inValues);
    t.linear(KERNEL_VALUES * inCh * width(level), width(level), biasBefore(o.norm), out);
    if (normed) t.norm(o.norm, width(level), 0, out);
    inValues = 2 * out;
    t.pointwise(inValues);
  }
  const image = o.size * o.size * o.outChannels;
  t.pointwise(inValues);
  t.linear(KERNEL_VALUES * (depth === 1 ? width(0) : 2 * width(0)) * o.outChannels, o.outChannels, true, image);
  t.pointwise(image);
  return t.result();
}

/** The PatchGAN of buildPatchGan: stride-2 convs, the wide stride-1 conv, the one-logit conv, each cropped to the reference's side. */
export function patchGanSize(o: Omit<TranslatorShape, 'outChannels' | 'depth'>): NetSize {
  const strides = layerStrides(o.size);
  const t = new Tally(o.spectral);
  const normed = o.norm !== 'none';
  let side = o.size;
  let inCh = o.inChannels;
  strides.forEach((stride, i) => {
    const last = i === strides.length - 1;
    const outCh = last ? 1 : widthAt(o.width, i + 1);
    const hasNorm = normed && i > 0 && !last;
    const same = Math.ceil(side / stride) ** 2 * outCh;
    side = paddedSide(side, stride);
    const out = side * side * outCh;
    t.linear(KERNEL_VALUES * inCh * outCh, outCh, !hasNorm || biasBefore(o.norm), same);
    if (same !== out) t.pointwise(out);
    if (hasNorm) t.norm(o.norm, outCh, 0, out);
    if (!last) t.pointwise(out);
    inCh = outCh;
  });
  return t.result();
}

/** Both nets of a direction summed (an unpaired run has two of each). */
function sum(a: NetSize, b: NetSize | null): NetSize {
  if (b === null) return a;
  return {
    trainable: a.trainable + b.trainable,
    state: a.state + b.state,
    activationsPerImage: a.activationsPerImage + b.activationsPerImage,
    activationsPerPair: a.activationsPerPair + b.activationsPerPair,
    activationsPerBatch: a.activationsPerBatch + b.activationsPerBatch,
  };
}

/** G (the translators) and D (the critics) of a translation run, as translation-parts.ts builds them. */
export function translationNetSizes(config: TrainingConfig, data: { size: number; channels: number }): { g: NetSize; d: NetSize } {
  const unpaired = config.task.kind === 'unpaired';
  const inChannels = translatorInputChannels(config.task.kind === 'paired' ? config.task.source : null, data.channels);
  const g = translatorNorm(config.model.gNorm);
  const d = translatorNorm(config.model.dNorm);
  const translator = (inCh: number) => unetSize({ size: data.size, inChannels: inCh, outChannels: data.channels, width: config.model.gWidth, depth: config.model.depth, ...g });
  const critic = (inCh: number) => patchGanSize({ size: data.size, inChannels: inCh, width: config.model.dWidth, ...d });
  return {
    g: sum(translator(inChannels), unpaired ? translator(data.channels) : null),
    d: sum(critic(unpaired ? data.channels : inChannels + data.channels), unpaired ? critic(data.channels) : null),
  };
}
