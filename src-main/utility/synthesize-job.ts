/**
 * The synthetic-dataset export: N images from a checkpoint's generator written as PNGs (a subfolder
 * per class for a conditional run, classes balanced or drawn at random) with the manifest that says
 * where they came from, so that importing the folder gives a dataset marked synthetic.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Rng } from '../common/rng';
import { classLabels, SYNTHETIC_MANIFEST, type SyntheticManifest } from '../common/synthetic';
import type { Truncation } from '../common/truncation';
import type { TrainingSession } from '../engine/training-session';
import { truncatedFor } from './generate-job';
import { writeSamplePng } from './sample-writer';

/** Seed streams of the images' noise and labels, apart from the trainer's and the example's. */
const NOISE_STREAM = 98;
const LABEL_STREAM = 99;
/** Images rendered at once: bounds memory for any N. */
const BATCH = 64;

export interface Synthesis {
  runId: string;
  step: number;
  weights: 'ema' | 'generator';
  latentSize: number;
  size: number;
  channels: 1 | 3;
  /** Class names of a conditional generator, else []. */
  classes: string[];
  count: number;
  balanced: boolean;
  seed: number;
  truncation: Truncation | null;
}

export async function writeSyntheticDataset(session: TrainingSession, s: Synthesis, dir: string): Promise<SyntheticManifest> {
  const noise = truncatedFor(s.seed, new Rng(s.seed, NOISE_STREAM).normals(s.count * s.latentSize), s.truncation);
  const labelRng = new Rng(s.seed, LABEL_STREAM);
  const labels = s.classes.length > 0 ? classLabels(s.count, s.classes.length, s.balanced, () => labelRng.nextFloat()) : null;
  const perClass = s.classes.map(() => 0);
  await mkdir(dir, { recursive: true });
  for (const name of s.classes) await mkdir(join(dir, name), { recursive: true });
  const cell = s.size * s.size * s.channels;
  const digits = String(s.count - 1).length;
  for (let start = 0; start < s.count; start += BATCH) {
    const n = Math.min(BATCH, s.count - start);
    // One column: the images lie back to back, cell bytes each.
    const strip = await session.render(noise.subarray(start * s.latentSize, (start + n) * s.latentSize), labels ? labels.subarray(start, start + n) : null, 1);
    for (let k = 0; k < n; k++) {
      const i = start + k;
      const name = `${String(i).padStart(digits, '0')}.png`;
      const file = labels ? join(dir, s.classes[labels[i]!]!, name) : join(dir, name);
      if (labels) perClass[labels[i]!]!++;
      await writeSamplePng(file, { width: s.size, height: s.size, channels: s.channels, pixels: strip.pixels.subarray(k * cell, (k + 1) * cell) });
    }
  }
  const manifest: SyntheticManifest = {
    format: 'gan-workbench/synthetic-dataset',
    version: 1,
    runId: s.runId,
    step: s.step,
    weights: s.weights,
    seed: s.seed,
    truncation: s.truncation,
    balanced: s.balanced,
    count: s.count,
    classes: s.classes,
    perClass,
    createdAt: new Date().toISOString(),
  };
  // Written last: the export counts as done once its manifest is there.
  await writeFile(join(dir, SYNTHETIC_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
