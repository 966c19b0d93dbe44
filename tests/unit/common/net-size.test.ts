/**
 * Sizes of G and D from the config, counted by hand layer by layer on small nets: trainable values, state, and the
 * activation values one forward pass holds (tests/unit/engine/nets/net-size.test.ts checks the parameter counts
 * against real tfjs variables; this file pins the numbers the memory estimate multiplies, without tfjs).
 *
 * Activation values per op, as net-size.ts models the gradient tape: a linear layer 1 per output value (+1 with a
 * bias), a norm layer 4, a nonlinearity, resize, pooling or sum 1.
 */
import { describe, expect, it } from 'vitest';
import { discriminatorSize, generatorSize, type DataShape } from '../../../src-main/common/net-size';
import { defaultTrainingConfig } from '../../../src-main/common/training-config';

type Model = ReturnType<typeof defaultTrainingConfig>['model'];
const model = (patch: Partial<Model>): Model => ({ ...defaultTrainingConfig().model, gWidth: 4, dWidth: 4, ...patch });

/** 16×16 RGB: two blocks, the first feature map of G (and the last of D) 4×4. */
const RGB16: DataShape = { size: 16, channels: 3, numClasses: 0 };
const withClasses = (numClasses: number): DataShape => ({ ...RGB16, numClasses });
const LATENT = 3;

const none = { activationsPerPair: 0, activationsPerBatch: 0 };

describe('DCGAN generator (z 3 → dense 4×4×8 → up 8×8×4 → up 16×16×3)', () => {
  // Layers: dense 3·128 weights, 128 outputs; transposed conv 4×4 from 8 to 4 channels, 256 values at 8×8;
  // transposed conv 4×4 from 4 to 3 channels, 768 values at 16×16; a ReLU (tanh at the end) after each.
  it('without norm layers: every layer has a bias', () => {
    expect(generatorSize(model({ gNorm: 'none' }), RGB16, LATENT)).toEqual({
      trainable: 3 * 128 + 128 + (16 * 8 * 4 + 4) + (16 * 4 * 3 + 3), // 1223
      state: 0,
      activationsPerImage: 128 * 2 + 128 + (256 * 2 + 256) + (768 * 2 + 768), // 3456
      ...none,
    });
  });

  it('with batch norm: no bias before a norm, γ and β trainable, mean and variance as state', () => {
    expect(generatorSize(model({ gNorm: 'batch' }), RGB16, LATENT)).toEqual({
      trainable: 3 * 128 + 2 * 8 + (16 * 8 * 4 + 2 * 4) + (16 * 4 * 3 + 3), // 1115
      state: 2 * 8 + 2 * 4,
      activationsPerImage: 128 + 128 * 4 + 128 + (256 + 256 * 4 + 256) + (768 * 2 + 768), // 4608
      ...none,
    });
  });

  it('without the norm after the projection (gProjectionNorm off): the dense layer keeps its bias', () => {
    expect(generatorSize(model({ gNorm: 'batch', gProjectionNorm: false }), RGB16, LATENT)).toEqual({
      trainable: 3 * 128 + 128 + (16 * 8 * 4 + 2 * 4) + (16 * 4 * 3 + 3), // 1227
      state: 2 * 4,
      activationsPerImage: 128 * 2 + 128 + (256 + 256 * 4 + 256) + (768 * 2 + 768), // 4224
      ...none,
    });
    // With no norm layers at all, the switch changes nothing.
    expect(generatorSize(model({ gNorm: 'none', gProjectionNorm: false }), RGB16, LATENT)).toEqual(generatorSize(model({ gNorm: 'none' }), RGB16, LATENT));
  });

  it('with spectral norm: the same trainable values, a u vector per layer output, W/σ once per batch', () => {
    expect(generatorSize(model({ gNorm: 'spectral' }), RGB16, LATENT)).toEqual({
      trainable: 1223,
      state: 128 + 4 + 3,
      activationsPerImage: 3456,
      activationsPerPair: 0,
      activationsPerBatch: 3 * 128 + 16 * 8 * 4 + 16 * 4 * 3, // 1088
    });
  });

  it('with conditional BN over layer norm: per-class γ and β for each of 3 classes, biases kept', () => {
    expect(generatorSize(model({ gNorm: 'layer', gConditioning: 'cbn' }), withClasses(3), LATENT)).toEqual({
      trainable: 3 * 128 + 128 + 3 * 2 * 8 + (16 * 8 * 4 + 4 + 3 * 2 * 4) + (16 * 4 * 3 + 3), // 1295
      state: 0,
      activationsPerImage: 128 * 2 + 128 * 4 + 128 + (256 * 2 + 256 * 4 + 256) + (768 * 2 + 768), // 4992
      ...none,
    });
  });

  it('with conditional BN and no norm chosen: batch statistics, per-class γ and β from 2 classes', () => {
    expect(generatorSize(model({ gNorm: 'none', gConditioning: 'cbn' }), withClasses(2), LATENT)).toEqual({
      trainable: 3 * 128 + 2 * 2 * 8 + (16 * 8 * 4 + 2 * 2 * 4) + (16 * 4 * 3 + 3), // 1139
      state: 2 * 8 + 2 * 4,
      activationsPerImage: 4608,
      ...none,
    });
  });

  it('with a class embedding: a 3×3 table (no bias, never spectral) and z twice as long into the dense layer', () => {
    expect(generatorSize(model({ gNorm: 'none', gConditioning: 'embedding' }), withClasses(3), LATENT)).toEqual({
      trainable: 3 * 3 + (6 * 128 + 128) + (16 * 8 * 4 + 4) + (16 * 4 * 3 + 3), // 1616
      state: 0,
      activationsPerImage: 3 + 128 * 2 + 128 + (256 * 2 + 256) + (768 * 2 + 768), // 3459
      ...none,
    });
    expect(generatorSize(model({ gNorm: 'spectral', gConditioning: 'embedding' }), withClasses(3), LATENT)).toEqual({
      trainable: 1616,
      state: 128 + 4 + 3,
      activationsPerImage: 3459,
      activationsPerPair: 0,
      activationsPerBatch: 6 * 128 + 16 * 8 * 4 + 16 * 4 * 3, // 1472
    });
  });
});

describe('ResNet generator (24×24: z 3 → dense 3×3×16 → blocks to 6×6×8, 12×12×4, 24×24×4 → conv to 3 channels)', () => {
  // A block on side s → 2s from cin to cout channels: norm and ReLU at s, ×2 up (2s·2s·cin), 3×3 conv to cout, norm,
  // ReLU, 3×3 conv; the shortcut a 1×1 conv at s, ×2 up, then the sum (2s·2s·cout each).
  it('without norm layers', () => {
    expect(generatorSize(model({ arch: 'resnet', gNorm: 'none' }), { size: 24, channels: 3, numClasses: 0 }, LATENT)).toEqual({
      trainable:
        3 * 144 + 144 +
        /* 3→6, 16→8 */ (9 * 16 * 8 + 8) + (9 * 8 * 8 + 8) + (16 * 8 + 8) +
        /* 6→12, 8→4 */ (9 * 8 * 4 + 4) + (9 * 4 * 4 + 4) + (8 * 4 + 4) +
        /* 12→24, 4→4 */ (9 * 4 * 4 + 4) + (9 * 4 * 4 + 4) + (4 * 4 + 4) +
        /* to RGB */ (9 * 4 * 3 + 3), // 3359
      state: 0,
      activationsPerImage:
        144 * 2 +
        /* 3→6 */ (144 + 576) + 288 * 2 + 288 + 288 * 2 + 72 * 2 + 288 * 2 +
        /* 6→12 */ (288 + 1152) + 576 * 2 + 576 + 576 * 2 + 144 * 2 + 576 * 2 +
        /* 12→24 */ (576 + 2304) + 2304 * 2 + 2304 + 2304 * 2 + 576 * 2 + 2304 * 2 +
        /* ReLU, conv, tanh */ 2304 + 1728 * 2 + 1728, // 36576
      ...none,
    });
  });

  it('with batch norm: biases before the norms dropped, γ, β, mean and variance per normed channel', () => {
    const normedChannels = 16 + 8 + (8 + 4) + (4 + 4) + 4; // each block's input and middle, then the last norm
    const droppedBiases = 144 + 3 * 8 + 3 * 4 + 3 * 4;
    const normValues = 144 + 288 + (288 + 576) + (576 + 2304) + 2304;
    const droppedBiasValues = 144 + (288 + 288 + 72) + (576 + 576 + 144) + (2304 + 2304 + 576);
    expect(generatorSize(model({ arch: 'resnet', gNorm: 'batch' }), { size: 24, channels: 3, numClasses: 0 }, LATENT)).toEqual({
      trainable: 3359 - droppedBiases + 2 * normedChannels, // 3263
      state: 2 * normedChannels,
      activationsPerImage: 36576 - droppedBiasValues + 4 * normValues, // 55224
      ...none,
    });
  });
});

describe('DCGAN discriminator (16×16×3 → conv 8×8×4 → conv 4×4×8 → dense 1)', () => {
  // Layers: conv 4×4 from 3 to 4 channels, 256 values at 8×8; conv 4×4 from 4 to 8, 128 values at 4×4; a leaky
  // ReLU after each; the output layer on the 128 features.
  it('without norm layers', () => {
    expect(discriminatorSize(model({ dNorm: 'none' }), RGB16)).toEqual({
      trainable: (16 * 3 * 4 + 4) + (16 * 4 * 8 + 8) + (128 + 1), // 845
      state: 0,
      activationsPerImage: 256 * 2 + 256 + (128 * 2 + 128) + 2, // 1154
      ...none,
    });
  });

  it('with layer norm: after every block but the first, biases kept', () => {
    expect(discriminatorSize(model({ dNorm: 'layer' }), RGB16)).toEqual({
      trainable: (16 * 3 * 4 + 4) + (16 * 4 * 8 + 8 + 2 * 8) + (128 + 1), // 861
      state: 0,
      activationsPerImage: 256 * 2 + 256 + (128 * 2 + 128 * 4 + 128) + 2, // 1666
      ...none,
    });
  });

  it('with batch norm and minibatch stddev: the last block takes one more channel, the normed conv has no bias', () => {
    expect(discriminatorSize(model({ dNorm: 'batch', minibatchStddev: true }), RGB16)).toEqual({
      trainable: (16 * 3 * 4 + 4) + (16 * 5 * 8 + 2 * 8) + (128 + 1), // 981
      state: 2 * 8,
      activationsPerImage: 256 * 2 + 256 + /* stddev channel */ 8 * 8 * 5 + (128 + 128 * 4 + 128) + 2, // 1858
      ...none,
    });
  });

  it('with spectral norm: a u vector per output, W/σ per batch, the output layer included', () => {
    expect(discriminatorSize(model({ dNorm: 'spectral' }), RGB16)).toEqual({
      trainable: 845,
      state: 4 + 8 + 1,
      activationsPerImage: 1154,
      activationsPerPair: 0,
      activationsPerBatch: 16 * 3 * 4 + 16 * 4 * 8 + 128, // 832
    });
  });

  it('with minibatch discrimination: the tensor T, its B features into the output, |M_i − M_j| per pair', () => {
    const mbd = { enabled: true, kernels: 4, kernelDim: 2 };
    expect(discriminatorSize(model({ minibatchDiscrimination: mbd }), RGB16)).toEqual({
      trainable: (16 * 3 * 4 + 4) + (16 * 4 * 8 + 8) + 128 * 4 * 2 + (128 + 4 + 1), // 1873
      state: 0,
      activationsPerImage: 1154 + 4 * 2,
      activationsPerPair: 2 * 4 * 2,
      activationsPerBatch: 0,
    });
  });

  it('with a projection head: a class embedding as long as the features, no bias', () => {
    expect(discriminatorSize(model({ dConditioning: 'projection', gConditioning: 'cbn' }), withClasses(3))).toEqual({
      trainable: 845 + 3 * 128,
      state: 0,
      activationsPerImage: 1154 + 128,
      ...none,
    });
  });

  it('with an ACGAN head: a class logit per class from the output layer\'s inputs, minibatch features included', () => {
    expect(discriminatorSize(model({ dConditioning: 'acgan', gConditioning: 'cbn' }), withClasses(3))).toEqual({
      trainable: 845 + 128 * 3 + 3,
      state: 0,
      activationsPerImage: 1154 + 3 * 2,
      ...none,
    });
    const mbd = { enabled: true, kernels: 4, kernelDim: 2 };
    expect(discriminatorSize(model({ dConditioning: 'acgan', gConditioning: 'cbn', minibatchDiscrimination: mbd }), withClasses(3))).toEqual({
      trainable: 1873 + (128 + 4) * 3 + 3,
      state: 0,
      activationsPerImage: 1154 + 4 * 2 + 3 * 2,
      activationsPerPair: 16,
      activationsPerBatch: 0,
    });
  });
});

describe('ResNet discriminator (16×16×3 → blocks to 8×8×4, 4×4×8 → sum → dense 1)', () => {
  // A block on side s → s/2 from cin to cout channels: (after the first) norm and ReLU on its input, 3×3 conv to
  // cout at s, norm, ReLU, 3×3 conv; main path and shortcut pooled, a 1×1 conv on the shortcut, the sum.
  it('without norm layers', () => {
    expect(discriminatorSize(model({ arch: 'resnet', dNorm: 'none' }), RGB16)).toEqual({
      trainable:
        /* 16→8, 3→4 */ (9 * 3 * 4 + 4) + (9 * 4 * 4 + 4) + (3 * 4 + 4) +
        /* 8→4, 4→8 */ (9 * 4 * 8 + 8) + (9 * 8 * 8 + 8) + (4 * 8 + 8) +
        /* output */ (8 + 1), // 1205
      state: 0,
      activationsPerImage:
        /* 16→8 */ 1024 * 2 + 1024 + 1024 * 2 + (256 + 192 + 256) + 256 * 2 +
        /* 8→4 */ 256 + 512 * 2 + 512 + 512 * 2 + (128 + 64 + 128) + 128 * 2 +
        /* ReLU, sum, output */ 128 + 2, // 9858
      ...none,
    });
  });

  it('with batch norm and minibatch stddev on the last block', () => {
    expect(discriminatorSize(model({ arch: 'resnet', dNorm: 'batch', minibatchStddev: true }), RGB16)).toEqual({
      trainable:
        /* 16→8 */ 9 * 3 * 4 + 2 * 4 + (9 * 4 * 4 + 4) + (3 * 4 + 4) +
        /* 8→4 */ 2 * 4 + 9 * 5 * 8 + 2 * 8 + (9 * 8 * 8 + 8) + (4 * 8 + 8) +
        /* output */ (8 + 1), // 1297
      state: 2 * 4 + 2 * 4 + 2 * 8,
      activationsPerImage:
        /* 16→8 */ 1024 + 1024 * 4 + 1024 + 1024 * 2 + (256 + 192 + 256) + 256 * 2 +
        /* 8→4 */ 256 * 4 + 256 + /* stddev channel */ 64 * 5 + 512 + 512 * 4 + 512 + 512 * 2 + (128 + 64 + 128) + 128 * 2 +
        /* ReLU, sum, output */ 128 + 2, // 15810
      ...none,
    });
  });
});
