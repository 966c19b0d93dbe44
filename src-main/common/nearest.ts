/** The memorization check's closest pairs (issue 12): the generated images nearest to a training image, kept as a picture beside the images they are nearest to. */
import { z } from 'zod';
import { Id } from './domain';

/** Pairs kept per evaluated checkpoint: enough rows to see whether the closest are copies, few enough for one picture. */
export const NEAREST_PAIRS = 8;

export const NearestPair = z.object({
  distance: z.number().describe('Euclidean distance on the feature network between the generated image and its nearest training image.'),
  ratio: z.number().describe('distance / the held-out median: this pair’s copy ratio; well below 1 is closer to a training image than unseen images are.'),
  trainingIndex: z.number().int().min(0).describe('The training image: its index in the packed dataset (images.u8).'),
  generatedIndex: z.number().int().min(0).describe('Which of the N generated images: its row of the evaluation’s noise.'),
  datasetId: Id,
});
export type NearestPair = z.infer<typeof NearestPair>;

/** nearest.json, beside nearest.png in runs/<id>/evaluations/<step>/: what each row of the picture is. */
export const NearestFile = z.object({
  runId: Id,
  step: z.number().int().min(0).describe('The checkpoint whose generator made the images.'),
  datasetId: Id,
  cellSize: z.number().int().min(1).describe('Side of each image in the picture: the dataset’s size.'),
  channels: z.union([z.literal(1), z.literal(3)]),
  heldOutMedian: z.number().describe('A held-out image’s median distance to its nearest training image: the yardstick of every ratio.'),
  threshold: z.number().describe('The memorization check flags a copy ratio below this.'),
  comparedWith: z
    .enum(['held-out', 'training'])
    .describe('held-out: the yardstick is the dataset’s held-out split; training: the dataset has no split, so images drawn aside from the training images stand in.'),
  nGenerated: z.number().int().describe('Generated images the closest pairs were chosen from.'),
  nTraining: z.number().int().describe('Training images searched for each one’s nearest.'),
  pairs: z.array(NearestPair).describe('Closest first, in the order of the picture’s rows.'),
  createdAt: z.string(),
});
export type NearestFile = z.infer<typeof NearestFile>;

/** What runs.nearest answers: the picture and its pairs, row by row. */
export const RunNearest = NearestFile.extend({
  image: z
    .string()
    .describe('PNG relative to the data directory: one row per pair, the generated image left and its nearest training image right, cellSize squares edge to edge.'),
});
export type RunNearest = z.infer<typeof RunNearest>;

/**
 * How one pair reads: below the check's threshold it is close to a training image (a likely copy);
 * below 1, nearer than a typical unseen image; from 1 on, as far as new images are.
 */
export function nearestVerdict(ratio: number, threshold: number): 'close' | 'nearer' | 'new' {
  if (ratio < threshold) return 'close';
  return ratio < 1 ? 'nearer' : 'new';
}
