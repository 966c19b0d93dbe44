/**
 * Exports a translation run's checkpoint (the EMA translators when EMA is on): A → B, and for an
 * unpaired run B → A beside it, as TensorFlow.js LayersModels (the folder itself and `translator-ba/`),
 * ONNX (`generator.onnx`, `generator-ba.onnx`) or standalone pages (`generator.html`, `generator-ba.html`),
 * each with an example of a few validation inputs and their outputs (`example.png`, `example-ba.png`),
 * generator.json saying what each input channel means, config.json and a README.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import pkg from '../../package.json';
import type { TrainingConfig } from '../common/training-config';
import type { ExportGenerator } from '../common/trainer-protocol';
import { translatorToOnnx } from '../engine/export';
import { tileTriplets } from '../engine/translate/triplets';
import { translatorHtmlReadme, translatorOnnxReadme, translatorTfjsReadme, type TranslatorReadmeFacts } from './export-readme';
import { tfjsRuntime, translatorPage, type PagePrepare } from './export-page';
import { saveArtifacts } from './save-artifacts';
import { writeSamplePng } from './sample-writer';
import { translationSession } from './translate-job';

/** Validation rows in each example picture. */
export const TRANSLATOR_EXAMPLE_COUNT = 8;

/** Each format's file (or folder) per direction. */
const FILES = {
  tfjs: { ab: '.', ba: 'translator-ba' },
  onnx: { ab: 'generator.onnx', ba: 'generator-ba.onnx' },
  html: { ab: 'generator.html', ba: 'generator-ba.html' },
} as const;
const EXAMPLES = { ab: 'example.png', ba: 'example-ba.png' } as const;

export interface ChannelFacts {
  /** Each input channel's name, in order. */
  channels: string[];
  /** What the input holds and how to make it from an image. */
  description: string;
  output: string;
  prepare: PagePrepare;
}

const imageChannels = (c: number): string[] => (c === 1 ? ['grey'] : ['red', 'green', 'blue']);
const colours = (c: number): string => (c === 1 ? 'grey' : 'RGB');

/** What a translator's input channels mean, for generator.json, the ONNX doc strings, the README and the page. */
export function channelFacts(config: TrainingConfig, direction: 'ab' | 'ba', size: number, channels: number): ChannelFacts {
  const task = config.task;
  const output = `the translated ${size} × ${size} ${colours(channels)} image in [-1, 1]`;
  if (task.kind !== 'paired') {
    const domain = direction === 'ab' ? 'A (the run’s dataset)' : `B (dataset ${task.datasetB ?? '?'})`;
    return {
      channels: imageChannels(channels),
      description: `an image of domain ${domain}, ${size} × ${size} ${colours(channels)}, in [-1, 1] (pixel / 127.5 − 1)`,
      output: `${output}, in the style of domain ${direction === 'ab' ? 'B' : 'A'}`,
      prepare: { kind: 'image' },
    };
  }
  switch (task.source) {
    case 'inpaint':
      return {
        channels: [...imageChannels(channels), 'mask'],
        description: `the ${size} × ${size} ${colours(channels)} image with the hole's pixels set to 0 (mid grey), then the mask channel: 1 inside the hole, −1 elsewhere; all in [-1, 1] (pixel / 127.5 − 1). The run trained on ${task.mask === 'rect' ? 'one rectangle per image' : 'free-form strokes'}`,
        output: `${output}, the hole filled`,
        prepare: { kind: 'inpaint' },
      };
    case 'superres': {
      const scale = task.scale === 4 ? 4 : 2;
      return {
        channels: imageChannels(channels),
        description: `the low-resolution ${size / scale} × ${size / scale} ${colours(channels)} image upscaled ×${scale} to ${size} × ${size} with bicubic interpolation (Catmull-Rom, a = −0.5, edges replicated, as libvips/sharp), in [-1, 1] (pixel / 127.5 − 1). The run made its low-resolution images by ${task.filter} downscaling`,
        output: `${output}, sharpened`,
        prepare: { kind: 'superres', scale },
      };
    }
    case 'pairs':
      return {
        channels: imageChannels(channels),
        description: `an image like the run's input dataset's (the A half of its pairs), ${size} × ${size} ${colours(channels)}, in [-1, 1] (pixel / 127.5 − 1)`,
        output: `${output}, like its target in dataset ${task.datasetB ?? '?'} (the B half)`,
        prepare: { kind: 'image' },
      };
    case 'colorize':
      return {
        channels: ['luma'],
        description: `the grey ${size} × ${size} image, one channel of BT.601 luma (0.299 R + 0.587 G + 0.114 B), in [-1, 1] (luma / 127.5 − 1)`,
        output: `${output}, coloured`,
        prepare: { kind: 'colorize' },
      };
  }
}

/** Writes the export into `tmp` (the caller publishes it); `shape` is the run's dataset's (domain A's) image side and channels. */
export async function exportTranslatorJob(job: ExportGenerator, backend: string, shape: { size: number; channels: 1 | 3 }, tmp: string): Promise<void> {
  const task = job.config.task;
  if (task.kind === 'generate') throw new Error('a generate run exports its generator, not a translator');
  if (job.format === 'dataset') throw new Error('a translation run has no synthetic-dataset export: it translates images, it does not draw them from noise');
  const format = job.format;
  const session = await translationSession(job);
  try {
    const { size, channels: outChannels } = shape;
    const ema = job.config.stabilizers.ema.enabled;
    const weights = ema ? 'EMA of the translator' : 'translator';
    const directions: ('ab' | 'ba')[] = task.kind === 'unpaired' ? ['ab', 'ba'] : ['ab'];
    await mkdir(tmp, { recursive: true });
    const models: Record<string, unknown>[] = [];
    const readme: TranslatorReadmeFacts = { runId: job.runId, step: job.step, size, ema, translators: [] };
    for (const direction of directions) {
      const facts = channelFacts(job.config, direction, size, outChannels);
      const exported = await session.exportTranslator(direction, { runId: job.runId, step: job.step, inputChannels: facts.channels });
      const inChannels = exported.input.shape[2];
      const file = FILES[format][direction];
      const arrow = direction === 'ab' ? 'A → B' : 'B → A';
      let model: Record<string, unknown>;
      if (format === 'onnx') {
        const onnx = translatorToOnnx(exported, {
          inputDescription: `NCHW [N, ${inChannels}, ${size}, ${size}]: ${facts.description}`,
          outputDescription: `NCHW [N, ${outChannels}, ${size}, ${size}]: ${facts.output}`,
          doc: `Translator ${arrow} of GAN Workbench run ${job.runId} at step ${job.step} (${weights}). Feed input (NCHW, [-1, 1]); image is NCHW in [-1, 1].`,
          producerVersion: pkg.version,
          metadata: { runId: job.runId, step: String(job.step), weights, direction },
        });
        await writeFile(join(tmp, file), onnx.bytes);
        model = { file, opset: onnx.opset, input: { ...onnx.input, channels: facts.channels }, output: onnx.output };
      } else if (format === 'html') {
        const page = translatorPage(tfjsRuntime(), exported.artifacts, {
          runId: job.runId,
          step: job.step,
          weights,
          direction,
          size,
          inChannels,
          outChannels,
          prepare: facts.prepare,
          input: facts.description,
        });
        await writeFile(join(tmp, file), page);
        model = { file, runtime: `@tensorflow/tfjs ${tf.version.tfjs}`, ...nhwc(facts, size, inChannels, outChannels) };
      } else {
        await saveArtifacts(exported.artifacts, join(tmp, file));
        model = { folder: file, ...nhwc(facts, size, inChannels, outChannels) };
      }
      const example = session.exampleInputs(TRANSLATOR_EXAMPLE_COUNT, direction);
      const outputs = await session.translate(example.images, example.count, direction);
      const grid = tileTriplets(
        [
          { images: example.images, channels: example.channels },
          { images: outputs, channels: outChannels },
        ],
        example.count,
        size,
        outChannels === 1 ? 1 : 3,
      );
      await writeSamplePng(join(tmp, EXAMPLES[direction]), grid);
      models.push({ direction, ...model, example: { file: EXAMPLES[direction], count: example.count, layout: 'one row per validation image: the input as the translator sees it | its output' } });
      readme.translators.push({ direction, file, example: EXAMPLES[direction], inChannels, outChannels, input: facts.description, output: facts.output });
    }
    const about = {
      format: `gan-workbench/translator-${format === 'tfjs' ? 'export' : format}`,
      version: 1,
      runId: job.runId,
      step: job.step,
      weights,
      backend,
      task: job.config.task,
      size,
      translators: models,
    };
    await writeFile(join(tmp, 'generator.json'), JSON.stringify(about, null, 2));
    await writeFile(join(tmp, 'config.json'), JSON.stringify(job.config, null, 2));
    const readmeOf = { tfjs: translatorTfjsReadme, onnx: translatorOnnxReadme, html: translatorHtmlReadme }[format];
    await writeFile(join(tmp, 'README.md'), readmeOf(readme));
  } finally {
    session.dispose();
  }
}

function nhwc(facts: ChannelFacts, size: number, inChannels: number, outChannels: number): Record<string, unknown> {
  return {
    input: { shape: [null, size, size, inChannels], range: [-1, 1], layout: 'NHWC', channels: facts.channels, description: facts.description },
    output: { shape: [null, size, size, outChannels], range: [-1, 1], layout: 'NHWC', description: facts.output },
  };
}

