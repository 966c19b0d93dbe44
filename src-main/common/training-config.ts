/** The training configuration: one zod schema with defaults and bounds, used by the editor, CLI, trainer and store. */
import { z } from 'zod';
import { labelSmoothingLosses, LOSS_FAMILIES, LOSS_TYPES } from './loss-families';

/** What a run learns: images from noise (every run before issue 14), or a translator of images. */
export const TASK_KINDS = ['generate', 'paired', 'unpaired'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];
/** The paired tasks built from one dataset on the fly. */
export const PAIRED_SOURCES = ['inpaint', 'superres', 'colorize', 'pairs'] as const;

/** Steps never exceed this, so neither does anything counted in steps (intervals, annealing, EMA start). */
export const MAX_STEPS = 10_000_000;

/** Bounds of the images per side of a quality evaluation (a run's `evaluation.n` and `quality.evaluate`'s `n`). */
export const EVALUATION_MIN_N = 50;
export const EVALUATION_MAX_N = 10_000;

/** An upper bound whose message names the field by its dotted path (known once the whole config is parsed) and the bound. */
function atMost(max: number) {
  return { error: (issue: { path?: PropertyKey[] }) => `${issue.path?.length ? issue.path.map(String).join('.') : 'value'} must be at most ${max}` };
}

/**
 * The schema for new and edited configs (`capped`: every cap and cross-field rule of today), or the
 * one a stored run is read back with: the shape and the bounds that always held, without the caps
 * added later (issue 8) or today's cross-field rules, because the run was created under the rules of
 * its time. So an old run still lists, opens and resumes; forking it validates the fork with today's rules.
 */
function trainingConfigSchema(capped: boolean) {
  const upTo = (max: number) => z.number().max(max, atMost(max));
  const intUpTo = (max: number) => z.number().int().max(max, atMost(max));
  /** A bound that configs written before issue 8 need not respect. */
  const cap = (schema: z.ZodNumber, max: number) => (capped ? schema.max(max, atMost(max)) : schema);
  const probability = upTo(1).min(0);

  const Optimizer = z
    .object({
      type: z.enum(['adam', 'rmsprop', 'sgd']).default('adam').describe('Optimizer for this network.'),
      lr: upTo(1).positive().default(2e-4).describe('Learning rate (TTUR: give D and G their own).'),
      beta1: upTo(0.999).min(0).default(0.5).describe('Adam β1 (momentum); DCGAN uses 0.5, WGAN-GP 0 or 0.5.'),
      beta2: upTo(0.9999)
        .min(0)
        .default(0.999)
        .describe('Adam β2 (second-moment decay); for RMSProp the decay ρ of the running mean of g² (0.9–0.99 typical).'),
      momentum: upTo(0.999).min(0).default(0).describe('SGD and RMSProp momentum (Adam ignores it; RMSProp and SGD ignore β1).'),
      schedule: z.enum(['constant', 'linear', 'cosine']).default('constant').describe('Learning-rate schedule over the run.'),
      // Gradient norms of these nets stay far below 1000: a larger clip never acts.
      gradClip: cap(z.number().min(0), 1000).default(0).describe('Clip the global gradient norm to this value (0 = off).'),
    })
    .strict();

  const Norm = z.enum(['none', 'batch', 'layer', 'instance', 'spectral']);

  const Model = z
    .object({
      arch: z.enum(['dcgan', 'resnet']).default('dcgan').describe('Network family: DCGAN or ResNet (residual blocks, SNGAN/BigGAN style).'),
      depth: intUpTo(6).min(1).nullable().default(null).describe('Up/down blocks; null picks it from the image size.'),
      gWidth: intUpTo(1024).min(4).default(64).describe('Generator channels at full resolution.'),
      dWidth: intUpTo(1024).min(4).default(64).describe('Discriminator channels at full resolution.'),
      gNorm: Norm.default('batch').describe('Normalization in the generator.'),
      gProjectionNorm: z
        .boolean()
        .default(true)
        .describe("DCGAN: normalize G's first feature map, right after the dense projection of z (off: projection, bias, ReLU)."),
      dNorm: Norm.default('none').describe('Normalization in the discriminator (spectral for SNGAN).'),
      gConditioning: z.enum(['none', 'cbn', 'embedding']).default('none').describe('Class conditioning in G: conditional batch norm or an embedding concatenated to z.'),
      dConditioning: z.enum(['none', 'projection', 'acgan']).default('none').describe('Class conditioning in D: projection discriminator or ACGAN auxiliary classifier.'),
      acganWeight: cap(z.number().min(0), 100).default(1).describe('Weight of the ACGAN classification loss.'),
      minibatchStddev: z.boolean().default(false).describe('Append the minibatch standard deviation as a feature map (ProGAN).'),
      pixelNorm: z
        .boolean()
        .default(false)
        .describe("Pixel norm in G (ProGAN): each pixel's feature vector scaled to unit mean square after every hidden layer (exported as standard layers: layer norm over [x, −x], then a fixed 1×1 conv)."),
      equalizedLr: z
        .boolean()
        .default(false)
        .describe('Equalized learning rate (ProGAN): weights start N(0, 1) and are scaled by He’s √(2 / fan-in) at every use, so Adam moves every layer at the same rate.'),
      minibatchDiscrimination: z
        .object({
          enabled: z.boolean().default(false),
          kernels: intUpTo(256).min(1).default(32).describe('B: number of kernels of the tensor T.'),
          kernelDim: intUpTo(64).min(1).default(8).describe('C: dimension of each kernel.'),
        })
        .strict()
        .prefault({})
        .describe('Minibatch discrimination (Salimans et al. 2016): L1 distances across the batch appended to D features.'),
    })
    .strict();

  const Loss = z
    .object({
      type: z
        .enum(LOSS_TYPES)
        .default('non-saturating')
        .describe('Adversarial loss.'),
      // Weights start near ±0.02 and rarely pass 1: clipping at more than 1 clips nothing.
      clipValue: cap(z.number().positive(), 1).default(0.01).describe('WGAN: clip every critic weight to [-c, c].'),
      gpWeight: cap(z.number().min(0), 1000).default(10).describe('WGAN-GP: λ of the gradient penalty.'),
      r1Gamma: cap(z.number().min(0), 1000).default(0).describe('R1 penalty γ/2·E‖∇D(x)‖² on reals (0 = off); works with any loss.'),
      nCritic: intUpTo(20).min(1).default(1).describe('Discriminator (critic) steps per generator step.'),
    })
    .strict();

  const Stabilizers = z
    .object({
      labelSmoothing: z
        .object({
          mode: z.enum(['none', 'one-sided', 'two-sided']).default('none'),
          realTarget: probability.default(0.9).describe('One-sided: target for reals.'),
          realMin: probability.default(0.7),
          realMax: probability.default(0.9),
          fakeMin: probability.default(0.1),
          fakeMax: probability.default(0.3),
        })
        .strict()
        .prefault({})
        .describe('Soft targets for D (BCE losses only). Two-sided draws real in [0.7, 0.9] and fake in [0.1, 0.3].'),
      featureMatching: z
        .object({
          enabled: z.boolean().default(false),
          weight: cap(z.number().min(0), 100).default(1),
          adversarialWeight: cap(z.number().min(0), 100).default(1).describe('Weight kept on the usual G loss (0 = feature matching only).'),
          // Bounded by model.depth's bound; the real limit, D's block count at the dataset's size, is checked on create and fork.
          layer: intUpTo(6)
            .min(0)
            .default(0)
            .describe("D layer matched: 0 = the last hidden features before D's output layer; k ≥ 1 = the output of D's block k from the input, flattened."),
        })
        .strict()
        .prefault({})
        .describe('G minimizes ‖E f(x) − E f(G(z))‖² on an intermediate D layer.'),
      historicalAveraging: z
        .object({
          gWeight: cap(z.number().min(0), 100).default(0).describe('λ‖θ_G − mean of past θ_G‖² (0 = off).'),
          dWeight: cap(z.number().min(0), 100).default(0).describe('λ‖θ_D − mean of past θ_D‖² (0 = off).'),
          averagedDForG: z.boolean().default(false).describe("G's update uses D with the average of its past parameters (the article's reading)."),
        })
        .strict()
        .prefault({}),
      instanceNoise: z
        .object({
          std: upTo(2).min(0).default(0).describe('Gaussian noise σ added to every D input (0 = off).'),
          annealSteps: cap(z.number().int().min(0), MAX_STEPS).default(0).describe('σ decays linearly to 0 over these steps (0 = never).'),
        })
        .strict()
        .prefault({}),
      ema: z
        .object({
          enabled: z.boolean().default(false),
          // StyleGAN2-ADA's ema_kimg = 10. The cap is past what a migrated decay of 0.99999 at batch 1024 gives (7.1e7).
          halfLifeImages: cap(z.number().min(0), 100_000_000)
            .default(10_000)
            .describe('Images over which the EMA forgets half of its past: β = 0.5^(batchSize / half-life) per step.'),
          // StyleGAN2-ADA's ema_rampup: without it, a long half-life holds the initial weights for thousands of steps.
          rampup: upTo(1)
            .min(0)
            .default(0.05)
            .describe('The half-life is at most this fraction of the images seen so far (0 = no ramp-up).'),
          startStep: cap(z.number().int().min(0), MAX_STEPS).default(0),
        })
        .strict()
        .prefault({})
        .describe('Exponential moving average of G weights, used for samples and export.'),
    })
    .strict();

  const Augment = z
    .object({
      flip: probability.default(0).describe('Probability of a horizontal flip.'),
      rotation: z.object({ p: probability.default(0), degrees: upTo(180).min(0).default(10) }).strict().prefault({}),
      scale: z.object({ p: probability.default(0), amount: upTo(0.5).min(0).default(0.1) }).strict().prefault({}),
      translation: z.object({ p: probability.default(0), fraction: upTo(0.5).min(0).default(0.125) }).strict().prefault({}),
      crop: z.object({ p: probability.default(0), fraction: upTo(1).min(0.5).default(0.875) }).strict().prefault({}),
      colorJitter: z
        .object({
          p: probability.default(0),
          brightness: upTo(1).min(0).default(0.2),
          contrast: upTo(1).min(0).default(0.2),
          saturation: upTo(1).min(0).default(0.2),
        })
        .strict()
        .prefault({}),
      cutout: z.object({ p: probability.default(0), fraction: upTo(0.75).min(0).default(0.25) }).strict().prefault({}),
      noise: z.object({ p: probability.default(0), std: upTo(1).min(0).default(0.05) }).strict().prefault({}),
      diffAugment: z
        .array(z.enum(['color', 'translation', 'cutout']))
        .default([])
        .describe('DiffAugment policies, applied identically to reals and fakes inside D’s loss.'),
      ada: z
        .object({
          enabled: z.boolean().default(false),
          target: probability.default(0.6).describe('Target of r_t = E[sign(D(x_real))].'),
          interval: cap(z.number().int().min(1), 1000).default(4).describe('Steps between p updates.'),
          // StyleGAN2-ADA uses 500k images; 20 times that is slower than any run here can use.
          speedImages: cap(z.number().int().min(1), 10_000_000).default(100_000).describe('Images for p to go from 0 to 1 at full overfitting.'),
        })
        .strict()
        .prefault({})
        .describe('Adaptive augmentation probability (StyleGAN2-ADA) for the DiffAugment policies.'),
    })
    .strict();

  const ProgressivePhase = z
    .object({
      size: intUpTo(1024).min(4).describe('The image side of the phase this entry sets.'),
      batchSize: intUpTo(1024).min(2).nullable().default(null).describe('Images per batch in this phase (null: batchSize).'),
      lrG: upTo(1).positive().nullable().default(null).describe("G's learning rate in this phase (null: optimizerG.lr)."),
      lrD: upTo(1).positive().nullable().default(null).describe("D's learning rate in this phase (null: optimizerD.lr)."),
    })
    .strict();

  const Progressive = z
    .object({
      enabled: z.boolean().default(false),
      startSize: intUpTo(1024).min(4).default(8).describe('The image side training starts at: one of the sides G’s blocks draw (16 and 32 for 64 × 64 images at depth 3).'),
      phaseImages: cap(z.number().int().min(0), 100_000_000).default(30_000).describe('Images each resolution trains at full strength before the next one fades in.'),
      fadeImages: cap(z.number().int().min(1), 100_000_000).default(30_000).describe('Images over which a new resolution fades in: α rises from 0 to 1 between the upsampled old output and the new block, in G and in D.'),
      firstPhaseImages: cap(z.number().int().min(0), 100_000_000)
        .nullable()
        .default(null)
        .describe('Images of the first resolution before the first fade (null: phaseImages; a Grow sets 0, so the new block fades in from the first step).'),
      phases: z.array(ProgressivePhase).max(8).default([]).describe('Per-resolution batch size and learning rates.'),
    })
    .strict();

  const Task = z
    .object({
      kind: z
        .enum(TASK_KINDS)
        .default('generate')
        .describe('What the run learns: generate images from noise, translate paired images A → B (pix2pix), or translate between two unpaired domains (CycleGAN).'),
      source: z
        .enum(PAIRED_SOURCES)
        .default('superres')
        .describe('Paired task: built from the one dataset on the fly (inpainting: masked holes; super-resolution: downscaled, then bicubic up; colorization: grey to colour), or pairs: the run’s dataset holds the inputs and task.datasetB the targets, image for image (a paired import).'),
      mask: z.enum(['rect', 'strokes']).default('rect').describe('Inpainting holes: one rectangle per image, or free-form strokes.'),
      scale: intUpTo(4).min(2).default(2).describe('Super-resolution factor: the input is the image downscaled by it, then upscaled bicubically.'),
      filter: z.enum(['area', 'bilinear', 'bicubic']).default('bicubic').describe('Super-resolution: the filter the image is downscaled with.'),
      l1Weight: cap(z.number().min(0), 1000).default(100).describe('Paired: λ of the L1 distance between G’s output and the target (pix2pix uses 100).'),
      perceptualWeight: cap(z.number().min(0), 1000)
        .default(0)
        .describe('Paired: λ of the perceptual loss, the L1 between the in-domain classifier’s conv features of G’s output and of the target (0 = off; needs the targets’ dataset to have a ready classifier).'),
      datasetB: z.string().min(1).max(64).nullable().default(null).describe('Unpaired: the id of the dataset of domain B (the run’s dataset is domain A); paired with source pairs: the targets’ dataset, image i the target of the run’s image i.'),
      cycleWeight: cap(z.number().min(0), 1000).default(10).describe('Unpaired: λ of the cycle-consistency L1 (A → B → A and B → A → B; CycleGAN uses 10).'),
      identityWeight: upTo(10).min(0).default(0.5).describe('Unpaired: the identity loss ‖G_AB(b) − b‖₁ + ‖G_BA(a) − a‖₁, weighted by this × cycleWeight (CycleGAN uses 0.5).'),
      poolSize: intUpTo(1000).min(0).default(50).describe('Unpaired: past generated images D learns from, half of each batch (CycleGAN’s 50; 0 = none).'),
    })
    .strict();

  const Compute = z
    .object({
      threads: intUpTo(64)
        .min(1)
        .nullable()
        .default(null)
        .describe('CPU threads for training on the wasm backend; null uses every core (wasm uses at most 8).'),
    })
    .strict();

  const config = z
    .object({
      seed: intUpTo(2 ** 31 - 1).min(0).default(42).describe('Seed for weights, noise and batches.'),
      steps: intUpTo(MAX_STEPS).min(1).default(2000).describe('Generator steps to train.'),
      batchSize: intUpTo(1024).min(2).default(64).describe('Images per batch.'),
      latentSize: intUpTo(1024).min(2).default(64).describe('Length of the noise vector z.'),
      model: Model.prefault({}),
      loss: Loss.prefault({}),
      stabilizers: Stabilizers.prefault({}),
      augment: Augment.prefault({}),
      optimizerG: Optimizer.prefault({}),
      optimizerD: Optimizer.prefault({}),
      intervals: z
        .object({
          metricsEvery: cap(z.number().int().min(1), MAX_STEPS).default(10).describe('Steps between metric points.'),
          sampleEvery: cap(z.number().int().min(1), MAX_STEPS).default(200).describe('Steps between fixed-noise sample grids.'),
          checkpointEvery: cap(z.number().int().min(1), MAX_STEPS).default(500).describe('Steps between checkpoints.'),
        })
        .strict()
        .prefault({}),
      sampleGridSize: intUpTo(16).min(1).default(8).describe('Sample grid is N x N images.'),
      evaluation: z
        .object({
          everyCheckpoints: intUpTo(1000)
            .min(0)
            .default(0)
            .describe('Evaluate every k-th checkpoint (steps that are multiples of k × intervals.checkpointEvery) and the last one; 0 = off.'),
          n: intUpTo(EVALUATION_MAX_N)
            .min(EVALUATION_MIN_N)
            .default(500)
            .describe('Images per side of each evaluation: generated images, and real images of the dataset.'),
        })
        .strict()
        .prefault({})
        .describe('FD, KID and precision/recall of checkpoints on the bundled feature network; the best checkpoint is the one with the lowest KID.'),
      compute: Compute.prefault({}),
      task: Task.prefault({}).describe('Image-to-image translation: a U-Net generator and a conditional PatchGAN (paired), or two of each (unpaired).'),
      progressive: Progressive.prefault({}).describe('Progressive growing (ProGAN): G and D grow one resolution block at a time, each new block fading in.'),
    })
    .strict();
  if (!capped) return config;
  return config.superRefine((c, ctx) => {
      const loss = LOSS_FAMILIES[c.loss.type];
      if (c.stabilizers.labelSmoothing.mode !== 'none' && !loss.labelSmoothing) {
        ctx.addIssue({
          code: 'custom',
          path: ['stabilizers', 'labelSmoothing', 'mode'],
          message: `label smoothing needs a BCE loss (${labelSmoothingLosses()}), not ${c.loss.type}`,
        });
      }
      const ls = c.stabilizers.labelSmoothing;
      if (ls.realMin > ls.realMax) ctx.addIssue({ code: 'custom', path: ['stabilizers', 'labelSmoothing', 'realMin'], message: 'must be ≤ realMax' });
      if (ls.fakeMin > ls.fakeMax) ctx.addIssue({ code: 'custom', path: ['stabilizers', 'labelSmoothing', 'fakeMin'], message: 'must be ≤ fakeMax' });
      if (loss.lipschitz === 'clip' && c.model.dNorm === 'batch') {
        ctx.addIssue({ code: 'custom', path: ['model', 'dNorm'], message: 'weight clipping with batch norm in the critic does not train; use none or layer' });
      }
      if (loss.lipschitz === 'gradient-penalty' && c.model.dNorm === 'batch') {
        ctx.addIssue({ code: 'custom', path: ['model', 'dNorm'], message: 'the gradient penalty is per sample; batch norm in the critic breaks it (WGAN-GP paper): use layer, instance or none' });
      }
      if (loss.lipschitz === 'gradient-penalty' && (c.model.minibatchStddev || c.model.minibatchDiscrimination.enabled)) {
        ctx.addIssue({
          code: 'custom',
          path: ['model', c.model.minibatchStddev ? 'minibatchStddev' : 'minibatchDiscrimination'],
          message: 'the gradient penalty is per sample; minibatch features mix samples in the critic',
        });
      }
      if (c.loss.r1Gamma > 0 && c.model.dNorm === 'batch') {
        // Minibatch stddev stays allowed with R1: StyleGAN2 trains that way, its groups mixing few samples.
        ctx.addIssue({ code: 'custom', path: ['model', 'dNorm'], message: 'R1 is a per-sample penalty; batch norm in D mixes the samples it differentiates: use layer, instance, spectral or none, or set loss.r1Gamma to 0' });
      }
      if (c.model.dConditioning !== 'none' && c.model.gConditioning === 'none') {
        // G would never see the fake labels D judges its images by: ACGAN then rewards class-ambiguous images.
        ctx.addIssue({
          code: 'custom',
          path: ['model', 'gConditioning'],
          message: `a class-conditional D (model.dConditioning ${c.model.dConditioning}) needs a class-conditional G: set model.gConditioning to cbn or embedding, or model.dConditioning to none`,
        });
      }
      const fm = c.stabilizers.featureMatching;
      if (fm.enabled && c.model.depth !== null && fm.layer > c.model.depth) {
        // With depth null the block count depends on the image size: runs.create and runs.fork check it.
        ctx.addIssue({
          code: 'custom',
          path: ['stabilizers', 'featureMatching', 'layer'],
          message: `D has ${c.model.depth} blocks (model.depth): stabilizers.featureMatching.layer must be at most ${c.model.depth}`,
        });
      }
      if (c.model.pixelNorm && c.model.arch !== 'dcgan') {
        ctx.addIssue({ code: 'custom', path: ['model', 'pixelNorm'], message: `pixel norm is built into the DCGAN generator, not ${c.model.arch}: set model.arch to dcgan` });
      }
      if (c.progressive.enabled) {
        const where = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: field.split('.'), message });
        if (c.model.arch !== 'dcgan') where('progressive.enabled', `progressive growing is built for the DCGAN architecture, not ${c.model.arch}: set model.arch to dcgan`);
        if (c.stabilizers.featureMatching.enabled && c.stabilizers.featureMatching.layer !== 0) {
          where('stabilizers.featureMatching.layer', "D's blocks change as it grows: progressive runs match its last hidden features (layer 0)");
        }
        const sizes = c.progressive.phases.map((p) => p.size);
        if (new Set(sizes).size !== sizes.length) where('progressive.phases', 'each size may be set once');
      }
      if (c.task.kind !== 'generate') translationProblems(c, ctx);
      if (c.augment.ada.enabled && c.augment.diffAugment.length === 0) {
        ctx.addIssue({ code: 'custom', path: ['augment', 'ada', 'enabled'], message: 'ADA adapts the probability of the DiffAugment policies: choose at least one policy' });
      }
    });
}

/** What a translation run cannot combine with: the techniques built for noise-to-image nets. */
function translationProblems(c: z.infer<ReturnType<typeof trainingConfigSchema>>, ctx: z.RefinementCtx): void {
  const task = c.task.kind;
  const where = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: field.split('.'), message });
  if (c.progressive.enabled) where('progressive.enabled', `progressive growing is for generate runs, not ${task} translation`);
  if (c.model.gConditioning !== 'none') where('model.gConditioning', `a ${task} translator is conditioned on its input image, not on classes: set model.gConditioning to none`);
  if (c.model.dConditioning !== 'none') where('model.dConditioning', `a ${task} translator's PatchGAN is conditioned on the input image, not on classes: set model.dConditioning to none`);
  if (c.model.minibatchStddev || c.model.minibatchDiscrimination.enabled) {
    where(c.model.minibatchStddev ? 'model.minibatchStddev' : 'model.minibatchDiscrimination', 'a PatchGAN judges patches of one image: minibatch features are for generate runs');
  }
  if (c.model.pixelNorm || c.model.equalizedLr) where(c.model.pixelNorm ? 'model.pixelNorm' : 'model.equalizedLr', 'pixel norm and equalized learning rate are ProGAN techniques, for generate runs');
  if (c.stabilizers.featureMatching.enabled) where('stabilizers.featureMatching.enabled', `feature matching replaces G's loss on noise-to-image runs; a ${task} translator has its L1 or cycle loss`);
  for (const [field, norm] of [['model.gNorm', c.model.gNorm], ['model.dNorm', c.model.dNorm]] as const) {
    if (norm === 'layer') where(field, 'a U-Net and a PatchGAN take none, batch, instance or spectral normalization');
  }
  if (c.augment.ada.enabled) where('augment.ada.enabled', `ADA reads a noise-to-image D's outputs; a ${task} run takes fixed DiffAugment policies`);
  const ha = c.stabilizers.historicalAveraging;
  if (ha.gWeight > 0 || ha.dWeight > 0 || ha.averagedDForG) where('stabilizers.historicalAveraging', `historical averaging is built for generate runs, not ${task} translation`);
  if (c.evaluation.everyCheckpoints > 0 && task === 'paired') {
    where('evaluation.everyCheckpoints', 'a paired run is measured by L1, PSNR and SSIM against its targets at each sample step: set it to 0');
  }
  if (c.task.scale === 3) where('task.scale', 'super-resolution scales by 2 or 4');
  if (task === 'unpaired' && c.task.datasetB === null) where('task.datasetB', 'an unpaired run needs the dataset of domain B');
  const pairs = task === 'paired' && c.task.source === 'pairs';
  if (pairs && c.task.datasetB === null) where('task.datasetB', 'a paired run on pairs needs the targets’ dataset (the B half of a paired import)');
  if (task === 'unpaired' && c.task.perceptualWeight > 0) {
    where('task.perceptualWeight', 'the perceptual loss compares G’s output with its target: it is for paired runs (an unpaired run has no target); set it to 0');
  }
  if (task === 'paired' && !pairs && c.task.datasetB !== null) where('task.datasetB', `a paired ${c.task.source} run makes its inputs from its one dataset: set task.datasetB to null`);
}

export const TrainingConfig = trainingConfigSchema(true);
/** How a stored run's config is read back: without the caps added later (see trainingConfigSchema). */
export const StoredTrainingConfig = trainingConfigSchema(false);

export type TrainingConfig = z.infer<typeof TrainingConfig>;
export type TrainingConfigInput = z.input<typeof TrainingConfig>;
export type OptimizerConfig = TrainingConfig['optimizerG'];
export type Norm = TrainingConfig['model']['gNorm'];
export type TaskConfig = TrainingConfig['task'];

export function defaultTrainingConfig(): TrainingConfig {
  return TrainingConfig.parse({});
}
