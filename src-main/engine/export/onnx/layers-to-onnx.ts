/**
 * Translates a saved tfjs LayersModel (its Keras topology and weights: the artifacts the tfjs export
 * writes, so one place decides the exported graph) into ONNX nodes, layer by layer. A layer, or a
 * setting of one, without a translation is refused by name rather than approximated.
 */
import type * as tf from '@tensorflow/tfjs';
import { float, int, ints, str, type OnnxGraph } from './onnx-graph';

/**
 * A tensor of the tfjs model as the ONNX graph holds it. `dims` are tfjs's, without the batch axis;
 * a 4-d tensor (three dims) is NHWC in tfjs and NCHW in ONNX, where Conv, BatchNormalization and
 * Resize want the channels; every other rank keeps tfjs's layout.
 */
export interface Value {
  name: string;
  dims: number[];
  /** int64 (a class index), else float32. */
  int: boolean;
}

/**
 * How a tfjs input enters the ONNX graph: float32 as it is, an int64 class index [N] for a tfjs [N, 1]
 * input, or a float32 image: NHWC [N, H, W, C] in tfjs, NCHW [N, C, H, W] in ONNX (the layout every
 * image value of the graph has already, so it enters with no transpose).
 */
export type InputKind = 'float' | 'class-index' | 'image';

export class OnnxExportError extends Error {
  constructor(
    readonly layer: string,
    why: string,
  ) {
    super(`cannot export ${layer} to ONNX: ${why}`);
    this.name = 'OnnxExportError';
  }
}

interface LayerJson {
  name: string;
  class_name: string;
  config: Record<string, unknown>;
  inbound_nodes: [string, number, number, unknown?][][];
}

interface Weight {
  dims: number[];
  data: Float32Array;
}

/** The weights of one layer, by their tfjs names (kernel, bias, gamma…); each must be read exactly once. */
class LayerWeights {
  private readonly unread: Set<string>;
  constructor(
    private readonly layer: string,
    private readonly all: ReadonlyMap<string, Weight>,
  ) {
    this.unread = new Set([...all.keys()].filter((k) => k.startsWith(`${layer}/`)));
  }

  take(name: string): Weight {
    const key = `${this.layer}/${name}`;
    const w = this.all.get(key);
    if (w === undefined || !this.unread.delete(key)) throw new OnnxExportError(this.layer, `it has no weight ${name}`);
    return w;
  }

  /** A weight left unread would mean the translation ignores something the layer computes. */
  finish(): void {
    if (this.unread.size > 0) throw new OnnxExportError(this.layer, `the translation does not use ${[...this.unread].join(', ')}`);
  }
}

type Translate = (g: OnnxGraph, layer: LayerJson, inputs: Value[], weights: LayerWeights) => Value;

/** tfjs NHWC axis → ONNX NCHW axis, for 4-d tensors. */
const NCHW_AXIS = [0, 2, 3, 1];

const isImage = (v: Value): boolean => v.dims.length === 3;

function refuse(layer: LayerJson, why: string): never {
  throw new OnnxExportError(layer.name, why);
}

function one(layer: LayerJson, inputs: Value[]): Value {
  const [x] = inputs;
  if (inputs.length !== 1 || x === undefined) refuse(layer, `it takes ${inputs.length} inputs, the translation one`);
  return x;
}

function image(layer: LayerJson, inputs: Value[]): Value {
  const x = one(layer, inputs);
  if (!isImage(x) || x.int) refuse(layer, `its input is [N, ${x.dims.join(', ')}], not a float [N, H, W, C] image`);
  if ((layer.config.data_format ?? 'channels_last') !== 'channels_last') refuse(layer, `data_format ${String(layer.config.data_format)}`);
  return x;
}

function pair(layer: LayerJson, key: string): [number, number] {
  const v = layer.config[key];
  const list = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(list) || list.length !== 2 || !list.every((n) => Number.isInteger(n) && n > 0)) refuse(layer, `${key} ${JSON.stringify(v)}`);
  return [list[0] as number, list[1] as number];
}

function axisOf(layer: LayerJson, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 1 || a >= rank) refuse(layer, `axis ${axis} of a rank-${rank} tensor`);
  return rank === 4 ? (NCHW_AXIS[a] as number) : a;
}

/** The same values with their axes reordered: `out[i…]` = `data[j…]` where `out` dim k is `data` dim perm[k]. */
function permute(w: Weight, perm: number[]): Weight {
  const rank = w.dims.length;
  const dims = perm.map((p) => w.dims[p] as number);
  const inStride = new Array<number>(rank).fill(1);
  for (let k = rank - 2; k >= 0; k--) inStride[k] = (inStride[k + 1] as number) * (w.dims[k + 1] as number);
  const out = new Float32Array(w.data.length);
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let k = 0; k < rank; k++) src += (index[k] as number) * (inStride[perm[k] as number] as number);
    out[o] = w.data[src] as number;
    for (let k = rank - 1; k >= 0; k--) {
      index[k] = (index[k] as number) + 1;
      if ((index[k] as number) < (dims[k] as number)) break;
      index[k] = 0;
    }
  }
  return { dims, data: out };
}

const toNhwc = (g: OnnxGraph, v: Value, hint: string): string => (isImage(v) ? g.node('Transpose', [v.name], `${hint}/input_nhwc`, { perm: ints([0, 2, 3, 1]) }) : v.name);
const fromNhwc = (g: OnnxGraph, name: string, dims: number[], hint: string): string =>
  dims.length === 3 ? g.node('Transpose', [name], hint, { perm: ints([0, 3, 1, 2]) }) : name;

/** The activations tfjs layers take by name, where ONNX has the same function. */
function activate(g: OnnxGraph, layer: LayerJson, v: Value, activation: unknown): Value {
  const fn = activation ?? 'linear';
  if (fn === 'linear') return v;
  const op = { relu: 'Relu', tanh: 'Tanh', sigmoid: 'Sigmoid', elu: 'Elu', softplus: 'Softplus', softsign: 'Softsign' }[String(fn)];
  if (op === undefined) refuse(layer, `activation ${String(fn)}`);
  return { ...v, name: g.node(op, [v.name], `${layer.name}/${fn}`) };
}

/** ONNX pads [top, left, bottom, right] and the output side of a tfjs 'same' or 'valid' convolution. */
function convGeometry(layer: LayerJson, size: [number, number], kernel: [number, number], strides: [number, number]): { pads: number[]; out: [number, number] } {
  const padding = layer.config.padding;
  if (padding !== 'same' && padding !== 'valid') refuse(layer, `padding ${String(padding)}`);
  const begin: number[] = [];
  const end: number[] = [];
  const out = [0, 1].map((i) => {
    const [n, k, s] = [size[i] as number, kernel[i] as number, strides[i] as number];
    const o = padding === 'same' ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1;
    const total = padding === 'same' ? Math.max((o - 1) * s + k - n, 0) : 0;
    begin.push(Math.floor(total / 2));
    end.push(total - Math.floor(total / 2));
    return o;
  }) as [number, number];
  if (out.some((o) => o < 1)) refuse(layer, `a ${kernel.join('×')} kernel does not fit its ${size.join('×')} input`);
  return { pads: [...begin, ...end], out };
}

function dilationOne(layer: LayerJson): void {
  const d = layer.config.dilation_rate;
  if (d !== undefined && d !== null && pair(layer, 'dilation_rate').some((x) => x !== 1)) refuse(layer, `dilation_rate ${JSON.stringify(d)}`);
}

function withBias(g: OnnxGraph, layer: LayerJson, w: LayerWeights): string[] {
  return layer.config.use_bias === false ? [] : [constant(g, `${layer.name}/bias`, w.take('bias'))];
}

const constant = (g: OnnxGraph, hint: string, w: Weight): string => g.constant(hint, w.dims, w.data);

const TRANSLATIONS: Record<string, Translate> = {
  Dense(g, layer, inputs, w) {
    const x = one(layer, inputs);
    if (x.dims.length !== 1 || x.int) refuse(layer, `its input is [N, ${x.dims.join(', ')}], not a float [N, features] matrix`);
    const kernel = w.take('kernel');
    const y = g.node('Gemm', [x.name, constant(g, `${layer.name}/kernel`, kernel), ...withBias(g, layer, w)], layer.name);
    return activate(g, layer, { name: y, dims: [kernel.dims[1] as number], int: false }, layer.config.activation);
  },

  Conv2D(g, layer, inputs, w) {
    const x = image(layer, inputs);
    dilationOne(layer);
    const kernel = w.take('kernel');
    const [kh, kw, , filters] = kernel.dims as [number, number, number, number];
    const strides = pair(layer, 'strides');
    const { pads, out } = convGeometry(layer, [x.dims[0] as number, x.dims[1] as number], [kh, kw], strides);
    // tfjs [kh, kw, in, out] → ONNX [out, in, kh, kw].
    const y = g.node('Conv', [x.name, constant(g, `${layer.name}/kernel`, permute(kernel, [3, 2, 0, 1])), ...withBias(g, layer, w)], layer.name, {
      kernel_shape: ints([kh, kw]),
      strides: ints(strides),
      pads: ints(pads),
    });
    return activate(g, layer, { name: y, dims: [...out, filters], int: false }, layer.config.activation);
  },

  Conv2DTranspose(g, layer, inputs, w) {
    const x = image(layer, inputs);
    dilationOne(layer);
    if (layer.config.output_padding !== undefined && layer.config.output_padding !== null) refuse(layer, 'output_padding');
    const kernel = w.take('kernel');
    const [kh, kw, filters] = kernel.dims as [number, number, number, number];
    const [sh, sw] = pair(layer, 'strides');
    const padding = layer.config.padding;
    if (padding !== 'same' && padding !== 'valid') refuse(layer, `padding ${String(padding)}`);
    // tfjs's output side (deconvLength); ONNX's full output s·(n-1)+k is cropped to it by pads
    // (half before, the odd one after, as tfjs) or grown by output_padding.
    const side = (n: number, k: number, s: number): number => (padding === 'same' ? n * s : n * s + Math.max(k - s, 0));
    const out: [number, number] = [side(x.dims[0] as number, kh, sh), side(x.dims[1] as number, kw, sw)];
    const crop = [0, 1].map((i) => ((i === 0 ? sh : sw) * ((x.dims[i] as number) - 1) + (i === 0 ? kh : kw) - (out[i] as number)));
    const pads = [...crop.map((c) => Math.max(Math.floor(c / 2), 0)), ...crop.map((c) => Math.max(c - Math.floor(c / 2), 0))];
    const outputPadding = crop.map((c) => Math.max(-c, 0));
    // tfjs [kh, kw, out, in] → ONNX [in, out, kh, kw].
    const y = g.node('ConvTranspose', [x.name, constant(g, `${layer.name}/kernel`, permute(kernel, [3, 2, 0, 1])), ...withBias(g, layer, w)], layer.name, {
      kernel_shape: ints([kh, kw]),
      strides: ints([sh, sw]),
      pads: ints(pads),
      ...(outputPadding.some((p) => p > 0) ? { output_padding: ints(outputPadding) } : {}),
    });
    return activate(g, layer, { name: y, dims: [...out, filters], int: false }, layer.config.activation);
  },

  DepthwiseConv2D(g, layer, inputs, w) {
    const x = image(layer, inputs);
    dilationOne(layer);
    const kernel = w.take('depthwise_kernel');
    const [kh, kw, c, m] = kernel.dims as [number, number, number, number];
    const strides = pair(layer, 'strides');
    const { pads, out } = convGeometry(layer, [x.dims[0] as number, x.dims[1] as number], [kh, kw], strides);
    // Output channel c·m + j of tfjs is output channel c·m + j of a grouped conv, one group per input channel.
    const onnxKernel = permute(kernel, [2, 3, 0, 1]);
    const y = g.node('Conv', [x.name, g.constant(`${layer.name}/kernel`, [c * m, 1, kh, kw], onnxKernel.data), ...withBias(g, layer, w)], layer.name, {
      kernel_shape: ints([kh, kw]),
      strides: ints(strides),
      pads: ints(pads),
      group: int(c),
    });
    return activate(g, layer, { name: y, dims: [...out, c * m], int: false }, layer.config.activation);
  },

  /** Inference mode: the moving statistics; γ = 1 and β = 0 when the layer has none (the per-class ones follow as Multiply and Add). */
  BatchNormalization(g, layer, inputs, w) {
    const x = one(layer, inputs);
    const rank = x.dims.length + 1;
    if ((rank !== 2 && rank !== 4) || x.int) refuse(layer, `its input is [N, ${x.dims.join(', ')}]`);
    const axis = Number(layer.config.axis ?? -1);
    if (axis !== -1 && axis !== rank - 1) refuse(layer, `axis ${axis} is not the channel axis`);
    const c = x.dims[x.dims.length - 1] as number;
    const ones = { dims: [c], data: new Float32Array(c).fill(1) };
    const zeros = { dims: [c], data: new Float32Array(c) };
    const gamma = layer.config.scale === false ? ones : w.take('gamma');
    const beta = layer.config.center === false ? zeros : w.take('beta');
    const mean = w.take('moving_mean');
    const variance = w.take('moving_variance');
    const y = g.node(
      'BatchNormalization',
      [x.name, ...[gamma, beta, mean, variance].map((t, i) => constant(g, `${layer.name}/${['gamma', 'beta', 'mean', 'variance'][i]}`, t))],
      layer.name,
      { epsilon: float(Number(layer.config.epsilon ?? 1e-3)) },
    );
    return { ...x, name: y };
  },

  /** (x − mean) / √(var + ε) over the layer's axes, as tfjs computes it; γ and β only on the channel axis. */
  LayerNormalization(g, layer, inputs, w) {
    const x = one(layer, inputs);
    const rank = x.dims.length + 1;
    if (x.int) refuse(layer, 'its input is an integer tensor');
    const given = layer.config.axis ?? -1;
    const axes = (Array.isArray(given) ? given : [given]).map((a) => axisOf(layer, Number(a), rank));
    const channelOnly = axes.length === 1 && axes[0] === (rank === 4 ? 1 : rank - 1);
    const affine = layer.config.scale !== false || layer.config.center !== false;
    if (affine && !channelOnly) refuse(layer, 'γ and β over more than the channel axis');
    const n = layer.name;
    const mean = g.node('ReduceMean', [x.name], `${n}/mean`, { axes: ints(axes), keepdims: int(1) });
    const centred = g.node('Sub', [x.name, mean], `${n}/centred`);
    const variance = g.node('ReduceMean', [g.node('Mul', [centred, centred], `${n}/square`)], `${n}/variance`, { axes: ints(axes), keepdims: int(1) });
    const eps = g.floats(`${n}/epsilon`, [], [Number(layer.config.epsilon ?? 1e-3)]);
    let y = g.node('Div', [centred, g.node('Sqrt', [g.node('Add', [variance, eps], `${n}/plusEps`)], `${n}/std`)], affine ? `${n}/normed` : n);
    // A [C] parameter broadcasts over NCHW as [C, 1, 1].
    const param = (what: 'gamma' | 'beta'): string => {
      const t = w.take(what);
      return g.constant(`${n}/${what}`, rank === 4 ? [t.dims[0] as number, 1, 1] : t.dims, t.data);
    };
    if (layer.config.scale !== false) y = g.node('Mul', [y, param('gamma')], layer.config.center !== false ? `${n}/scaled` : n);
    if (layer.config.center !== false) y = g.node('Add', [y, param('beta')], n);
    return { ...x, name: y };
  },

  /** A row lookup: Gather of the table by the class index (a float input is truncated to an integer first, as tfjs casts it). */
  Embedding(g, layer, inputs, w) {
    const x = one(layer, inputs);
    if (layer.config.mask_zero === true) refuse(layer, 'mask_zero');
    if (isImage(x)) refuse(layer, 'its input is an image');
    const table = w.take('embeddings');
    const indices = x.int ? x.name : g.node('Cast', [x.name], `${layer.name}/index`, { to: int(7) });
    const y = g.node('Gather', [constant(g, `${layer.name}/embeddings`, table), indices], layer.name, { axis: int(0) });
    return { name: y, dims: [...x.dims, table.dims[1] as number], int: false };
  },

  Flatten(g, layer, inputs) {
    const x = one(layer, inputs);
    const y = g.node('Flatten', [toNhwc(g, x, layer.name)], layer.name, { axis: int(1) });
    return { ...x, name: y, dims: [x.dims.reduce((a, b) => a * b, 1)] };
  },

  /** tfjs reshapes in NHWC order: a 4-d input goes back to NHWC first, a 4-d output to NCHW after. */
  Reshape(g, layer, inputs) {
    const x = one(layer, inputs);
    const target = layer.config.target_shape;
    if (!Array.isArray(target) || !target.every((d) => Number.isInteger(d))) refuse(layer, `target_shape ${JSON.stringify(target)}`);
    const size = x.dims.reduce((a, b) => a * b, 1);
    const known = (target as number[]).reduce((a, d) => (d === -1 ? a : a * d), 1);
    const dims = (target as number[]).map((d) => (d === -1 ? size / known : d));
    if (dims.reduce((a, b) => a * b, 1) !== size || !dims.every((d) => Number.isInteger(d) && d > 0)) refuse(layer, `[${x.dims.join(', ')}] does not reshape to [${target.join(', ')}]`);
    const flat = g.node('Reshape', [toNhwc(g, x, layer.name), g.int64s(`${layer.name}/shape`, [0, ...dims])], dims.length === 3 ? `${layer.name}/nhwc` : layer.name);
    return { ...x, name: fromNhwc(g, flat, dims, layer.name), dims };
  },

  Concatenate(g, layer, inputs) {
    const [first] = inputs;
    if (first === undefined || inputs.some((v) => v.dims.length !== first.dims.length || v.int !== first.int)) refuse(layer, 'its inputs differ in rank or type');
    const rank = first.dims.length + 1;
    const tfAxis = Number(layer.config.axis ?? -1);
    const a = tfAxis < 0 ? tfAxis + rank : tfAxis;
    const y = g.node('Concat', inputs.map((v) => v.name), layer.name, { axis: int(axisOf(layer, tfAxis, rank)) });
    const dims = first.dims.map((d, i) => (i === a - 1 ? inputs.reduce((s, v) => s + (v.dims[i] as number), 0) : d));
    return { ...first, name: y, dims };
  },

  Add: elementwise('Add'),
  Multiply: elementwise('Mul'),

  ReLU(g, layer, inputs) {
    const x = one(layer, inputs);
    const max = layer.config.max_value;
    if (max === undefined || max === null) return { ...x, name: g.node('Relu', [x.name], layer.name) };
    return { ...x, name: g.node('Clip', [x.name, g.floats(`${layer.name}/min`, [], [0]), g.floats(`${layer.name}/max`, [], [Number(max)])], layer.name) };
  },

  LeakyReLU(g, layer, inputs) {
    const x = one(layer, inputs);
    return { ...x, name: g.node('LeakyRelu', [x.name], layer.name, { alpha: float(Number(layer.config.alpha ?? 0.3)) }) };
  },

  Activation(g, layer, inputs) {
    const x = one(layer, inputs);
    const y = activate(g, layer, x, layer.config.activation);
    return y === x ? { ...x, name: g.node('Identity', [x.name], layer.name) } : y;
  },

  /** tfjs's resizeNearestNeighbor without aligned corners or half-pixel centres: source pixel ⌊dst / scale⌋. */
  UpSampling2D(g, layer, inputs) {
    const x = image(layer, inputs);
    if ((layer.config.interpolation ?? 'nearest') !== 'nearest') refuse(layer, `interpolation ${String(layer.config.interpolation)}`);
    const [sh, sw] = pair(layer, 'size');
    const scales = g.floats(`${layer.name}/scales`, [4], [1, 1, sh, sw]);
    const y = g.node('Resize', [x.name, '', scales], layer.name, {
      mode: str('nearest'),
      coordinate_transformation_mode: str('asymmetric'),
      nearest_mode: str('floor'),
    });
    return { ...x, name: y, dims: [(x.dims[0] as number) * sh, (x.dims[1] as number) * sw, x.dims[2] as number] };
  },
};

/** Same-rank operands in the same layout broadcast in ONNX exactly as in tfjs. */
function elementwise(op: 'Add' | 'Mul'): Translate {
  return (g, layer, inputs) => {
    const [first, ...rest] = inputs;
    if (first === undefined || rest.length === 0 || inputs.some((v) => v.dims.length !== first.dims.length || v.int)) {
      refuse(layer, 'its inputs are not float tensors of one rank');
    }
    const dims = first.dims.map((_, i) => Math.max(...inputs.map((v) => v.dims[i] as number)));
    let y = first.name;
    rest.forEach((v, i) => {
      y = g.node(op, [y, v.name], i === rest.length - 1 ? layer.name : `${layer.name}/${i}`);
    });
    return { name: y, dims, int: false };
  };
}

export interface Translated {
  /** The ONNX graph inputs, in the tfjs model's input order. */
  inputs: { name: string; dims: number[]; kind: InputKind }[];
  /** The tfjs model's outputs, in order. */
  outputs: Value[];
}

/**
 * Adds the model's layers to `g`. `inputs` says how each tfjs input enters (by its name; a graph
 * input keeps the tfjs input's name). The weights are the artifacts' float32 data.
 */
export function translateLayersModel(g: OnnxGraph, artifacts: tf.io.ModelArtifacts, inputs: Record<string, InputKind>): Translated {
  const topology = artifacts.modelTopology as { class_name?: string; config?: { layers?: LayerJson[]; input_layers?: unknown[][]; output_layers?: unknown[][] } } | undefined;
  const config = topology?.config;
  if (config?.layers === undefined || topology?.class_name !== 'Model' && topology?.class_name !== 'Functional') {
    throw new Error('the artifacts hold no functional LayersModel topology');
  }
  const weights = readWeights(artifacts);
  const values = new Map<string, Value>();
  const graphInputs: Translated['inputs'] = [];
  for (const layer of config.layers) {
    if (layer.class_name === 'InputLayer') {
      const kind = inputs[layer.name];
      if (kind === undefined) throw new OnnxExportError(layer.name, 'the caller did not say how this input enters');
      const shape = layer.config.batch_input_shape;
      const dims = Array.isArray(shape) ? (shape.slice(1) as number[]) : [];
      if (dims.length === 0 || !dims.every((d) => Number.isInteger(d) && d > 0) || (dims.length === 3) !== (kind === 'image')) refuse(layer, `input shape ${JSON.stringify(shape)}`);
      const name = g.reserve(layer.name);
      if (kind === 'class-index') {
        if (dims.length !== 1 || dims[0] !== 1) refuse(layer, `a class index is [N, 1] in tfjs, not [N, ${dims.join(', ')}]`);
        graphInputs.push({ name, dims: [], kind });
        values.set(layer.name, { name: g.node('Unsqueeze', [name, g.int64s(`${name}/axes`, [1])], `${name}/column`), dims: [1], int: true });
      } else {
        graphInputs.push({ name, dims, kind });
        values.set(layer.name, { name, dims, int: false });
      }
      continue;
    }
    const translate = TRANSLATIONS[layer.class_name];
    if (translate === undefined) refuse(layer, `${layer.class_name} layers have no ONNX translation`);
    if (layer.inbound_nodes.length !== 1) refuse(layer, `it is applied ${layer.inbound_nodes.length} times`);
    const layerInputs = (layer.inbound_nodes[0] ?? []).map(([from, node, index]) => {
      const v = values.get(from);
      if (v === undefined || node !== 0 || index !== 0) refuse(layer, `its input ${from}[${node}][${index}] comes before it is made`);
      return v;
    });
    const layerWeights = new LayerWeights(layer.name, weights);
    values.set(layer.name, translate(g, layer, layerInputs, layerWeights));
    layerWeights.finish();
  }
  // The tfjs model's input order, not the order its layers happen to be listed in.
  const order = (config.input_layers ?? []).map(([name]) => String(name));
  graphInputs.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  const outputs = (config.output_layers ?? []).map(([from]) => {
    const v = values.get(String(from));
    if (v === undefined) throw new Error(`the model's output ${String(from)} is not a layer`);
    return v;
  });
  return { inputs: graphInputs, outputs };
}

/** The artifacts' weights by name (`layer/weight`), float32 only: the tfjs export writes no quantized or integer weights. */
function readWeights(artifacts: tf.io.ModelArtifacts): Map<string, Weight> {
  const specs = artifacts.weightSpecs ?? [];
  const parts = artifacts.weightData === undefined ? [] : Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData];
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    bytes.set(new Uint8Array(p), at);
    at += p.byteLength;
  }
  const view = new DataView(bytes.buffer);
  const out = new Map<string, Weight>();
  let offset = 0;
  for (const spec of specs) {
    if (spec.dtype !== 'float32' || spec.quantization !== undefined) throw new OnnxExportError(spec.name, `weights of type ${spec.dtype}${spec.quantization ? ' (quantized)' : ''}`);
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (offset + size * 4 > bytes.byteLength) throw new Error(`the weight data ends before ${spec.name}`);
    const data = new Float32Array(size);
    for (let i = 0; i < size; i++) data[i] = view.getFloat32(offset + i * 4, true);
    out.set(spec.name, { dims: [...spec.shape], data });
    offset += size * 4;
  }
  return out;
}
