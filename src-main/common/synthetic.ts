/**
 * Synthetic datasets (the article's data augmentation by GAN): a run's generator writes N images as a
 * folder of PNGs (class subfolders for a conditional run) with a manifest that says where they came
 * from; importing that folder makes a dataset marked synthetic that keeps this provenance.
 */
import { z } from 'zod';
import { Truncation } from './truncation';

/** The manifest's file name, at the folder's root; the import reads it and passes over it as a file. */
export const SYNTHETIC_MANIFEST = 'synthetic.json';
export const SYNTHETIC_MAX_IMAGES = 20_000;
export const SYNTHETIC_DEFAULT_IMAGES = 1000;

export const SyntheticProvenance = z.object({
  runId: z.string(),
  step: z.number().int().min(0).describe('The checkpoint the generator came from.'),
  weights: z.enum(['ema', 'generator']).describe('The EMA copy of G, or G itself.'),
  seed: z.number().int().min(0).describe('Seed of the noise (and of the labels when not balanced).'),
  truncation: Truncation.nullable(),
  balanced: z.boolean().describe('Classes in equal numbers (the first classes get one more when N does not divide).'),
  count: z.number().int().min(1),
  classes: z.array(z.string()).describe('Class names of a conditional generator, else [].'),
  perClass: z.array(z.number().int().min(0)).describe('Images per class, aligned with classes.'),
  createdAt: z.string(),
});
export type SyntheticProvenance = z.infer<typeof SyntheticProvenance>;

export const SyntheticManifest = SyntheticProvenance.extend({
  format: z.literal('gan-workbench/synthetic-dataset'),
  version: z.literal(1),
});
export type SyntheticManifest = z.infer<typeof SyntheticManifest>;

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
