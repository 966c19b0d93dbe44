/** The in-domain classifier of a dataset with classes (issue 12): when one can be trained, and what its training reported. */
import { z } from 'zod';

/** The seed of every dataset's classifier training: one dataset, one classifier. */
export const CLASSIFIER_SEED = 0;

/** A class counts as reached by a set of images when it gets at least this share of what it has among the real images. */
export const CLASS_REACHED_SHARE = 0.5;

/** What a finished training reported; also the classifier's file next to its weights. */
export const ClassifierReport = z.object({
  network: z.string().describe('Id of these weights (a hash of them): measures compare only on the same one.'),
  accuracy: z.number().min(0).max(1).describe('Share of the held-out images classified right.'),
  classAccuracy: z.array(z.number().nullable()).describe('Per class, the same share among its held-out images (null: none held out).'),
  heldOutImages: z.number().int(),
  featureScale: z.number().positive().describe('Feature rows are multiplied by this: unit RMS on the training images, as KID’s kernel assumes.'),
  trainImages: z.number().int().describe('Images of the training part with a class: the only ones it learned from.'),
  epochs: z.number().int(),
  steps: z.number().int(),
  seconds: z.number(),
  backend: z.string(),
  trainedAt: z.string(),
});
export type ClassifierReport = z.infer<typeof ClassifierReport>;

export const DatasetClassifier = z.discriminatedUnion('status', [
  z.object({ status: z.literal('training'), startedAt: z.string() }),
  z.object({ status: z.literal('failed'), error: z.string(), at: z.string() }),
  ClassifierReport.extend({ status: z.literal('ready') }),
]);
export type DatasetClassifier = z.infer<typeof DatasetClassifier>;

/** Why a dataset cannot have a classifier, in words (the UI has its own, by code). */
export const CLASSIFIER_UNAVAILABLE = {
  noClasses: 'the dataset has no classes (class subfolders) to learn',
  noHeldOut: 'the dataset has no held-out split (imports of fewer than 1,000 images have none) to measure its accuracy on',
} as const;

/**
 * Why a dataset gets no classifier, or null when it can have one: it needs two classes, to learn
 * them, and a held-out split, to measure it on images it never saw.
 */
export function classifierUnavailable(dataset: { classes: readonly string[]; heldOut: number }): keyof typeof CLASSIFIER_UNAVAILABLE | null {
  if (dataset.classes.length < 2) return 'noClasses';
  if (dataset.heldOut === 0) return 'noHeldOut';
  return null;
}
