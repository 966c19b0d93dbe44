/** An ONNX graph under construction (nodes, initializers, unique value names), encoded as a ModelProto with protobufjs and the vendored ONNX schema. */
import protobuf from 'protobufjs';
import { ONNX_SCHEMA } from './onnx-schema';

/**
 * Opset 13 and IR version 7 (ONNX 1.8, 2020): every operator the generators need exists there,
 * so the file opens in any runtime of the last years. Reductions take their axes as an attribute
 * at this opset (opset 18 moved them to an input).
 */
export const OPSET = 13;
export const IR_VERSION = 7;

/** TensorProto.DataType values. */
const FLOAT = 1;
const INT64 = 7;

export type OnnxDtype = 'float32' | 'int64';

/** AttributeProto.AttributeType values, by the field each fills. */
export type Attribute = { f: number } | { i: number } | { s: string } | { floats: number[] } | { ints: number[] };
const ATTRIBUTE_TYPE = { f: 1, i: 2, s: 3, floats: 6, ints: 7 } as const;

export const float = (f: number): Attribute => ({ f });
export const int = (i: number): Attribute => ({ i });
export const ints = (values: number[]): Attribute => ({ ints: values });
export const str = (s: string): Attribute => ({ s });

/** A graph input or output: a symbolic batch dimension is a string. */
export interface ValueSpec {
  name: string;
  dtype: OnnxDtype;
  shape: (number | string)[];
  doc: string;
}

export interface ModelMeta {
  doc: string;
  producerVersion: string;
  /** Written as ModelProto.metadata_props, which runtimes expose (onnxruntime: session.handler metadata, Netron: properties). */
  metadata: Record<string, string>;
}

interface NodeSpec {
  op: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<string, Attribute>;
}

interface Initializer {
  name: string;
  dims: number[];
  dtype: OnnxDtype;
  data: Float32Array | BigInt64Array;
}

let onnxTypes: { model: protobuf.Type } | null = null;

function modelType(): protobuf.Type {
  onnxTypes ??= { model: protobuf.Root.fromJSON(ONNX_SCHEMA).lookupType('onnx.ModelProto') };
  return onnxTypes.model;
}

export class OnnxGraph {
  private readonly nodes: NodeSpec[] = [];
  private readonly initializers: Initializer[] = [];
  private readonly used = new Set<string>();

  /** A fresh value name, `hint` itself when still free: names read like the layers they come from. */
  unique(hint: string): string {
    let name = hint;
    for (let i = 1; this.used.has(name); i++) name = `${hint}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Reserves an exact name: a graph input's, or an output's that nodeTo makes later. */
  reserve(name: string): string {
    if (this.used.has(name)) throw new Error(`the ONNX graph already has a value named ${name}`);
    this.used.add(name);
    return name;
  }

  constant(hint: string, dims: number[], data: Float32Array | BigInt64Array): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (data.length !== size) throw new Error(`${hint}: ${data.length} values for shape [${dims.join(', ')}]`);
    const name = this.unique(hint);
    this.initializers.push({ name, dims, dtype: data instanceof Float32Array ? 'float32' : 'int64', data });
    return name;
  }

  int64s(hint: string, values: number[]): string {
    return this.constant(hint, [values.length], BigInt64Array.from(values.map(BigInt)));
  }

  floats(hint: string, dims: number[], values: number[] | Float32Array): string {
    return this.constant(hint, dims, Float32Array.from(values));
  }

  /** One node with one output, named from `hint`; '' stands for an omitted optional input. */
  node(op: string, inputs: string[], hint: string, attributes: Record<string, Attribute> = {}): string {
    const output = this.unique(hint);
    this.nodes.push({ op, name: output, inputs, outputs: [output], attributes });
    return output;
  }

  /** A node whose output takes a reserved name exactly (a graph output's). */
  nodeTo(output: string, op: string, inputs: string[]): string {
    if (!this.used.has(output) || this.nodes.some((n) => n.outputs.includes(output))) throw new Error(`${output} is not a reserved, unmade value`);
    this.nodes.push({ op, name: output, inputs, outputs: [output], attributes: {} });
    return output;
  }

  encode(inputs: ValueSpec[], outputs: ValueSpec[], meta: ModelMeta): Uint8Array {
    const type = modelType();
    const message = type.fromObject({
      ir_version: IR_VERSION,
      opset_import: [{ domain: '', version: OPSET }],
      producer_name: 'GAN Workbench',
      producer_version: meta.producerVersion,
      doc_string: meta.doc,
      metadata_props: Object.entries(meta.metadata).map(([key, value]) => ({ key, value })),
      graph: {
        name: 'generator',
        node: this.nodes.map((n) => ({
          op_type: n.op,
          name: n.name,
          input: n.inputs,
          output: n.outputs,
          attribute: Object.entries(n.attributes).map(([name, a]) => attributeProto(name, a)),
        })),
        initializer: this.initializers.map((t) => ({
          name: t.name,
          dims: t.dims,
          data_type: t.dtype === 'float32' ? FLOAT : INT64,
          raw_data: littleEndianBytes(t.data),
        })),
        input: inputs.map(valueInfo),
        output: outputs.map(valueInfo),
      },
    });
    return type.encode(message).finish();
  }
}

function attributeProto(name: string, a: Attribute): Record<string, unknown> {
  const [field] = Object.keys(a) as (keyof typeof ATTRIBUTE_TYPE)[];
  if (field === undefined) throw new Error(`attribute ${name} has no value`);
  const value = (a as Record<string, unknown>)[field];
  return { name, type: ATTRIBUTE_TYPE[field], [field]: field === 's' ? new TextEncoder().encode(value as string) : value };
}

function valueInfo(v: ValueSpec): Record<string, unknown> {
  return {
    name: v.name,
    doc_string: v.doc,
    type: {
      tensor_type: {
        elem_type: v.dtype === 'float32' ? FLOAT : INT64,
        shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) },
      },
    },
  };
}

/** TensorProto.raw_data is little-endian whatever the host: copy through a DataView rather than trust the typed array's order. */
function littleEndianBytes(data: Float32Array | BigInt64Array): Uint8Array {
  const width = data instanceof Float32Array ? 4 : 8;
  const out = new Uint8Array(data.length * width);
  const view = new DataView(out.buffer);
  if (data instanceof Float32Array) data.forEach((x, i) => view.setFloat32(i * 4, x, true));
  else data.forEach((x, i) => view.setBigInt64(i * 8, x, true));
  return out;
}
