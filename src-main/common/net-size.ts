/**
 * Parameter counts and forward-pass sizes of the GAN networks, computed from the config without
 * building them. It walks the same layers as the engine's nets (src-main/engine/nets/: dcgan.ts,
 * resnet.ts, generator.ts, discriminator.ts, minibatch.ts, normalization.ts, layers.ts) and must
 * change with them: tests/unit/engine/nets/net-size.test.ts compares it with real tfjs variables.
 */
import { biasBefore, planNet, resolveNorm, widthAt, type NetNorm, type NormKind } from './net-plan';
import type { TrainingConfig } from './training-config';

/** What the estimate needs of the dataset: image side and channels, and its classes (0 = none). */
export interface DataShape {
  size: number;
  channels: number;
  numClasses: number;
}

export interface NetSize {
  /** Values of the trainable variables (what the optimizer updates). */
  trainable: number;
  /** Values of the non-trainable state: batch-norm moving statistics, spectral-norm u vectors. */
  state: number;
  /** Values of the tensors one forward pass in training mode creates, per image (see OPS). */
  activationsPerImage: number;
  /** … per pair of images in the batch: minibatch discrimination's [N, N, B, C] distances. */
  activationsPerPair: number;
  /** … once per batch: spectral norm's W/σ, one per weight. */
  activationsPerBatch: number;
}

/**
 * Tensors an op leaves per value of its output, as tfjs records them for the backward pass: a
 * linear layer its product (and the bias sum); a norm layer the centred values, the scaled ones,
 * the shifted ones and the squared deviations of its moments; a nonlinearity or a resize one.
 */
const OPS = { linear: 1, bias: 1, norm: 4, pointwise: 1 } as const;

type Model = TrainingConfig['model'];

/** Running totals while walking a net's layers in the order the engine builds them. */
export class Tally {
  trainable = 0;
  state = 0;
  perImage = 0;
  perPair = 0;
  perBatch = 0;

  constructor(private readonly spectral: boolean) {}

  /** A dense, conv or transposed-conv layer: `weights` kernel values, `out` output units, `values` output values per image. */
  linear(weights: number, out: number, bias: boolean, values: number, spectral = this.spectral): void {
    this.trainable += weights + (bias ? out : 0);
    if (spectral) {
      this.state += out;
      this.perBatch += weights;
    }
    this.perImage += values * (OPS.linear + (bias ? OPS.bias : 0));
  }

  /** A norm layer over `channels` (per-class γ and β when `numClasses` ≥ 2) on `values` values per image. */
  norm(kind: NormKind, channels: number, numClasses: number, values: number): void {
    if (kind === 'none') return;
    const rows = numClasses >= 2 ? numClasses : 1;
    this.trainable += 2 * rows * channels;
    if (kind === 'batch') this.state += 2 * channels;
    this.perImage += values * OPS.norm;
  }

  pointwise(values: number, times = 1): void {
    this.perImage += values * OPS.pointwise * times;
  }

  /** Values per pair of images (a tensor over [N, N, …]). */
  pairwise(values: number): void {
    this.perPair += values;
  }

  result(): NetSize {
    return {
      trainable: this.trainable,
      state: this.state,
      activationsPerImage: this.perImage,
      activationsPerPair: this.perPair,
      activationsPerBatch: this.perBatch,
    };
  }
}

/** Length of G's class embedding: as long as z (generator.ts, classEmbeddingSize). */
function embeddingSize(latentSize: number): number {
  return latentSize;
}

function dcganGenerator(t: Tally, model: Model, data: DataShape, inDim: number, norm: NetNorm): void {
  const { startSide: s0, blocks: k } = planNet(data.size, model.depth);
  const w = model.gWidth;
  const bias = biasBefore(norm.kind);
  const w0 = widthAt(w, k);
  const first = s0 * s0 * w0;
  // Without the projection's norm (gProjectionNorm off) the dense layer keeps its bias.
  t.linear(inDim * first, first, bias || !model.gProjectionNorm, first);
  if (model.gProjectionNorm) t.norm(norm.kind, w0, norm.numClasses, first);
  t.pointwise(first);
  let side = s0;
  for (let i = 1; i < k; i++) {
    const inCh = widthAt(w, k - i + 1);
    const outCh = widthAt(w, k - i);
    side *= 2;
    t.linear(16 * inCh * outCh, outCh, bias, side * side * outCh);
    t.norm(norm.kind, outCh, norm.numClasses, side * side * outCh);
    t.pointwise(side * side * outCh);
  }
  const image = data.size * data.size * data.channels;
  t.linear(16 * widthAt(w, 1) * data.channels, data.channels, true, image);
  t.pointwise(image);
}

function resnetGenerator(t: Tally, model: Model, data: DataShape, inDim: number, norm: NetNorm): void {
  const { startSide: s0, blocks: k } = planNet(data.size, model.depth);
  const w = model.gWidth;
  const bias = biasBefore(norm.kind);
  const w0 = widthAt(w, k);
  t.linear(inDim * s0 * s0 * w0, s0 * s0 * w0, bias, s0 * s0 * w0);
  let side = s0;
  for (let i = 1; i <= k; i++) {
    const inCh = widthAt(w, k - i + 1);
    const outCh = widthAt(w, Math.max(k - i, 1));
    const before = side * side;
    side *= 2;
    const after = side * side;
    t.norm(norm.kind, inCh, norm.numClasses, before * inCh);
    t.pointwise(before * inCh);
    t.pointwise(after * inCh);
    t.linear(9 * inCh * outCh, outCh, bias, after * outCh);
    t.norm(norm.kind, outCh, norm.numClasses, after * outCh);
    t.pointwise(after * outCh);
    t.linear(9 * outCh * outCh, outCh, bias, after * outCh);
    // The shortcut: 1×1 conv at the old side, then ×2 up; then the sum.
    t.linear(inCh * outCh, outCh, bias, before * outCh);
    t.pointwise(after * outCh, 2);
  }
  const full = data.size * data.size;
  t.norm(norm.kind, w, norm.numClasses, full * w);
  t.pointwise(full * w);
  t.linear(9 * w * data.channels, data.channels, true, full * data.channels);
  t.pointwise(full * data.channels);
}

/** Returns F, the length of the feature vector the body ends with. */
function dcganDiscriminator(t: Tally, model: Model, data: DataShape, norm: NetNorm): number {
  const { startSide: s0, blocks: k } = planNet(data.size, model.depth);
  const w = model.dWidth;
  let side = data.size;
  for (let i = 1; i <= k; i++) {
    const stddev = model.minibatchStddev && i === k;
    const inCh = (i === 1 ? data.channels : widthAt(w, i - 1)) + (stddev ? 1 : 0);
    const outCh = widthAt(w, i);
    const normed = i > 1 && norm.kind !== 'none';
    if (stddev) t.pointwise(side * side * inCh);
    side /= 2;
    const values = side * side * outCh;
    t.linear(16 * inCh * outCh, outCh, !normed || biasBefore(norm.kind), values);
    if (normed) t.norm(norm.kind, outCh, 0, values);
    t.pointwise(values);
  }
  return s0 * s0 * widthAt(w, k);
}

function resnetDiscriminator(t: Tally, model: Model, data: DataShape, norm: NetNorm): number {
  const k = planNet(data.size, model.depth).blocks;
  const w = model.dWidth;
  let side = data.size;
  for (let i = 1; i <= k; i++) {
    const inCh = i === 1 ? data.channels : widthAt(w, i - 1);
    const outCh = widthAt(w, i);
    const stddev = model.minibatchStddev && i === k;
    const before = side * side;
    side /= 2;
    const after = side * side;
    if (i > 1) {
      t.norm(norm.kind, inCh, 0, before * inCh);
      t.pointwise(before * inCh);
    }
    if (stddev) t.pointwise(before * (inCh + 1));
    t.linear(9 * (inCh + (stddev ? 1 : 0)) * outCh, outCh, biasBefore(norm.kind), before * outCh);
    t.norm(norm.kind, outCh, 0, before * outCh);
    t.pointwise(before * outCh);
    t.linear(9 * outCh * outCh, outCh, true, before * outCh);
    // Main path pooled; shortcut pooled then 1×1 conv; then the sum.
    t.pointwise(after * outCh + after * inCh + after * outCh);
    t.linear(inCh * outCh, outCh, true, after * outCh);
  }
  t.pointwise(side * side * widthAt(w, k));
  return widthAt(w, k);
}

/** G as buildGenerator makes it: optional class embedding, then the DCGAN or ResNet body. */
export function generatorSize(model: Model, data: DataShape, latentSize: number): NetSize {
  const cond = model.gConditioning;
  const k = data.numClasses;
  const norm = resolveNorm(model.gNorm, cond === 'cbn' ? k : 0);
  const t = new Tally(norm.spectral);
  let inDim = latentSize;
  if (cond === 'embedding') {
    const e = embeddingSize(latentSize);
    t.linear(k * e, e, false, e, false);
    inDim += e;
  }
  if (model.arch === 'dcgan') dcganGenerator(t, model, data, inDim, norm);
  else resnetGenerator(t, model, data, inDim, norm);
  return t.result();
}

/** D as buildDiscriminator makes it: body, minibatch discrimination, the output layer, projection or ACGAN head. */
export function discriminatorSize(model: Model, data: DataShape): NetSize {
  const norm = resolveNorm(model.dNorm, 0);
  const t = new Tally(norm.spectral);
  const f = model.arch === 'dcgan' ? dcganDiscriminator(t, model, data, norm) : resnetDiscriminator(t, model, data, norm);
  const mbd = model.minibatchDiscrimination;
  let headIn = f;
  if (mbd.enabled) {
    const bc = mbd.kernels * mbd.kernelDim;
    t.trainable += f * bc;
    t.pointwise(bc);
    // |M_i − M_j| for every pair: the difference and its absolute value, [N, N, B, C] each.
    t.pairwise(2 * bc);
    headIn += mbd.kernels;
  }
  t.linear(headIn, 1, true, 1);
  const k = data.numClasses;
  if (model.dConditioning === 'projection') t.linear(k * f, f, false, f);
  if (model.dConditioning === 'acgan') t.linear(headIn * k, k, true, k);
  return t.result();
}
