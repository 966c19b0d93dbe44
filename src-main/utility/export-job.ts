/**
 * Exports a checkpoint's generator (the EMA copy when EMA is on) as a TensorFlow.js LayersModel folder,
 * an ONNX model or a standalone HTML page, with the run's config, an example (noise + the image this
 * trainer made from it) and a README; or N generated images as a synthetic dataset, kept only where the
 * dataset's classifier is sure enough of them when asked. A translation run's translators are exported
 * by translator-export-job.ts in the same three formats.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pkg from '../../package.json';
import type { ExportFormat } from '../common/domain';
import type { ExportGenerator } from '../common/trainer-protocol';
import * as tf from '@tensorflow/tfjs';
import { readManifest } from '../core/datasets/packed-format';
import { fsyncDir, fsyncTree } from '../core/durable-files';
import { resolveBackend } from '../engine/backends/resolve-backend';
import { generatorToOnnx } from '../engine/export';
import { saveArtifacts } from './save-artifacts';
import { Rng } from '../common/rng';
import { datasetShapedSession } from './dataset-shaped-session';
import { readCheckpoint } from './checkpoint-files';
import { truncatedFor } from './generate-job';
import { htmlReadme, onnxReadme, tfjsReadme, type ReadmeFacts } from './export-readme';
import { generatorPage, HTML_FILE, tfjsRuntime } from './export-page';
import { writeSyntheticDataset, type ConfidenceFilter } from './synthesize-job';
import { loadClassifier } from './classifier-job';
import { classifyPixels } from '../engine/evaluators/quality';
import { SYNTHETIC_DEFAULT_IMAGES } from '../common/synthetic';
import { writeSamplePng } from './sample-writer';
import { exportTranslatorJob } from './translator-export-job';

/** Example images in the folder: enough to see the model works, small enough to keep the folder light. */
export const EXAMPLE_COUNT = 16;
/** Seed stream of the example noise, apart from every stream the trainer uses. */
const EXAMPLE_STREAM = 97;
export const ONNX_FILE = 'generator.onnx';
const README: Record<Exclude<ExportFormat, 'dataset'>, (f: ReadmeFacts) => string> = { tfjs: tfjsReadme, onnx: onnxReadme, html: htmlReadme };

export async function exportGeneratorJob(job: ExportGenerator): Promise<string> {
  const backend = await resolveBackend(job.backend, { adapter: job.adapter });
  const manifest = await readManifest(job.datasetDir);
  const { size, channels } = manifest;
  const tmp = `${job.outDir}.partial-${randomBytes(4).toString('hex')}`;
  if (job.config.task.kind !== 'generate') {
    try {
      await exportTranslatorJob(job, backend.name, { size, channels }, tmp);
      return await publish(tmp, job.outDir);
    } catch (e) {
      await rm(tmp, { recursive: true, force: true });
      throw e;
    }
  }
  const session = datasetShapedSession(job.config, manifest);
  try {
    await session.importState(await readCheckpoint(job.checkpointDir));
    const conditional = job.config.model.gConditioning !== 'none';
    const ema = job.config.stabilizers.ema.enabled;
    if (job.format === 'dataset') {
      const { count, balanced, seed, filter } = job.synthesis ?? { count: SYNTHETIC_DEFAULT_IMAGES, balanced: true, seed: 0, filter: null };
      const classes = conditional ? manifest.classes : [];
      const judge = filter ? { ...(await loadJudge(filter.classifierDir, manifest.classes, size, channels)), minConfidence: filter.minConfidence } : null;
      try {
        await writeSyntheticDataset(
          session,
          {
            runId: job.runId,
            step: job.step,
            weights: ema ? 'ema' : 'generator',
            latentSize: job.config.latentSize,
            size,
            channels,
            classes,
            count,
            balanced,
            seed,
            truncation: job.truncation,
            filter: judge ? { ...judge.filter, minConfidence: judge.minConfidence, datasetClasses: manifest.classes } : null,
          },
          tmp,
        );
      } finally {
        judge?.dispose();
      }
      return await publish(tmp, job.outDir);
    }
    const exported = await session.exportGenerator();
    const weights = ema ? 'EMA of the generator' : 'generator';
    const facts: ReadmeFacts = { runId: job.runId, step: job.step, latentSize: job.config.latentSize, size, channels, classes: conditional ? manifest.classes : [], ema, truncation: job.truncation };
    const noise = truncatedFor(job.config.seed, new Rng(job.config.seed, EXAMPLE_STREAM).normals(EXAMPLE_COUNT * job.config.latentSize), job.truncation);
    const labels = conditional ? Int32Array.from({ length: EXAMPLE_COUNT }, (_, i) => i % manifest.classes.length) : null;
    const example = { file: 'example.png', count: EXAMPLE_COUNT, noise: Array.from(noise), labels: labels ? Array.from(labels) : null };
    let model: Record<string, unknown>;
    if (job.format === 'onnx') {
      // Translated before anything is written: a layer ONNX cannot express fails the job by name, leaving no folder.
      const onnx = generatorToOnnx(exported, {
        classes: facts.classes,
        doc: `Generator of GAN Workbench run ${job.runId} at step ${job.step} (${weights}). Feed z (and label); image is NCHW in [-1, 1].`,
        producerVersion: pkg.version,
        metadata: { runId: job.runId, step: String(job.step), weights },
      });
      await mkdir(tmp, { recursive: true });
      await writeFile(join(tmp, ONNX_FILE), onnx.bytes);
      model = { format: 'gan-workbench/generator-onnx', file: ONNX_FILE, opset: onnx.opset, inputs: onnx.inputs, output: onnx.output };
    } else if (job.format === 'html') {
      const page = generatorPage(tfjsRuntime(), exported.artifacts, { ...facts, weights, example });
      await mkdir(tmp, { recursive: true });
      await writeFile(join(tmp, HTML_FILE), page);
      model = { format: 'gan-workbench/generator-html', file: HTML_FILE, runtime: `@tensorflow/tfjs ${tf.version.tfjs}`, inputs: exported.inputs, output: { shape: [null, size, size, channels], range: [-1, 1], layout: 'NHWC' } };
    } else {
      await saveArtifacts(exported.artifacts, tmp);
      model = { format: 'gan-workbench/generator-export', inputs: exported.inputs, output: { shape: [null, size, size, channels], range: [-1, 1], layout: 'NHWC' } };
    }
    await writeSamplePng(join(tmp, 'example.png'), await session.render(noise, labels));
    const about = {
      ...model,
      version: 1,
      runId: job.runId,
      step: job.step,
      weights,
      backend: backend.name,
      latentSize: job.config.latentSize,
      classes: manifest.classes,
      // How to sample as the example was: z truncated so before it is fed (null: plain N(0, I)).
      truncation: job.truncation,
      example,
    };
    await writeFile(join(tmp, 'generator.json'), JSON.stringify(about, null, 2));
    await writeFile(join(tmp, 'config.json'), JSON.stringify(job.config, null, 2));
    await writeFile(join(tmp, 'README.md'), README[job.format](facts));
    return await publish(tmp, job.outDir);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  } finally {
    session.dispose();
  }
}

/** The dataset's classifier as the judge of a filtered export: it reads the images as they are written (uint8, like the PNGs). */
async function loadJudge(dir: string, classes: string[], size: number, channels: 1 | 3): Promise<{ filter: Omit<ConfidenceFilter, 'minConfidence'>; dispose: () => void }> {
  const { net, report } = await loadClassifier(dir);
  if (net.classes !== classes.length) {
    net.dispose();
    throw new Error(`the dataset's classifier knows ${net.classes} classes but the dataset has ${classes.length}: train it again`);
  }
  return {
    filter: {
      network: report.network,
      accuracy: report.accuracy,
      classify: async (pixels, n) => (await classifyPixels(net, pixels, n, size, channels)).probabilities,
    },
    dispose: () => net.dispose(),
  };
}

/** A folder with its model file counts as done: after a power cut it must not hold torn weights, so it is synced whole and renamed into place. */
async function publish(tmp: string, outDir: string): Promise<string> {
  await mkdir(join(outDir, '..'), { recursive: true });
  fsyncTree(tmp);
  await rename(tmp, outDir);
  fsyncDir(join(outDir, '..'));
  return outDir;
}
