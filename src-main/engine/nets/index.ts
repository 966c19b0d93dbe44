/** The functional GAN networks: build a Generator or Discriminator from the training config's `model` section. */
export type { Discriminator, DiscriminatorOutput, Generator, NetParams, NetShape } from './types';
export { buildGenerator, classEmbeddingSize } from './generator';
export { buildDiscriminator } from './discriminator';
export { allowedDepths, planNet, type NetPlan } from '../../common/net-plan';
export { registerSecondOrderGradients } from './second-order';
export { buildUnet, unetDepth, type Translator, type TranslatorNorm, type TranslatorOptions } from './unet';
export { buildPatchGan, patchGanReceptiveField, patchGanStrides, type PatchCritic, type PatchCriticOptions } from './patchgan';
