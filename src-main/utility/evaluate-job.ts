/**
 * The evaluation job of the warm trainer worker (issue 12): real and held-out images drawn from a
 * packed dataset with the seed, the images to score from a folder (decoded as an import decodes
 * them) or from a checkpoint's generator, both embedded on the bundled feature network, then FD,
 * KID, precision/recall and the memorization check, each value with its provenance.
 */
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { RejectedFile } from '../common/domain';
import { evaluationSplit, MIN_EVALUATION_IMAGES, type InDomainMeasures, type MeasureProvenance, type QualityMeasures } from '../common/quality';
import { drawOrder, Rng } from '../common/rng';
import { NEAREST_PAIRS } from '../common/nearest';
import type { EvaluatedImages, EvaluateImages, FolderFile, NearestImages } from '../common/trainer-protocol';
import type { TrainingConfig } from '../common/training-config';
import { decodeImage } from '../core/datasets/decode-image';
import { datasetShapedSession } from './dataset-shaped-session';
import { IMAGES_FILE, imageBytes, LABELS_FILE, readManifest, trainingIndices, type Manifest } from '../core/datasets/packed-format';
import { resolveBackend } from '../engine/backends/resolve-backend';
import { classesReached, classHistogram, labelHistogram, perClassScores } from '../engine/evaluators/class-measures';
import { closestPairs, memorizationCheck, type FeatureSet, type MemorizationReport, type NearestNeighbours } from '../engine/evaluators/distances';
import type { DomainFeatureNet } from '../engine/evaluators/feature-nets/domain-classifier';
import type { FeatureNet } from '../engine/evaluators/feature-nets/feature-net';
import { loadMobileNetV2Features } from '../engine/evaluators/feature-nets/mobilenet-v2';
import { classifyPixels, EMBED_CHUNK, embedPixels, FeatureRows, measureDistances, measureQuality } from '../engine/evaluators/quality';
import type { TrainingSession } from '../engine/training-session';
import { readCheckpoint } from './checkpoint-files';
import { loadClassifier } from './classifier-job';
import { trainingThreads } from './compute-threads';
import { translationSession } from './translate-job';
import { imageBytes as sampleBytes } from '../engine/sample-grid';

/** Seed streams of an evaluation, apart from the training streams (1–9), the diversity meter's (91), KID's (92) and the export example's (97). */
const STREAMS = { split: 93, noise: 94, labels: 95, folder: 96, search: 98 } as const;
/** Training images the in-domain memorization check searches at most: MNIST's whole training part. */
export const MEMORIZATION_SEARCH_MAX = 60_000;
/** Images read and classified at once for that search. */
const TRAINING_CHUNK = 1024;
/** Files decoded at once, as an import does. */
const DECODE_CONCURRENCY = 4;

/** Seconds spent by phase. */
class Clock {
  images = 0;
  embed = 0;
  inDomain = 0;

  async time<T>(phase: 'images' | 'embed' | 'inDomain', fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      this[phase] += (performance.now() - t0) / 1000;
    }
  }
}

/** The networks an evaluation embeds with: the bundled general one, and the dataset's classifier when it has one. */
interface Nets {
  general: FeatureNet;
  domain: DomainFeatureNet | null;
}

/** One set of images on every network: its feature rows, and the classifier's probabilities. */
interface Embedded {
  general: FeatureSet;
  domain: { features: FeatureSet; probabilities: Float32Array } | null;
}

/** Gathers a set's rows on every network, chunk by chunk. */
class EmbeddedRows {
  private readonly general: FeatureRows;
  private readonly domain: FeatureRows | null;
  private readonly probabilities: Float32Array[] = [];

  constructor(private readonly nets: Nets) {
    this.general = new FeatureRows(nets.general.dims);
    this.domain = nets.domain === null ? null : new FeatureRows(nets.domain.dims);
  }

  get rows(): number {
    return this.general.rows;
  }

  async add(pixels: Uint8Array, count: number, size: number, channels: 1 | 3, clock: Clock): Promise<void> {
    this.general.add(await clock.time('embed', () => embedPixels(this.nets.general, pixels, count, size, channels)));
    if (this.domain !== null) {
      const out = await clock.time('inDomain', () => classifyPixels(this.nets.domain!, pixels, count, size, channels));
      this.domain.add(out.features);
      this.probabilities.push(out.probabilities);
    }
  }

  done(): Embedded {
    if (this.domain === null) return { general: this.general.toSet(), domain: null };
    const probabilities = new Float32Array(this.probabilities.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of this.probabilities) {
      probabilities.set(p, offset);
      offset += p.length;
    }
    return { general: this.general.toSet(), domain: { features: this.domain.toSet(), probabilities } };
  }
}

/** The real side of one evaluation: the real and held-out images on every network, and the real images' labels. */
interface RealSide {
  key: string;
  backend: tf.KernelBackend;
  real: Embedded;
  heldOut: Embedded;
  realLabels: Uint8Array;
  /** Where each real image is in the packed dataset: the memorization check's nearest training images by their index. */
  realIndices: Int32Array;
  /** In-domain features of the training part, for the in-domain memorization check; null without a classifier. */
  training: FeatureSet | null;
  comparedWith: 'held-out' | 'training';
}

/**
 * Kept between jobs: the networks (loaded on the backend they were loaded on) and the last real side,
 * so that scoring several checkpoints against the same dataset, N and seed embeds the real images
 * once. All are dropped when the backend changes (a job with another thread count replaces it); the
 * classifier also when the dataset's was retrained.
 */
let cachedNet: { backend: tf.KernelBackend; net: FeatureNet } | null = null;
let cachedDomain: { backend: tf.KernelBackend; dir: string; net: DomainFeatureNet } | null = null;
let cachedReal: RealSide | null = null;

async function featureNet(): Promise<FeatureNet> {
  const backend = tf.backend();
  if (cachedNet?.backend !== backend) {
    cachedNet = null;
    cachedNet = { backend, net: await loadMobileNetV2Features() };
  }
  return cachedNet.net;
}

async function domainNet(dir: string | null): Promise<DomainFeatureNet | null> {
  if (dir === null) return null;
  const backend = tf.backend();
  const { net } = await loadClassifier(dir);
  if (cachedDomain?.backend === backend && cachedDomain.dir === dir && cachedDomain.net.id === net.id) {
    net.dispose();
    return cachedDomain.net;
  }
  if (cachedDomain?.backend === backend) cachedDomain.net.dispose();
  cachedDomain = { backend, dir, net };
  return net;
}

async function readImages(datasetDir: string, manifest: Manifest, indices: Int32Array): Promise<Uint8Array> {
  const bytes = imageBytes(manifest);
  const pixels = new Uint8Array(indices.length * bytes);
  const handle = await open(join(datasetDir, IMAGES_FILE), 'r');
  try {
    for (const [k, index] of indices.entries()) {
      const { bytesRead } = await handle.read(pixels, k * bytes, bytes, index * bytes);
      if (bytesRead !== bytes) throw new Error(`${IMAGES_FILE} is shorter than its manifest says; import the dataset again`);
    }
  } finally {
    await handle.close();
  }
  return pixels;
}

async function embedIndices(job: EvaluateImages, manifest: Manifest, indices: Int32Array, nets: Nets, clock: Clock): Promise<Embedded> {
  const rows = new EmbeddedRows(nets);
  for (let start = 0; start < indices.length; start += EMBED_CHUNK) {
    const chunk = indices.subarray(start, start + EMBED_CHUNK);
    const pixels = await clock.time('images', () => readImages(job.datasetDir, manifest, chunk));
    await rows.add(pixels, chunk.length, manifest.size, manifest.channels, clock);
  }
  return rows.done();
}

async function realSide(job: EvaluateImages, manifest: Manifest, nets: Nets, clock: Clock): Promise<RealSide> {
  const split = evaluationSplit(manifest.count, job.n, manifest.heldOut.length);
  if (split === null) throw new Error(`the dataset holds ${manifest.count} images: too few to draw held-out and real images from`);
  const backend = tf.backend();
  const key = JSON.stringify([job.datasetDir, manifest.id, manifest.createdAt, manifest.count, job.n, job.seed, nets.general.id, nets.domain?.id ?? null]);
  if (cachedReal?.key === key && cachedReal.backend === backend) return cachedReal;
  let heldOutIndices: Int32Array;
  let realIndices: Int32Array;
  if (split.comparedWith === 'held-out') {
    // The yardstick from the split training never saw; the real images from the part it trained on.
    const held = new Set(manifest.heldOut);
    const training = trainingIndices(manifest);
    const rng = new Rng(job.seed, STREAMS.split);
    heldOutIndices = Int32Array.from(drawOrder(rng, held.size, split.heldOut), (k) => manifest.heldOut[k]!);
    realIndices = Int32Array.from(drawOrder(rng, training.length, split.real), (k) => training[k]!);
  } else {
    const order = drawOrder(new Rng(job.seed, STREAMS.split), manifest.count, split.heldOut + split.real);
    heldOutIndices = order.subarray(0, split.heldOut);
    realIndices = order.subarray(split.heldOut);
  }
  const heldOut = await embedIndices(job, manifest, heldOutIndices, nets, clock);
  const real = await embedIndices(job, manifest, realIndices, nets, clock);
  const labels = await clock.time('images', () => readFile(join(job.datasetDir, LABELS_FILE)));
  const realLabels = Uint8Array.from(realIndices, (i) => labels[i]!);
  const training = nets.domain === null ? null : await trainingFeatures(job, manifest, nets.domain, clock);
  cachedReal = { key, backend, real, heldOut, realLabels, realIndices, training, comparedWith: split.comparedWith };
  return cachedReal;
}

/**
 * The in-domain features of the whole training part (up to MEMORIZATION_SEARCH_MAX images, drawn
 * with the seed): a generator that copies training images copies any of them, and only a search of
 * all of them finds every copy. The general network is too slow for that (tens of ms per image);
 * the classifier takes a fraction of a millisecond.
 */
async function trainingFeatures(job: EvaluateImages, manifest: Manifest, net: DomainFeatureNet, clock: Clock): Promise<FeatureSet> {
  const part = trainingIndices(manifest);
  const indices = part.length <= MEMORIZATION_SEARCH_MAX ? part : Int32Array.from(drawOrder(new Rng(job.seed, STREAMS.search), part.length, MEMORIZATION_SEARCH_MAX), (k) => part[k]!);
  const rows = new FeatureRows(net.dims);
  for (let start = 0; start < indices.length; start += TRAINING_CHUNK) {
    const chunk = indices.subarray(start, start + TRAINING_CHUNK);
    const pixels = await clock.time('images', () => readImages(job.datasetDir, manifest, chunk));
    rows.add((await clock.time('inDomain', () => classifyPixels(net, pixels, chunk.length, manifest.size, manifest.channels))).features);
  }
  return rows.toSet();
}

/**
 * The folder's files in a seeded order, decoded to the dataset's size and channels with its fit and
 * background, until `n` images are read or no file is left; the others are listed with the reason.
 */
async function folderFeatures(
  job: EvaluateImages,
  source: { files: FolderFile[]; maxInputPixels: number },
  manifest: Manifest,
  nets: Nets,
  clock: Clock,
): Promise<{ set: Embedded; tried: number; rejected: RejectedFile[] }> {
  const { files } = source;
  const order = drawOrder(new Rng(job.seed, STREAMS.folder), files.length);
  const { size, channels } = manifest;
  const options = { size, channels, maxInputPixels: source.maxInputPixels, fit: manifest.options.fit, background: manifest.options.background };
  const bytes = imageBytes(manifest);
  const rows = new EmbeddedRows(nets);
  const rejected: RejectedFile[] = [];
  let chunk: Buffer[] = [];
  let good = 0;
  let tried = 0;
  const flush = async () => {
    if (chunk.length === 0) return;
    const pixels = new Uint8Array(chunk.length * bytes);
    chunk.forEach((p, k) => pixels.set(p, k * bytes));
    const count = chunk.length;
    chunk = [];
    await rows.add(pixels, count, size, channels, clock);
  };
  while (good < job.n && tried < files.length) {
    const batch = Array.from(order.subarray(tried, tried + Math.min(DECODE_CONCURRENCY, job.n - good)), (i) => files[i]!);
    tried += batch.length;
    const decoded = await clock.time('images', () => Promise.all(batch.map((file) => decodeImage(file, options))));
    for (const [k, result] of decoded.entries()) {
      if (!result.ok) {
        rejected.push({ file: batch[k]!.rel, reason: result.reason });
        continue;
      }
      chunk.push(result.pixels);
      good++;
      if (chunk.length === EMBED_CHUNK) await flush();
    }
  }
  await flush();
  rejected.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  if (good < MIN_EVALUATION_IMAGES) {
    throw new Error(`only ${good} of the ${files.length} files in the folder could be read as images; an evaluation needs at least ${MIN_EVALUATION_IMAGES}`);
  }
  return { set: rows.done(), tried, rejected };
}

/** A checkpoint's generator and the evaluation's inputs to it: loaded and drawn once, for the scored images and the closest pairs' re-render. */
interface Generator {
  session: TrainingSession;
  config: TrainingConfig;
  noise: Float32Array;
  labels: Int32Array | null;
}

/**
 * `n` images of the checkpoint's generator (its EMA weights when the run has EMA, as its samples),
 * from the evaluation's own noise stream; a conditional generator gets the real images' classes.
 */
async function generatorFeatures(job: EvaluateImages, generator: Generator, manifest: Manifest, nets: Nets, clock: Clock): Promise<Embedded> {
  const { session, config, noise, labels } = generator;
  const { size, channels } = manifest;
  const rows = new EmbeddedRows(nets);
  for (let start = 0; start < job.n; start += EMBED_CHUNK) {
    const m = Math.min(EMBED_CHUNK, job.n - start);
    const z = noise.subarray(start * config.latentSize, (start + m) * config.latentSize);
    // One column: the cells of a vertical strip are the images back to back, as 8-bit pixels like every sample.
    const strip = await clock.time('images', () => session.render(z, labels?.subarray(start, start + m) ?? null, 1));
    await rows.add(strip.pixels, m, size, channels, clock);
  }
  return rows.done();
}

/**
 * An unpaired run's outputs: the first `n` images of domain A (packed order) through its A → B translator
 * (EMA weights when on), to be measured against domain B's images like any generated set.
 */
async function translatedFeatures(job: EvaluateImages, source: { config: TrainingConfig; checkpointDir: string; inputsDatasetDir: string }, manifest: Manifest, nets: Nets, clock: Clock): Promise<Embedded> {
  const session = await clock.time('images', () => translationSession({ config: source.config, datasetDir: source.inputsDatasetDir, datasetBDir: job.datasetDir, checkpointDir: source.checkpointDir }));
  try {
    const inputs = await readManifest(source.inputsDatasetDir);
    const count = Math.min(job.n, inputs.count);
    const { size, channels } = manifest;
    const rows = new EmbeddedRows(nets);
    for (let start = 0; start < count; start += EMBED_CHUNK) {
      const m = Math.min(EMBED_CHUNK, count - start);
      const pixels = await readImages(source.inputsDatasetDir, inputs, Int32Array.from({ length: m }, (_, i) => start + i));
      const signed = Float32Array.from(pixels, (v) => v / 127.5 - 1);
      const out = await clock.time('images', () => session.translate(signed, m, 'ab'));
      await rows.add(sampleBytes(out, out.length), m, size, channels, clock);
    }
    return rows.done();
  } finally {
    session.dispose();
  }
}

/** A session holding the checkpoint's weights. */
async function loadGenerator(source: { config: TrainingConfig; checkpointDir: string }, manifest: Manifest, clock: Clock): Promise<TrainingSession> {
  const session = datasetShapedSession(source.config, manifest);
  try {
    await clock.time('images', async () => session.importState(await readCheckpoint(source.checkpointDir)));
    return session;
  } catch (error) {
    session.dispose();
    throw error;
  }
}

/** The noise of the `n` generated images, and for a conditional generator their classes: the same for every checkpoint and every re-render. */
function generatorInputs(job: EvaluateImages, config: TrainingConfig, manifest: Manifest, real: RealSide): { noise: Float32Array; labels: Int32Array | null } {
  const numClasses = manifest.classes.length;
  const noise = new Rng(job.seed, STREAMS.noise).normals(job.n * config.latentSize);
  let labels: Int32Array | null = null;
  if (config.model.gConditioning !== 'none') {
    const rng = new Rng(job.seed, STREAMS.labels);
    // The class mix of the real images; an image without a class gets a random one.
    labels = Int32Array.from({ length: job.n }, (_, i) => {
      const label = real.realLabels[i % real.realLabels.length]!;
      return label < numClasses ? label : rng.nextInt(numClasses);
    });
  }
  return { noise, labels };
}

/**
 * The NEAREST_PAIRS generated images closest to their nearest training image, with it. Only their
 * noise rows are rendered again by the same generator (in inference mode it draws the same image
 * from the same noise), so the N images' pixels are never held at once.
 */
async function nearestImages(
  job: EvaluateImages,
  generator: Generator,
  manifest: Manifest,
  real: RealSide,
  nearest: NearestNeighbours,
  heldOutMedian: number,
  clock: Clock,
): Promise<NearestImages> {
  const { session, config, noise, labels } = generator;
  const chosen = closestPairs(nearest, NEAREST_PAIRS);
  const pairs = chosen.map((p) => ({ generated: p.query, training: real.realIndices[p.reference]!, distance: p.distance }));
  const z = new Float32Array(chosen.length * config.latentSize);
  chosen.forEach((p, k) => z.set(noise.subarray(p.query * config.latentSize, (p.query + 1) * config.latentSize), k * config.latentSize));
  const classes = labels && Int32Array.from(chosen, (p) => labels[p.query]!);
  const strip = await clock.time('images', () => session.render(z, classes, 1));
  const trainingPixels = await clock.time('images', () => readImages(job.datasetDir, manifest, Int32Array.from(pairs, (p) => p.training)));
  return { size: manifest.size, channels: manifest.channels, heldOutMedian, pairs, generatedPixels: strip.pixels, trainingPixels };
}

/** The memorization check on the classifier's features; null when the held-out images sit on training images (no yardstick), which must not sink the rest of the evaluation. */
function inDomainMemorization(scored: FeatureSet, training: FeatureSet, heldOut: FeatureSet): Omit<MemorizationReport, 'nearest'> | null {
  try {
    const { nearest: _nearest, ...memorization } = memorizationCheck(scored, training, heldOut);
    return memorization;
  } catch {
    return null;
  }
}

/** The same distances on the classifier's features, its class histogram and, for a conditional generator, per-class scores. */
function inDomainMeasures(
  nets: Nets,
  manifest: Manifest,
  real: RealSide,
  scored: Embedded,
  labels: Int32Array | null,
  seed: number,
  provenance: MeasureProvenance,
): InDomainMeasures | null {
  const net = nets.domain;
  if (net === null || real.real.domain === null || real.heldOut.domain === null || real.training === null || scored.domain === null) return null;
  const classes = net.classes;
  const distances = measureDistances(real.real.domain.features, scored.domain.features, seed);
  const { histogram, assigned, meanConfidence } = classHistogram(scored.domain.probabilities, classes);
  const realHistogram = labelHistogram(real.realLabels, classes);
  const perClass =
    labels === null
      ? null
      : perClassScores(scored.domain.features, labels, assigned, real.real.domain.features, real.realLabels, classes, seed).map((score) => ({
          class: manifest.classes[score.class] ?? String(score.class),
          n: score.n,
          accuracy: score.accuracy,
          kid: score.kid,
        }));
  const { kid, precisionRecall } = distances;
  const memorization = inDomainMemorization(scored.domain.features, real.training, real.heldOut.domain.features);
  return {
    name: net.measureTag,
    accuracy: net.accuracy,
    fd: distances.fd,
    kid: { mean: kid.mean, std: kid.std, standardError: kid.standardError, subsets: kid.subsets, subsetSize: kid.subsetSize },
    precision: precisionRecall.precision,
    recall: precisionRecall.recall,
    coverage: precisionRecall.coverage,
    k: precisionRecall.k,
    classes: manifest.classes,
    histogram,
    realHistogram,
    meanConfidence,
    classesReached: classesReached(histogram, realHistogram),
    perClass,
    memorization: memorization && { ...memorization, nTraining: real.training.rows, nHeldOut: real.heldOut.domain.features.rows },
    provenance: { ...provenance, network: net.id, networkName: net.displayName, preprocessing: net.preprocessing },
  };
}

export async function runEvaluateJob(job: EvaluateImages): Promise<EvaluatedImages> {
  const started = performance.now();
  // Minutes of embedding: it computes on the cores a training run would (--threads / WORKBENCH_THREADS, else all).
  await resolveBackend(job.backend, { adapter: job.adapter, threads: trainingThreads(null) });
  const manifest = await readManifest(job.datasetDir);
  const nets: Nets = { general: await featureNet(), domain: await domainNet(job.classifierDir) };
  const clock = new Clock();
  const real = await realSide(job, manifest, nets, clock);
  if (job.source.kind === 'folder') {
    const { set, tried, rejected } = await folderFeatures(job, job.source, manifest, nets, clock);
    return { ...(await measured(job, manifest, nets, real, set, null, clock, started)), tried, rejected };
  }
  const source = job.source;
  if (source.inputsDatasetDir !== undefined) {
    const scored = await translatedFeatures(job, { ...source, inputsDatasetDir: source.inputsDatasetDir }, manifest, nets, clock);
    return { ...(await measured(job, manifest, nets, real, scored, null, clock, started)), tried: 0, rejected: [] };
  }
  const session = await loadGenerator(source, manifest, clock);
  try {
    const generator: Generator = { session, config: source.config, ...generatorInputs(job, source.config, manifest, real) };
    const scored = await generatorFeatures(job, generator, manifest, nets, clock);
    return { ...(await measured(job, manifest, nets, real, scored, generator, clock, started)), tried: 0, rejected: [] };
  } finally {
    session.dispose();
  }
}

/**
 * Every measure of the scored images with its provenance, and for a checkpoint's generator the
 * closest pairs, re-rendered by it; the seconds since `started`, by phase.
 */
async function measured(
  job: EvaluateImages,
  manifest: Manifest,
  nets: Nets,
  real: RealSide,
  scored: Embedded,
  generator: Generator | null,
  clock: Clock,
  started: number,
): Promise<QualityMeasures & { nearest: NearestImages | null }> {
  const net = nets.general;
  const labels = generator?.labels ?? null;
  const values = measureQuality(real.real.general, scored.general, real.heldOut.general, job.seed);
  const provenance: MeasureProvenance = {
    network: net.id,
    networkName: net.displayName,
    preprocessing: net.preprocessing,
    backend: tf.getBackend(),
    nGenerated: scored.general.rows,
    nReal: real.real.general.rows,
  };
  const inDomainStarted = performance.now();
  const inDomain = inDomainMeasures(nets, manifest, real, scored, labels, job.seed, provenance);
  clock.inDomain += (performance.now() - inDomainStarted) / 1000;
  const { kid, precisionRecall, memorization } = values;
  const nearest = generator === null ? null : await nearestImages(job, generator, manifest, real, values.nearest, memorization.heldOutMedian, clock);
  return {
    fd: { name: `FD (${net.measureTag})`, value: values.fd, provenance },
    kid: {
      name: `KID (${net.measureTag})`,
      mean: kid.mean,
      std: kid.std,
      standardError: kid.standardError,
      subsets: kid.subsets,
      subsetSize: kid.subsetSize,
      provenance,
    },
    precisionRecall: { ...precisionRecall, provenance },
    memorization: {
      copyRatio: memorization.copyRatio,
      generatedMedian: memorization.generatedMedian,
      heldOutMedian: memorization.heldOutMedian,
      threshold: memorization.threshold,
      flagged: memorization.flagged,
      comparedWith: real.comparedWith,
      nTraining: real.real.general.rows,
      nHeldOut: real.heldOut.general.rows,
      provenance,
    },
    inDomain,
    seconds: { total: (performance.now() - started) / 1000, images: clock.images, embed: clock.embed, inDomain: clock.inDomain, ...values.seconds },
    nearest,
  };
}
