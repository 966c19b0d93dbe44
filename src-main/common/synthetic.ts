/**
 * Synthetic datasets (the article's data augmentation by GAN): a run's generator writes N images as a
 * folder of PNGs (class subfolders for a conditional run, or for any run filtered by the dataset's
 * classifier) with a manifest that says where they came from; importing that folder makes a dataset
 * marked synthetic that keeps this provenance.
 */
import { z } from 'zod';
import { Truncation } from './truncation';

/** The manifest's file name, at the folder's root; the import reads it and passes over it as a file. */
export const SYNTHETIC_MANIFEST = 'synthetic.json';
export const SYNTHETIC_MAX_IMAGES = 20_000;
export const SYNTHETIC_DEFAULT_IMAGES = 1000;
/**
 * A filtered export gives up after this many draws per image asked for: past it the threshold is
 * too high for this generator, and saying so (with the acceptance rate) beats drawing for hours.
 */
export const SYNTHETIC_MAX_DRAWS_PER_IMAGE = 20;

/** Who put each image in its class folder: the class it was made for, or the class the classifier reads in it. */
export const SYNTHETIC_LABELS = ['generator', 'classifier'] as const;

/** The confidence filter of an export: which classifier judged, how strictly, and how many draws it took. */
export const SyntheticFilter = z.object({
  minConfidence: z.number().min(0).max(1).describe('An image was kept when the classifier gave its class at least this probability.'),
  network: z.string().describe('Id of the classifier’s weights (as its report names them).'),
  accuracy: z.number().min(0).max(1).describe('The classifier’s held-out accuracy when it judged.'),
  labels: z
    .enum(SYNTHETIC_LABELS)
    .describe(
      'generator: a conditional run’s image is judged on, and filed under, the class it was made for; classifier: an unconditional run’s image is filed under the class the classifier reads in it (its top probability is judged).',
    ),
  drawn: z.number().int().min(0).describe('Images generated and judged until `kept` passed.'),
  kept: z.number().int().min(0),
  acceptanceRate: z.number().min(0).max(1).describe('kept / drawn.'),
});
export type SyntheticFilter = z.infer<typeof SyntheticFilter>;

export const SyntheticProvenance = z.object({
  runId: z.string(),
  step: z.number().int().min(0).describe('The checkpoint the generator came from.'),
  weights: z.enum(['ema', 'generator']).describe('The EMA copy of G, or G itself.'),
  seed: z.number().int().min(0).describe('Seed of the noise (and of the labels when not balanced).'),
  truncation: Truncation.nullable(),
  balanced: z.boolean().describe('Classes in equal numbers (the first classes get one more when N does not divide).'),
  count: z.number().int().min(1),
  classes: z.array(z.string()).describe('Class names of a conditional generator, or of the classifier that filed a filtered unconditional one’s images; else [].'),
  perClass: z.array(z.number().int().min(0)).describe('Images per class, aligned with classes.'),
  // Manifests and stored datasets from before the filter have none: they read as unfiltered.
  filter: SyntheticFilter.nullable()
    .default(null)
    .describe('The in-domain classifier’s confidence filter the images passed; null when every image drawn was kept.'),
  createdAt: z.string(),
});
export type SyntheticProvenance = z.infer<typeof SyntheticProvenance>;

export const SyntheticManifest = SyntheticProvenance.extend({
  format: z.literal('gan-workbench/synthetic-dataset'),
  version: z.literal(1),
});
export type SyntheticManifest = z.infer<typeof SyntheticManifest>;

/** Each class's share of `count` when balanced: equal, the first classes one more when it does not divide. */
export function classQuotas(count: number, classes: number): number[] {
  return Array.from({ length: classes }, (_, c) => Math.floor(count / classes) + (c < count % classes ? 1 : 0));
}

/** How many images of each class: equal shares (the first classes get the remainder), or drawn uniformly. */
export function classLabels(count: number, classes: number, balanced: boolean, draw: () => number): Int32Array {
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) labels[i] = balanced ? i % classes : Math.min(classes - 1, Math.floor(draw() * classes));
  return labels;
}

/** The import of a synthetic export as a dataset: its images at the size and channels of the run's own dataset, class subfolders as classes. */
export function syntheticImport(exportedPath: string, source: { size: number; channels: 1 | 3; name: string }, step: number, name?: string) {
  return { path: exportedPath, size: source.size, channels: source.channels, layout: 'classes' as const, name: name ?? `${source.name} · synthetic (step ${step})` };
}
