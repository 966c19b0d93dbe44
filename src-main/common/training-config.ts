/** The training configuration: one zod schema with defaults, used by the editor, CLI, trainer and store. */
import { z } from 'zod';

const Optimizer = z
  .object({
    type: z.enum(['adam']).default('adam').describe('Optimizer for this network.'),
    lr: z.number().positive().max(1).default(2e-4).describe('Learning rate.'),
    beta1: z.number().min(0).max(0.999).default(0.5).describe('Adam β1 (momentum); DCGAN uses 0.5.'),
    beta2: z.number().min(0).max(0.9999).default(0.999).describe('Adam β2.'),
  })
  .strict();

export const TrainingConfig = z
  .object({
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(42).describe('Seed for weights, noise and batches.'),
    steps: z.number().int().min(1).max(10_000_000).default(2000).describe('Generator steps to train.'),
    batchSize: z.number().int().min(2).max(1024).default(64).describe('Images per batch.'),
    latentSize: z.number().int().min(2).max(1024).default(64).describe('Length of the noise vector z.'),
    model: z
      .object({
        arch: z.enum(['dcgan']).default('dcgan').describe('Network family.'),
        gWidth: z.number().int().min(4).max(1024).default(64).describe('Generator channels at full resolution.'),
        dWidth: z.number().int().min(4).max(1024).default(64).describe('Discriminator channels at full resolution.'),
      })
      .strict()
      .prefault({}),
    loss: z
      .object({
        type: z.enum(['non-saturating']).default('non-saturating').describe('Adversarial loss.'),
      })
      .strict()
      .prefault({}),
    optimizerG: Optimizer.prefault({}),
    optimizerD: Optimizer.prefault({}),
    intervals: z
      .object({
        metricsEvery: z.number().int().min(1).default(10).describe('Steps between metric points.'),
        sampleEvery: z.number().int().min(1).default(200).describe('Steps between fixed-noise sample grids.'),
        checkpointEvery: z.number().int().min(1).default(500).describe('Steps between checkpoints.'),
      })
      .strict()
      .prefault({}),
    sampleGridSize: z.number().int().min(1).max(16).default(8).describe('Sample grid is N x N images.'),
  })
  .strict();

export type TrainingConfig = z.infer<typeof TrainingConfig>;
export type TrainingConfigInput = z.input<typeof TrainingConfig>;

export function defaultTrainingConfig(): TrainingConfig {
  return TrainingConfig.parse({});
}
