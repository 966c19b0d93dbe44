/**
 * The synthetic-dataset export: N images from a checkpoint's generator written as PNGs (a subfolder
 * per class for a conditional run, classes balanced or drawn at random) with the manifest that says
 * where they came from, so that importing the folder gives a dataset marked synthetic. With a
 * confidence filter, the dataset's classifier judges each image and more are drawn until N pass.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Rng } from '../common/rng';
import { classLabels, classQuotas, SYNTHETIC_MANIFEST, SYNTHETIC_MAX_DRAWS_PER_IMAGE, type SyntheticFilter, type SyntheticManifest } from '../common/synthetic';
import { truncateNoise, type Truncation } from '../common/truncation';
import { TRUNCATION_STREAM } from '../engine/session/streams';
import type { TrainingSession } from '../engine/training-session';
import { writeSamplePng } from './sample-writer';

/** Seed streams of the images' noise and labels, apart from the trainer's and the example's. */
const NOISE_STREAM = 98;
const LABEL_STREAM = 99;
/** Images rendered at once: bounds memory for any N. */
const BATCH = 64;

/** The classifier that judges a filtered export's images. */
export interface ConfidenceFilter {
  minConfidence: number;
  /** Its report's network id and held-out accuracy, for the manifest. */
  network: string;
  accuracy: number;
  /** Softmax rows (n × classes) of n HWC uint8 images back to back, as they are written. */
  classify(pixels: Uint8Array, n: number): Promise<Float32Array>;
}

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
  /** Keep only images the dataset's classifier is this sure of; null keeps every image. */
  filter: (ConfidenceFilter & { datasetClasses: string[] }) | null;
}

/**
 * The seeded noise, handed out a batch at a time: one noise stream and one truncation stream that
 * continue across batches, so N images drawn in batches are the N drawn at once, and a filtered
 * export's extra draws carry on the same sequence.
 */
function noiseStream(s: Synthesis): (n: number) => Float32Array {
  const noise = new Rng(s.seed, NOISE_STREAM);
  const truncation = new Rng(s.seed, TRUNCATION_STREAM);
  return (n) => {
    const z = noise.normals(n * s.latentSize);
    return s.truncation ? truncateNoise(z, s.truncation, truncation) : z;
  };
}

export async function writeSyntheticDataset(session: TrainingSession, s: Synthesis, dir: string): Promise<SyntheticManifest> {
  await mkdir(dir, { recursive: true });
  const { classes, perClass, filter } = s.filter ? await writeFiltered(session, s, s.filter, dir) : await writeAll(session, s, dir);
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
    classes,
    perClass,
    filter,
    createdAt: new Date().toISOString(),
  };
  // Written last: the export counts as done once its manifest is there.
  await writeFile(join(dir, SYNTHETIC_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

type Written = { classes: string[]; perClass: number[]; filter: SyntheticFilter | null };

const fileName = (i: number, count: number) => `${String(i).padStart(String(count - 1).length, '0')}.png`;

/** Every image drawn is kept: image i is class i mod K when balanced, a class drawn at random when not. */
async function writeAll(session: TrainingSession, s: Synthesis, dir: string): Promise<Written> {
  const draw = noiseStream(s);
  const labelRng = new Rng(s.seed, LABEL_STREAM);
  const labels = s.classes.length > 0 ? classLabels(s.count, s.classes.length, s.balanced, () => labelRng.nextFloat()) : null;
  const perClass = s.classes.map(() => 0);
  for (const name of s.classes) await mkdir(join(dir, name), { recursive: true });
  const cell = s.size * s.size * s.channels;
  for (let start = 0; start < s.count; start += BATCH) {
    const n = Math.min(BATCH, s.count - start);
    // One column: the images lie back to back, cell bytes each.
    const strip = await session.render(draw(n), labels ? labels.subarray(start, start + n) : null, 1);
    for (let k = 0; k < n; k++) {
      const i = start + k;
      const file = labels ? join(dir, s.classes[labels[i]!]!, fileName(i, s.count)) : join(dir, fileName(i, s.count));
      if (labels) perClass[labels[i]!]!++;
      await writeSamplePng(file, { width: s.size, height: s.size, channels: s.channels, pixels: strip.pixels.subarray(k * cell, (k + 1) * cell) });
    }
  }
  return { classes: s.classes, perClass, filter: null };
}

/**
 * Draws batches until `count` images pass the classifier: a conditional generator's image passes when
 * the classifier gives the class it was made for at least minConfidence, and is filed under it; an
 * unconditional generator's when its top probability does, and it is filed under that class, so the
 * synthetic dataset has the classes of the real one and can stand in for labelled data. Balanced, a
 * class stops taking images at its share (and a conditional generator is asked only for the classes
 * still short); unbalanced, a conditional generator's classes are drawn at random. Past
 * SYNTHETIC_MAX_DRAWS_PER_IMAGE × count draws it fails, saying how far it got.
 */
async function writeFiltered(session: TrainingSession, s: Synthesis, f: NonNullable<Synthesis['filter']>, dir: string): Promise<Written> {
  const conditional = s.classes.length > 0;
  const classes = f.datasetClasses;
  const k = classes.length;
  const quotas = s.balanced ? classQuotas(s.count, k) : null;
  const perClass = classes.map(() => 0);
  const maxDraws = SYNTHETIC_MAX_DRAWS_PER_IMAGE * s.count;
  const draw = noiseStream(s);
  const labelRng = new Rng(s.seed, LABEL_STREAM);
  const cell = s.size * s.size * s.channels;
  for (const name of classes) await mkdir(join(dir, name), { recursive: true });
  let kept = 0;
  let drawn = 0;
  let passed = 0;
  // Balanced conditional labels go round the classes still short, from where the last batch stopped.
  let turn = 0;
  const nextLabel = (): number => {
    if (!quotas) return labelRng.nextInt(k);
    for (let tries = 0; tries < k; tries++, turn = (turn + 1) % k) {
      if (perClass[turn]! < quotas[turn]!) break;
    }
    const label = turn;
    turn = (turn + 1) % k;
    return label;
  };
  while (kept < s.count) {
    if (drawn >= maxDraws) throw new Error(filterFailure(s, f, { kept, drawn, passed, perClass, quotas, classes }));
    const n = Math.min(BATCH, maxDraws - drawn);
    const labels = conditional ? Int32Array.from({ length: n }, nextLabel) : null;
    const strip = await session.render(draw(n), labels, 1);
    const probabilities = await f.classify(strip.pixels, n);
    for (let i = 0; i < n && kept < s.count; i++) {
      drawn++;
      const row = probabilities.subarray(i * k, (i + 1) * k);
      const c = labels ? labels[i]! : argMax(row);
      if (!(row[c]! >= f.minConfidence)) continue;
      passed++;
      if (quotas && perClass[c]! >= quotas[c]!) continue;
      perClass[c]!++;
      await writeSamplePng(join(dir, classes[c]!, fileName(kept, s.count)), {
        width: s.size,
        height: s.size,
        channels: s.channels,
        pixels: strip.pixels.subarray(i * cell, (i + 1) * cell),
      });
      kept++;
    }
  }
  return {
    classes,
    perClass,
    filter: { minConfidence: f.minConfidence, network: f.network, accuracy: f.accuracy, labels: conditional ? 'generator' : 'classifier', drawn, kept, acceptanceRate: kept / drawn },
  };
}

/** The first of equal maxima, as the class histogram counts it. */
function argMax(row: Float32Array): number {
  let best = 0;
  for (let c = 1; c < row.length; c++) if (row[c]! > row[best]!) best = c;
  return best;
}

const percent = (x: number) => `${(x * 100).toFixed(x < 0.01 ? 2 : 1)}%`;

/** What a user needs to choose again: how many passed of how many drawn, and which classes fell short. */
function filterFailure(
  s: Synthesis,
  f: ConfidenceFilter,
  r: { kept: number; drawn: number; passed: number; perClass: number[]; quotas: number[] | null; classes: string[] },
): string {
  const short = r.quotas ? r.classes.map((name, c) => ({ name, got: r.perClass[c]!, want: r.quotas![c]! })).filter((c) => c.got < c.want) : [];
  const classes = short.length ? `; classes short of their share: ${short.map((c) => `${c.name} (${c.got} of ${c.want})`).join(', ')}` : '';
  const judged = s.classes.length > 0 ? 'the class it was made for' : 'its likeliest class';
  return (
    `kept ${r.kept} of ${s.count} images after ${r.drawn} draws (the limit, ${SYNTHETIC_MAX_DRAWS_PER_IMAGE} per image): ` +
    `${r.passed} (${percent(r.passed / r.drawn)}) had the classifier give ${judged} a probability of at least ${f.minConfidence}` +
    `${classes}. Lower minConfidence${r.quotas ? ', draw the classes unbalanced' : ''} or export from a better checkpoint`
  );
}
