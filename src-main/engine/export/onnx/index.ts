/** The generator as an ONNX model (opset 13), translated from the LayersModel the tfjs export builds, with its inputs and output documented in the file. */
import type { ExportedModel } from '../generator-export';
import type { ExportedTranslator } from '../translator-export';
import { translateLayersModel, type InputKind } from './layers-to-onnx';
import { OnnxGraph, OPSET, type ValueSpec } from './onnx-graph';

export { OnnxExportError } from './layers-to-onnx';
export { OPSET } from './onnx-graph';

/** One input or the output of the ONNX generator, as the model file, generator.json and the README describe it. */
export interface OnnxTensorSpec {
  name: 'z' | 'label' | 'image' | 'input';
  dtype: 'float32' | 'int64';
  /** 'N' is the batch, any size. */
  shape: (number | 'N')[];
  /** The values it takes (z: unbounded, drawn from N(0, 1)). */
  range: [number, number] | null;
  description: string;
}

export interface OnnxGenerator {
  /** The ModelProto, ready to write as generator.onnx. */
  bytes: Uint8Array;
  opset: number;
  /** z, then label for a conditional generator. */
  inputs: OnnxTensorSpec[];
  output: OnnxTensorSpec;
}

export interface OnnxGeneratorOptions {
  /** Class names by index: the label's range; [] for an unconditional generator. */
  classes: string[];
  /** The model's doc string: what it is and where it came from. */
  doc: string;
  producerVersion: string;
  /** More ModelProto.metadata_props (the I/O specs are added as `inputs` and `output`). */
  metadata: Record<string, string>;
}

/**
 * The LayersModel's inputs z [N, latent] and label [N, 1] become z float32 [N, latent] and label
 * int64 [N]; its NHWC image becomes `image` float32 [N, C, H, W] (NCHW, the layout of ONNX's
 * convolutions and of most consumers). Throws OnnxExportError naming the first layer it cannot express.
 */
export function generatorToOnnx(exported: ExportedModel, opts: OnnxGeneratorOptions): OnnxGenerator {
  const g = new OnnxGraph();
  g.reserve('image');
  const kinds: Record<string, InputKind> = Object.fromEntries(exported.inputs.map((i) => [i.name, i.name === 'label' ? 'class-index' : 'float']));
  const translated = translateLayersModel(g, exported.artifacts, kinds);
  const [result] = translated.outputs;
  if (translated.outputs.length !== 1 || result === undefined) throw new Error(`the generator has ${translated.outputs.length} outputs, not one image`);
  const [h, w, c] = result.dims;
  if (h === undefined || w === undefined || c === undefined || result.dims.length !== 3) throw new Error(`the generator's output is [N, ${result.dims.join(', ')}], not an image`);
  g.nodeTo('image', 'Identity', [result.name]);

  const inputs = translated.inputs.map((i): OnnxTensorSpec => {
    if (i.name === 'z') {
      return {
        name: 'z',
        dtype: 'float32',
        shape: ['N', ...i.dims],
        range: null,
        description: `latent noise, ${i.dims[0]} independent standard normal values N(0, 1) per image`,
      };
    }
    if (i.name === 'label') {
      const k = opts.classes.length;
      return {
        name: 'label',
        dtype: 'int64',
        shape: ['N'],
        range: [0, k - 1],
        description: `class index per image, 0…${k - 1}${k > 0 ? ` (${opts.classes.join(', ')})` : ''}`,
      };
    }
    throw new Error(`the generator has an input ${i.name}`);
  });
  const output: OnnxTensorSpec = {
    name: 'image',
    dtype: 'float32',
    shape: ['N', c, h, w],
    range: [-1, 1],
    description: `images, NCHW [N, ${c}, ${h}, ${w}] (${c === 1 ? 'grey' : 'RGB'}), in [-1, 1]; pixel value = round((image + 1) · 127.5)`,
  };
  const spec = (t: OnnxTensorSpec): ValueSpec => ({ name: t.name, dtype: t.dtype, shape: t.shape, doc: t.description });
  const bytes = g.encode(
    inputs.map(spec),
    [spec(output)],
    {
      doc: opts.doc,
      producerVersion: opts.producerVersion,
      metadata: { ...opts.metadata, inputs: JSON.stringify(inputs), output: JSON.stringify(output) },
    },
  );
  return { bytes, opset: OPSET, inputs, output };
}

export interface OnnxTranslator {
  /** The ModelProto, ready to write as generator.onnx. */
  bytes: Uint8Array;
  opset: number;
  input: OnnxTensorSpec;
  output: OnnxTensorSpec;
}

export interface OnnxTranslatorOptions {
  /** What the input's channels are, in order (e.g. the image's, then the hole mask): its doc string. */
  inputDescription: string;
  outputDescription: string;
  doc: string;
  producerVersion: string;
  metadata: Record<string, string>;
}

/**
 * A translator's LayersModel (exportTranslator) as ONNX: its NHWC input becomes `input` float32
 * [N, C_in, S, S] and its output `image` float32 [N, C_out, S, S], both NCHW in [-1, 1]. Throws
 * OnnxExportError naming the first layer it cannot express.
 */
export function translatorToOnnx(exported: ExportedTranslator, opts: OnnxTranslatorOptions): OnnxTranslator {
  const g = new OnnxGraph();
  g.reserve('image');
  const translated = translateLayersModel(g, exported.artifacts, { [exported.input.name]: 'image' });
  const [result] = translated.outputs;
  const [source] = translated.inputs;
  if (translated.outputs.length !== 1 || result === undefined || result.dims.length !== 3) throw new Error('the translator does not have one image output');
  if (translated.inputs.length !== 1 || source === undefined || source.dims.length !== 3) throw new Error('the translator does not have one image input');
  g.nodeTo('image', 'Identity', [result.name]);
  const [ih, iw, ic] = source.dims as [number, number, number];
  const [h, w, c] = result.dims as [number, number, number];
  const input: OnnxTensorSpec = { name: 'input', dtype: 'float32', shape: ['N', ic, ih, iw], range: [-1, 1], description: opts.inputDescription };
  const output: OnnxTensorSpec = { name: 'image', dtype: 'float32', shape: ['N', c, h, w], range: [-1, 1], description: opts.outputDescription };
  const spec = (t: OnnxTensorSpec): ValueSpec => ({ name: t.name, dtype: t.dtype, shape: t.shape, doc: t.description });
  const bytes = g.encode([spec(input)], [spec(output)], {
    doc: opts.doc,
    producerVersion: opts.producerVersion,
    metadata: { ...opts.metadata, inputs: JSON.stringify([input]), output: JSON.stringify(output) },
  });
  return { bytes, opset: OPSET, input, output };
}
