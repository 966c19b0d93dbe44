/** The README.md of an exported generator folder, one per format: what the files are, the inputs and output, how to run it and how to sample with ψ. */
import { describeTruncation, type Truncation } from '../common/truncation';

export interface ReadmeFacts {
  runId: string;
  step: number;
  latentSize: number;
  size: number;
  channels: number;
  /** Class names of a conditional generator, else []. */
  classes: string[];
  ema: boolean;
  /** The ψ-truncation the example was drawn with and sampling should use; null for none. */
  truncation: Truncation | null;
}

const weightsNote = (f: ReadmeFacts): string => (f.ema ? ' holding the exponential moving average of the generator weights' : '');

/** Both formats take z as given: how to truncate it before feeding, as the example was. */
function truncationNote(f: ReadmeFacts): string {
  const t = f.truncation;
  if (!t) return '';
  const how =
    t.mode === 'resample'
      ? `redraw every coordinate of \`z\` whose absolute value is above ${t.psi} from N(0, 1), until none is`
      : `multiply \`z\` by ${t.psi}: a lerp toward the mean latent, which for standard normal noise is 0`;
  return `
## Sampling with ψ-truncation (${describeTruncation(t)})

This export samples with ψ-truncation: fewer, more typical images for less variety. Before feeding \`z\`, ${how}.
The example noise in \`generator.json\` is already truncated so (\`truncation\` there records ψ and the mode).
`;
}

export function tfjsReadme(f: ReadmeFacts): string {
  const conditional = f.classes.length > 0;
  return `# Generator of run ${f.runId}, step ${f.step}

Exported by GAN Workbench: a TensorFlow.js LayersModel (\`model.json\` + \`weights.bin\`)${weightsNote(f)}.

- input${conditional ? 's' : ''}: \`z\`, shape [n, ${f.latentSize}], standard normal noise${conditional ? `; \`label\`, shape [n, 1], class index 0…${f.classes.length - 1} (${f.classes.join(', ')})` : ''}
- output: images [n, ${f.size}, ${f.size}, ${f.channels}] in [-1, 1] (NHWC); map to pixels with (x + 1) · 127.5
- \`generator.json\`: shapes, classes, and an example: the noise${conditional ? ' and labels' : ''} behind \`example.png\`
- \`config.json\`: the full training config of the run

\`\`\`js
import * as tf from '@tensorflow/tfjs';
const model = await tf.loadLayersModel('http://…/model.json'); // or tf.io.fromMemory / a file handler in Node
const z = tf.randomNormal([16, ${f.latentSize}]);
const images = model.predict(${conditional ? '[z, tf.zeros([16, 1])]' : 'z'}); // [16, ${f.size}, ${f.size}, ${f.channels}] in [-1, 1]
\`\`\`
${truncationNote(f)}`;
}

export function onnxReadme(f: ReadmeFacts): string {
  const conditional = f.classes.length > 0;
  const k = f.classes.length;
  return `# Generator of run ${f.runId}, step ${f.step}

Exported by GAN Workbench: an ONNX model (\`generator.onnx\`, opset 13, IR version 7)${weightsNote(f)}.
Batch norm runs in inference mode on its moving statistics, and spectral norm is already divided into the weights.

| | name | type | shape | values |
|---|---|---|---|---|
| input | \`z\` | float32 | [N, ${f.latentSize}] | latent noise: independent draws from the standard normal N(0, 1) |
${conditional ? `| input | \`label\` | int64 | [N] | class index 0…${k - 1}: ${f.classes.map((c, i) => `${i} = ${c}`).join(', ')} |\n` : ''}| output | \`image\` | float32 | [N, ${f.channels}, ${f.size}, ${f.size}] | NCHW (channels first), ${f.channels === 1 ? 'grey' : 'RGB'}, in [-1, 1] |

N is any batch size. To pixels: \`round((image + 1) · 127.5)\`, clipped to 0…255, then move the channel axis last
for an image library. \`generator.json\` repeats these specs, and holds an example: the noise${conditional ? ' and labels' : ''}
behind \`example.png\`, which this model reproduces to within one grey level. \`config.json\` is the run's full training config.

\`\`\`python
import numpy as np, onnxruntime as ort
session = ort.InferenceSession("generator.onnx")
z = np.random.randn(16, ${f.latentSize}).astype(np.float32)
(image,) = session.run(["image"], {"z": z${conditional ? `, "label": np.arange(16, dtype=np.int64) % ${k}` : ''}})
pixels = np.clip(np.round((image + 1) * 127.5), 0, 255).astype(np.uint8).transpose(0, 2, 3, 1)  # [16, ${f.size}, ${f.size}, ${f.channels}]
\`\`\`

\`\`\`js
import * as ort from 'onnxruntime-web'; // or onnxruntime-node
const session = await ort.InferenceSession.create(bytesOfGeneratorOnnx);
const z = new ort.Tensor('float32', Float32Array.from({ length: 16 * ${f.latentSize} }, gaussian), [16, ${f.latentSize}]);
const { image } = await session.run({ z${conditional ? `, label: new ort.Tensor('int64', BigInt64Array.from({ length: 16 }, (_, i) => BigInt(i % ${k})), [16])` : ''} });
\`\`\`
${truncationNote(f)}`;
}

export function htmlReadme(f: ReadmeFacts): string {
  const conditional = f.classes.length > 0;
  return `# Generator of run ${f.runId}, step ${f.step}

Exported by GAN Workbench: \`generator.html\`, one page that holds the TensorFlow.js runtime and the generator${weightsNote(f)}.
Open it by double-click in any modern browser: it needs no server and no network (its Content-Security-Policy allows none).

- The first grid is the trainer's own example, \`example.png\`, made again in the page from the noise in \`generator.json\`.
- **New samples** draws fresh standard normal noise; **ψ-truncation** redraws coordinates outside ±ψ, or scales z by ψ.
${conditional ? `- **Class** picks one class for every sample, or one of each in turn (${f.classes.join(', ')}).\n` : ''}- Click two samples for a latent walk between them (spherical interpolation, 8 frames).
- The page uses WebGL when the browser offers it, else the CPU; open it as \`generator.html#cpu\` to force the CPU.

The model inside is the same TensorFlow.js LayersModel as the \`tfjs\` export: input \`z\` [n, ${f.latentSize}]${conditional ? ` and \`label\` [n, 1]` : ''}, output [n, ${f.size}, ${f.size}, ${f.channels}] in [-1, 1].
${truncationNote(f)}`;
}
