/** The catalogue of metric keys the engine emits: each key's chart, which way is better, its unit and what it measures. */

/** The charts a run's curves are drawn in, in the order the run page shows them; `other` takes keys no catalogue knows. */
export const METRIC_GROUPS = ['losses', 'terms', 'outputs', 'gradients', 'rates', 'growth', 'augment', 'quality', 'translation', 'reconstruction', 'throughput', 'other'] as const;
export type MetricGroupId = (typeof METRIC_GROUPS)[number];

/**
 * When a value is produced: `step` values are read back once per generator step (engine/session,
 * through StepMetrics, in catalogue order); `metrics-interval` values by the loop at each metrics
 * point; `sample-interval` values by an evaluator on each sample grid.
 */
export type MetricSource = 'step' | 'metrics-interval' | 'sample-interval';

export interface MetricInfo {
  group: Exclude<MetricGroupId, 'other'>;
  /**
   * Which values are better, where that has a meaning. `null`
   * for readings that are neither (D's raw outputs, learning rates, ADA's p). The best checkpoint is
   * never chosen by these: it is the lowest KID of the evaluated checkpoints (common/quality.ts).
   */
  better: 'lower' | 'higher' | null;
  unit: string;
  source: MetricSource;
  description: string;
}

/** Every key the engine can emit. A technique's keys appear only while it is on. */
export const METRICS = {
  d_loss: { group: 'losses', better: 'lower', unit: 'loss', source: 'step', description: "D's total loss: the adversarial term plus every configured penalty and auxiliary term." },
  g_loss: { group: 'losses', better: 'lower', unit: 'loss', source: 'step', description: "G's total loss: the adversarial term plus feature matching, ACGAN and historical averaging when on." },
  d_loss_adv: { group: 'terms', better: 'lower', unit: 'loss', source: 'step', description: "The adversarial part of D's loss (loss.type), without penalties." },
  g_loss_adv: { group: 'terms', better: 'lower', unit: 'loss', source: 'step', description: "The adversarial part of G's loss (loss.type)." },
  gp: { group: 'terms', better: 'lower', unit: 'loss', source: 'step', description: 'WGAN-GP gradient penalty E(‖∇D(x̂)‖ − 1)², unweighted (d_loss adds it × loss.gpWeight).' },
  r1: { group: 'terms', better: 'lower', unit: 'loss', source: 'step', description: "R1 penalty E‖∇D(x)‖² at real images, unweighted (d_loss adds it × loss.r1Gamma / 2)." },
  d_acgan: { group: 'terms', better: 'lower', unit: 'loss', source: 'step', description: "ACGAN: D's class cross-entropy on reals plus fakes, unweighted (× model.acganWeight in d_loss)." },
  g_acgan: { group: 'terms', better: 'lower', unit: 'loss', source: 'step', description: "ACGAN: G's class cross-entropy on its fakes, unweighted (× model.acganWeight in g_loss)." },
  fm: { group: 'terms', better: 'lower', unit: 'loss', source: 'step', description: "Feature matching: squared distance between D's mean features on reals and fakes, unweighted." },
  ha_d: { group: 'terms', better: 'lower', unit: 'loss', source: 'step', description: "Historical averaging: squared distance of D's weights to their running mean, unweighted." },
  ha_g: { group: 'terms', better: 'lower', unit: 'loss', source: 'step', description: "Historical averaging: squared distance of G's weights to their running mean, unweighted." },
  g_l1: { group: 'terms', better: 'lower', unit: 'loss', source: 'step', description: "Paired translation: mean |G(x) − y| between G's output and the target, in [-1, 1] pixel units, unweighted (g_loss adds it × task.l1Weight)." },
  perceptual: {
    group: 'terms',
    better: 'lower',
    unit: 'loss',
    source: 'step',
    description: "Paired translation: perceptual loss, the mean over the in-domain classifier's two conv layers of mean |φ(G(x)) − φ(y)| between G's output and the target, unweighted (g_loss adds it × task.perceptualWeight).",
  },
  cycle: {
    group: 'terms',
    better: 'lower',
    unit: 'loss',
    source: 'step',
    description: 'Unpaired translation: cycle consistency, mean |G_BA(G_AB(a)) − a| plus mean |G_AB(G_BA(b)) − b| on the batch, unweighted (g_loss adds it × task.cycleWeight).',
  },
  identity: {
    group: 'terms',
    better: 'lower',
    unit: 'loss',
    source: 'step',
    description: 'Unpaired translation: identity, mean |G_AB(b) − b| plus mean |G_BA(a) − a|, unweighted (g_loss adds it × task.identityWeight × task.cycleWeight).',
  },
  d_real: { group: 'outputs', better: null, unit: 'logit', source: 'step', description: "Mean raw D output on real images (a logit, or the critic's value for Wasserstein losses)." },
  d_fake: { group: 'outputs', better: null, unit: 'logit', source: 'step', description: "Mean raw D output on generated images (a logit, or the critic's value for Wasserstein losses)." },
  g_grad_norm: { group: 'gradients', better: null, unit: 'norm', source: 'step', description: "Global L2 norm of G's gradient before clipping; collapsing towards 0 means vanishing gradients." },
  d_grad_norm: { group: 'gradients', better: null, unit: 'norm', source: 'step', description: "Global L2 norm of D's gradient before clipping (mean over the critic steps)." },
  lr_g: { group: 'rates', better: null, unit: 'lr', source: 'step', description: "G's learning rate at this step, after its schedule." },
  lr_d: { group: 'rates', better: null, unit: 'lr', source: 'step', description: "D's learning rate at this step, after its schedule." },
  phase_size: { group: 'growth', better: null, unit: 'px', source: 'step', description: 'Progressive growing: the image side G draws and D reads at this step.' },
  fade_alpha: {
    group: 'growth',
    better: null,
    unit: 'ratio',
    source: 'step',
    description: "Progressive growing: how far the newest resolution's block has faded in (0 = only the upsampled previous side, 1 = only the new block).",
  },
  aug_p: { group: 'augment', better: null, unit: 'probability', source: 'step', description: "ADA's current probability of each DiffAugment policy." },
  ada_rt: { group: 'augment', better: null, unit: 'ratio', source: 'step', description: "ADA's overfitting estimate r_t = E[sign(D(x_real))], which steers aug_p towards augment.ada.target." },
  instance_noise: { group: 'augment', better: null, unit: 'std', source: 'step', description: "Standard deviation of the instance noise added to D's inputs at this step (annealed)." },
  images_per_sec: { group: 'throughput', better: 'higher', unit: 'images/s', source: 'metrics-interval', description: 'Training images per second since the previous metrics point.' },
  sample_diversity: {
    group: 'quality',
    better: 'higher',
    unit: 'ratio',
    source: 'sample-interval',
    description: 'Mean pairwise distance of the raw generator’s fixed-noise samples (never its EMA) over that of real images (≈1 as varied as the data, → 0 under mode collapse).',
  },
  val_l1: {
    group: 'reconstruction',
    better: 'lower',
    unit: 'L1',
    source: 'sample-interval',
    description: "Paired translation: mean |output − target| in [0, 1] units on the fixed validation images (the dataset's held-out split when it has one).",
  },
  val_psnr: { group: 'translation', better: 'higher', unit: 'dB', source: 'sample-interval', description: 'Paired translation: PSNR of the outputs against the targets on the validation images (peak 1, per image, averaged).' },
  val_ssim: { group: 'reconstruction', better: 'higher', unit: 'SSIM', source: 'sample-interval', description: 'Paired translation: SSIM (11 × 11 Gaussian window, σ 1.5) of the outputs against the targets on the validation images.' },
  baseline_psnr: {
    group: 'translation',
    better: null,
    unit: 'dB',
    source: 'sample-interval',
    description: "Paired translation: PSNR of the task's trivial answer on the same images, the line val_psnr must clear: the bicubic upscale (super-resolution), the grey image (colorization), each hole filled with its image's mean (inpainting).",
  },
  val_masked_l1: { group: 'reconstruction', better: 'lower', unit: 'L1', source: 'sample-interval', description: 'Inpainting: mean |output − target| inside the holes only, on the validation images.' },
  baseline_masked_l1: {
    group: 'reconstruction',
    better: null,
    unit: 'L1',
    source: 'sample-interval',
    description: "Inpainting: the same inside the holes for each hole filled with the mean of its image's known pixels, the line val_masked_l1 must get under.",
  },
  val_cycle: {
    group: 'reconstruction',
    better: 'lower',
    unit: 'L1',
    source: 'sample-interval',
    description: 'Unpaired translation: the cycle error on the validation images of both domains, mean |G_BA(G_AB(a)) − a| and |G_AB(G_BA(b)) − b| in [0, 1] units, averaged.',
  },
} as const satisfies Record<string, MetricInfo>;

export type MetricKey = keyof typeof METRICS;
/** The keys a training step reports (engine/session). */
export type StepMetricKey = { [K in MetricKey]: (typeof METRICS)[K]['source'] extends 'step' ? K : never }[MetricKey];

export const METRIC_KEYS = Object.keys(METRICS) as MetricKey[];
/** The step keys in catalogue order: the order a step reports its values in. */
export const STEP_METRIC_KEYS = METRIC_KEYS.filter((k): k is StepMetricKey => METRICS[k].source === 'step');

/** The keys with a better side. */
export const RANKABLE_METRIC_KEYS = METRIC_KEYS.filter((k) => METRICS[k].better !== null);

/** Values measured together, by key; typed so that an emitter can only name catalogued keys. */
export type CatalogueValues = Partial<Record<MetricKey, number>>;

export function isMetricKey(key: string): key is MetricKey {
  return Object.hasOwn(METRICS, key);
}

/** The catalogue entry of a key, or undefined for a key it does not know (an old run's, or a newer engine's). */
export function metricInfo(key: string): MetricInfo | undefined {
  return isMetricKey(key) ? METRICS[key] : undefined;
}
