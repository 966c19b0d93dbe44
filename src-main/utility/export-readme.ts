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

/** What a translator export's README needs: the run, and each translator's input and output in words. */
export interface TranslatorReadmeFacts {
  runId: string;
  step: number;
  size: number;
  ema: boolean;
  /** One per translator: A → B, and B → A for an unpaired run. */
  translators: {
    direction: 'ab' | 'ba';
    /** The tfjs folder ('.' for the export's own), the .onnx file or the .html page. */
    file: string;
    example: string;
    inChannels: number;
    outChannels: number;
    /** What the input's channels hold, in order, and how to make it from an image. */
    input: string;
    output: string;
  }[];
}

const arrow = (d: 'ab' | 'ba'): string => (d === 'ab' ? 'A → B' : 'B → A');

function translatorList(f: TranslatorReadmeFacts, where: (file: string) => string): string {
  return f.translators
    .map(
      (t) => `### ${arrow(t.direction)}: ${where(t.file)}

- input [N, ${f.size}, ${f.size}, ${t.inChannels}]: ${t.input}
- output [N, ${f.size}, ${f.size}, ${t.outChannels}]: ${t.output}
- \`${t.example}\`: a few validation images, each row the input as the translator sees it | its output, made by this trainer
`,
    )
    .join('\n');
}

const translatorWeights = (f: TranslatorReadmeFacts): string => (f.ema ? ', holding the exponential moving average of the translator weights' : '');

export function translatorTfjsReadme(f: TranslatorReadmeFacts): string {
  return `# Translator of run ${f.runId}, step ${f.step}

Exported by GAN Workbench: ${f.translators.length === 1 ? 'a U-Net translator' : 'the two U-Net translators of an unpaired (CycleGAN) run'} as TensorFlow.js LayersModels${translatorWeights(f)}.
Values are NHWC in [-1, 1] both ways: pixel value p ↦ p / 127.5 − 1, and back with round((x + 1) · 127.5).
Batch norm runs on its moving statistics and spectral norm is already divided into the weights.

${translatorList(f, (file) => (file === '.' ? '`model.json` + `weights.bin` in this folder' : `\`${file}/model.json\` + \`${file}/weights.bin\``))}
\`generator.json\` repeats the shapes and what each input channel means; \`config.json\` is the run's full training config.

\`\`\`js
import * as tf from '@tensorflow/tfjs';
const model = await tf.loadLayersModel('http://…/model.json'); // or tf.io.fromMemory / a file handler in Node
const output = model.predict(input); // input [n, ${f.size}, ${f.size}, C_in] in [-1, 1] → [n, ${f.size}, ${f.size}, C_out] in [-1, 1]
\`\`\`
`;
}

export function translatorOnnxReadme(f: TranslatorReadmeFacts): string {
  return `# Translator of run ${f.runId}, step ${f.step}

Exported by GAN Workbench: ${f.translators.length === 1 ? 'a U-Net translator' : 'the two U-Net translators of an unpaired (CycleGAN) run'} as ONNX (opset 13, IR version 7)${translatorWeights(f)}.
Batch norm runs on its moving statistics and spectral norm is already divided into the weights.
The input is \`input\`, float32 NCHW [N, C_in, ${f.size}, ${f.size}]; the output \`image\`, float32 NCHW [N, C_out, ${f.size}, ${f.size}]; both in [-1, 1]
(pixel value p ↦ p / 127.5 − 1, and back with round((x + 1) · 127.5), clipped to 0…255). N is any batch size.

${translatorList(f, (file) => `\`${file}\``)}
\`generator.json\` repeats these specs; \`config.json\` is the run's full training config.

\`\`\`python
import numpy as np, onnxruntime as ort
session = ort.InferenceSession("${f.translators[0]?.file ?? 'generator.onnx'}")
x = image.astype(np.float32) / 127.5 - 1  # [N, ${f.size}, ${f.size}, C_in], made as described above
(out,) = session.run(["image"], {"input": x.transpose(0, 3, 1, 2)})
pixels = np.clip(np.round((out + 1) * 127.5), 0, 255).astype(np.uint8).transpose(0, 2, 3, 1)
\`\`\`
`;
}

export function translatorHtmlReadme(f: TranslatorReadmeFacts): string {
  return `# Translator of run ${f.runId}, step ${f.step}

Exported by GAN Workbench: ${f.translators.map((t) => `\`${t.file}\` (${arrow(t.direction)})`).join(' and ')}, each one page that holds the TensorFlow.js runtime and the translator${translatorWeights(f)}.
Open it by double-click in any modern browser: it needs no server and no network (its Content-Security-Policy allows none).

- Drop an image on the page, or choose one: it is cropped to a centred square (cover) and drawn at ${f.size} × ${f.size}.
- The page makes the translator's input from it as described below, runs the model, and shows the input as the translator sees it beside the output, with a link to download the output as a PNG.
- Super-resolution: the page downscales the image to ${f.size}/scale and back up with the canvas's high-quality smoothing. That only approximates the run's Catmull-Rom bicubic upscale (and its downscaling filter), so the page's input differs slightly from the one the run trained with; for exact inputs use the tfjs or ONNX export and make them as described.
- Inpainting: the hole is a centred square of half the side.
- The page uses WebGL when the browser offers it, else the CPU; open it with \`#cpu\` after the file name to force the CPU.

${translatorList(f, (file) => `\`${file}\``)}
The model inside is the same TensorFlow.js LayersModel as the \`tfjs\` export.
`;
}
