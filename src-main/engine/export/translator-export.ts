/**
 * exportTranslator: a trained U-Net translator (nets/unet.ts) as a standard TensorFlow.js LayersModel,
 * loadable with plain tf.loadLayersModel and translated into ONNX by the same layer translations as the
 * generator: input [N, S, S, inChannels] in [-1, 1] → output [N, S, S, outChannels] in [-1, 1].
 */
import * as tf from '@tensorflow/tfjs';
import { UNET_LEAK, type Translator, type TranslatorNorm } from '../nets/unet';
import { requireVariable } from '../nets/params';
import { LayerBuilder } from './layer-builder';

type Sym = tf.SymbolicTensor;

export interface TranslatorExportOptions {
  /** The image side S the translator was built for. */
  size: number;
  /** The translator's norm (nets/unet.ts: batch runs on its moving statistics; spectral norm is read from each layer's `u` state). */
  norm: TranslatorNorm;
  /** Extra fields of the model's user-defined metadata (`ganWorkbench`): what the run was, what the channels mean. */
  metadata?: Record<string, unknown>;
}

export interface ExportedTranslator {
  artifacts: tf.io.ModelArtifacts;
  /** Without the batch axis, NHWC: [S, S, inChannels]. */
  input: { name: 'input'; shape: [number, number, number] };
  /** [S, S, outChannels]. */
  output: { shape: [number, number, number] };
}

/** The encoder's depth: the net's down{i}/conv layers, counted from its variables. */
function depthOf(t: Translator): number {
  let depth = 0;
  while (t.trainable.has(`down${depth}/conv/kernel`)) depth++;
  if (depth === 0) throw new Error('the translator has no down0/conv layer: it is not a U-Net');
  return depth;
}

/**
 * Mirrors buildUnet's apply(x, false): down0 = conv; down_i = LeakyReLU 0.2 → conv (stride 2) → norm
 * (none at the innermost); up_j = ReLU → transposed conv → norm, concatenated with the mirrored encoder
 * output; out = ReLU → transposed conv → tanh. Which layers have a norm is read from the net (a
 * `…/norm/gamma` variable), so the export cannot disagree with how the net was built.
 */
export async function exportTranslator(translator: Translator, opts: TranslatorExportOptions): Promise<ExportedTranslator> {
  const depth = depthOf(translator);
  const first = requireVariable(translator.trainable, 'down0/conv/kernel');
  const last = requireVariable(translator.trainable, 'out/deconv/kernel');
  const inChannels = first.shape[2] ?? 0;
  const outChannels = last.shape[2] ?? 0;
  const { size } = opts;
  const b = new LayerBuilder(translator, null);
  const norm = (h: Sym, name: string): Sym => (translator.trainable.has(`${name}/gamma`) ? b.norm(h, name, opts.norm) : h);

  const input = tf.input({ shape: [size, size, inChannels], name: 'input' });
  const skips: Sym[] = [];
  let h: Sym = input;
  for (let i = 0; i < depth; i++) {
    h = norm(b.conv(i === 0 ? h : b.leakyRelu(h, UNET_LEAK), `down${i}/conv`, 2), `down${i}/norm`);
    skips.push(h);
  }
  for (let j = 0; j < depth - 1; j++) {
    const y = norm(b.convTranspose(b.relu(h), `up${j}/deconv`), `up${j}/norm`);
    const skip = skips[depth - 2 - j];
    if (skip === undefined) throw new Error(`the U-Net has no encoder output at level ${depth - 2 - j}`);
    h = b.concatChannels([y, skip], `up${j}/skip`);
  }
  const image = tf.layers.activation({ name: 'tanh', activation: 'tanh' }).apply(b.convTranspose(b.relu(h), 'out/deconv')) as Sym;
  const layersModel = tf.model({ inputs: input, outputs: image, name: 'translator' });
  try {
    layersModel.setUserDefinedMetadata({ ganWorkbench: { arch: 'unet', size, inChannels, outChannels, depth, norm: opts.norm, ...opts.metadata } });
    let captured: tf.io.ModelArtifacts | null = null;
    await layersModel.save(
      tf.io.withSaveHandler(async (artifacts) => {
        captured = artifacts;
        return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
      }),
    );
    if (captured === null) throw new Error('the LayersModel produced no artifacts');
    return { artifacts: captured, input: { name: 'input', shape: [size, size, inChannels] }, output: { shape: [size, size, outChannels] } };
  } finally {
    layersModel.dispose();
  }
}
