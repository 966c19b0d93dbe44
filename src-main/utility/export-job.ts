/**
 * Exports a checkpoint's generator (the EMA copy when EMA is on) as a TensorFlow.js LayersModel folder,
 * with the run's config, an example (noise + the image this trainer made from it) and a README.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ExportGenerator } from '../common/trainer-protocol';
import { readManifest } from '../core/datasets/packed-format';
import { fsyncDir, fsyncTree } from '../core/durable-files';
import { resolveBackend } from '../engine/backends/resolve-backend';
import { saveArtifacts } from './save-artifacts';
import { Rng } from '../common/rng';
import { TrainingSession } from '../engine/training-session';
import { readCheckpoint } from './checkpoint-files';
import { writeSamplePng } from './sample-writer';

/** Example images in the folder: enough to see the model works, small enough to keep the folder light. */
export const EXAMPLE_COUNT = 16;
/** Seed stream of the example noise, apart from every stream the trainer uses. */
const EXAMPLE_STREAM = 97;

export async function exportGeneratorJob(job: ExportGenerator): Promise<string> {
  const backend = await resolveBackend(job.backend, { adapter: job.adapter });
  const manifest = await readManifest(job.datasetDir);
  const { size, channels } = manifest;
  const numClasses = manifest.classes.length;
  // Only the shape of the data matters for building the networks.
  const session = new TrainingSession({
    config: job.config,
    data: { images: new Uint8Array(size * size * channels), labels: new Uint8Array(1), count: 1, size, channels, numClasses },
  });
  const tmp = `${job.outDir}.partial-${randomBytes(4).toString('hex')}`;
  try {
    await session.importState(await readCheckpoint(job.checkpointDir));
    const { artifacts, inputs } = await session.exportGenerator();
    await saveArtifacts(artifacts, tmp);
    const conditional = job.config.model.gConditioning !== 'none';
    const noise = new Rng(job.config.seed, EXAMPLE_STREAM).normals(EXAMPLE_COUNT * job.config.latentSize);
    const labels = conditional ? Int32Array.from({ length: EXAMPLE_COUNT }, (_, i) => i % numClasses) : null;
    await writeSamplePng(join(tmp, 'example.png'), await session.render(noise, labels));
    const ema = job.config.stabilizers.ema.enabled;
    const about = {
      format: 'gan-workbench/generator-export',
      version: 1,
      runId: job.runId,
      step: job.step,
      weights: ema ? 'EMA of the generator' : 'generator',
      backend: backend.name,
      inputs,
      output: { shape: [null, size, size, channels], range: [-1, 1], layout: 'NHWC' },
      latentSize: job.config.latentSize,
      classes: manifest.classes,
      example: { file: 'example.png', count: EXAMPLE_COUNT, noise: Array.from(noise), labels: labels ? Array.from(labels) : null },
    };
    await writeFile(join(tmp, 'generator.json'), JSON.stringify(about, null, 2));
    await writeFile(join(tmp, 'config.json'), JSON.stringify(job.config, null, 2));
    await writeFile(join(tmp, 'README.md'), readme(job, size, channels, manifest.classes, ema));
    await mkdir(join(job.outDir, '..'), { recursive: true });
    // A folder with model.json counts as done: after a power cut it must not hold torn weights.
    fsyncTree(tmp);
    await rename(tmp, job.outDir);
    fsyncDir(join(job.outDir, '..'));
    return job.outDir;
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  } finally {
    session.dispose();
  }
}

function readme(job: ExportGenerator, size: number, channels: number, classes: string[], ema: boolean): string {
  const conditional = job.config.model.gConditioning !== 'none';
  return `# Generator of run ${job.runId}, step ${job.step}

Exported by GAN Workbench: a TensorFlow.js LayersModel (\`model.json\` + \`weights.bin\`)${ema ? ' holding the exponential moving average of the generator weights' : ''}.

- input${conditional ? 's' : ''}: \`z\`, shape [n, ${job.config.latentSize}], standard normal noise${conditional ? `; \`label\`, shape [n, 1], class index 0…${classes.length - 1} (${classes.join(', ')})` : ''}
- output: images [n, ${size}, ${size}, ${channels}] in [-1, 1] (NHWC); map to pixels with (x + 1) · 127.5
- \`generator.json\`: shapes, classes, and an example: the noise${conditional ? ' and labels' : ''} behind \`example.png\`
- \`config.json\`: the full training config of the run

\`\`\`js
import * as tf from '@tensorflow/tfjs';
const model = await tf.loadLayersModel('http://…/model.json'); // or tf.io.fromMemory / a file handler in Node
const z = tf.randomNormal([16, ${job.config.latentSize}]);
const images = model.predict(${conditional ? '[z, tf.zeros([16, 1])]' : 'z'}); // [16, ${size}, ${size}, ${channels}] in [-1, 1]
\`\`\`
`;
}
