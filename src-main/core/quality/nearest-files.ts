/** The memorization check's closest pairs of a run's checkpoint on disk: runs/<id>/evaluations/<step>/nearest.png (generated | nearest training image, a row per pair) and nearest.json (what each row is). */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { tileGrid } from '../../common/grid-layout';
import { WorkbenchError } from '../../common/errors';
import { NearestFile, type RunNearest } from '../../common/nearest';
import type { NearestImages } from '../../common/trainer-protocol';
import type { DataDir } from '../data-dir';
import { fsyncDir, tempSibling, writeNewFileSync } from '../durable-files';

/** The folder of a run's evaluations, beside samples/ and checkpoints/. */
export const EVALUATIONS_DIR = 'evaluations';
export const NEAREST_PNG = 'nearest.png';
export const NEAREST_JSON = 'nearest.json';

/** What the evaluation knew besides the pixels. */
export interface NearestContext {
  runId: string;
  step: number;
  datasetId: string;
  threshold: number;
  comparedWith: 'held-out' | 'training';
  nGenerated: number;
  nTraining: number;
}

/** The picture: one row per pair, the generated image left and its nearest training image right, edge to edge so that a cell is exactly the dataset's image. */
export function nearestPicture(images: NearestImages): { width: number; height: number; pixels: Uint8Array } {
  const { size, channels, pairs } = images;
  const bytes = size * size * channels;
  const cells = new Uint8Array(pairs.length * 2 * bytes);
  for (let k = 0; k < pairs.length; k++) {
    cells.set(images.generatedPixels.subarray(k * bytes, (k + 1) * bytes), 2 * k * bytes);
    cells.set(images.trainingPixels.subarray(k * bytes, (k + 1) * bytes), (2 * k + 1) * bytes);
  }
  return tileGrid(cells, { rows: pairs.length, cols: 2, cellSize: size, channels, border: 0 });
}

/**
 * Writes the pairs of one evaluated checkpoint, replacing those of an earlier evaluation of it. Both
 * files are written into a temporary folder that then takes the step's name, so a reader (and a
 * restart after a crash) sees the old pair of files or the new one, never a picture with another
 * evaluation's list; the start-up sweep removes a leftover temporary folder. A run deleted while it
 * was measured gets no folder back.
 */
export async function writeNearest(dataDir: DataDir, context: NearestContext, images: NearestImages): Promise<boolean> {
  const runDir = dataDir.run(context.runId);
  if (images.pairs.length === 0 || !existsSync(runDir)) return false;
  const picture = nearestPicture(images);
  const image = sharp(picture.pixels, { raw: { width: picture.width, height: picture.height, channels: images.channels } });
  // Without b-w, sharp widens one raw channel to three: the picture keeps the dataset's channels.
  const png = await (images.channels === 1 ? image.toColourspace('b-w') : image).png().toBuffer();
  const about: NearestFile = {
    runId: context.runId,
    step: context.step,
    datasetId: context.datasetId,
    cellSize: images.size,
    channels: images.channels,
    heldOutMedian: images.heldOutMedian,
    threshold: context.threshold,
    comparedWith: context.comparedWith,
    nGenerated: context.nGenerated,
    nTraining: context.nTraining,
    pairs: images.pairs.map((p) => ({
      distance: p.distance,
      ratio: p.distance / images.heldOutMedian,
      trainingIndex: p.training,
      generatedIndex: p.generated,
      datasetId: context.datasetId,
    })),
    createdAt: new Date().toISOString(),
  };
  const parent = join(runDir, EVALUATIONS_DIR);
  mkdirSync(parent, { recursive: true });
  const final = join(parent, String(context.step));
  const fresh = tempSibling(final);
  mkdirSync(fresh);
  try {
    writeNewFileSync(join(fresh, NEAREST_PNG), png);
    writeNewFileSync(join(fresh, NEAREST_JSON), `${JSON.stringify(about, null, 2)}\n`);
    fsyncDir(fresh);
    // A folder cannot be renamed over another on every platform: the old one steps aside first.
    const old = existsSync(final) ? tempSibling(final) : null;
    if (old !== null) renameSync(final, old);
    renameSync(fresh, final);
    fsyncDir(parent);
    if (old !== null) rmSync(old, { recursive: true, force: true });
  } catch (error) {
    rmSync(fresh, { recursive: true, force: true });
    throw error;
  }
  return true;
}

/** The pairs of a run's checkpoint, with the picture's path relative to the data directory; null when that checkpoint has none (not evaluated, or evaluated before pairs were kept). */
export function readNearest(dataDir: DataDir, runId: string, step: number): RunNearest | null {
  const folder = join(dataDir.run(runId), EVALUATIONS_DIR, String(step));
  let text: string;
  try {
    text = readFileSync(join(folder, NEAREST_JSON), 'utf8');
  } catch {
    return null;
  }
  if (!existsSync(join(folder, NEAREST_PNG))) return null;
  let about: NearestFile;
  try {
    about = NearestFile.parse(JSON.parse(text));
  } catch {
    // Written whole or not at all (writeNearest): this one was edited or damaged by something else.
    throw new WorkbenchError('INTERNAL', `runs/${runId}/${EVALUATIONS_DIR}/${step}/${NEAREST_JSON} is not a list of nearest pairs; evaluate the checkpoint again to rewrite it`);
  }
  return { ...about, image: `runs/${runId}/${EVALUATIONS_DIR}/${step}/${NEAREST_PNG}` };
}
