/** The ONNX generator runs in onnxruntime-web (wasm, in Node) and gives the net's inference images; what ONNX cannot express is refused by layer name. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import protobuf from 'protobufjs';
import { defaultTrainingConfig } from '../../../../src-main/common/training-config';
import { resolveBackend } from '../../../../src-main/engine/backends/resolve-backend';
import { exportGenerator, generatorToOnnx, OnnxExportError } from '../../../../src-main/engine/export';
import { translateLayersModel } from '../../../../src-main/engine/export/onnx/layers-to-onnx';
import { OnnxGraph } from '../../../../src-main/engine/export/onnx/onnx-graph';
import { ONNX_SCHEMA } from '../../../../src-main/engine/export/onnx/onnx-schema';
import { buildGenerator, type NetShape } from '../../../../src-main/engine/nets';

type Model = ReturnType<typeof defaultTrainingConfig>['model'];

const N = 6;
const OPTIONS = { doc: 'test generator', producerVersion: 'test', metadata: { runId: 'test' } };

beforeAll(async () => {
  await resolveBackend('wasm');
  // onnxruntime-web's Node build finds its .wasm beside itself in node_modules; one thread, as every test's trainer.
  ort.env.wasm.numThreads = 1;
});

/** As the tfjs export test: moving statistics, spectral-norm u vectors and weights moved off their initial values. */
function warmUp(gen: ReturnType<typeof buildGenerator>, shape: NetShape, labels: () => tf.Tensor1D | null): void {
  for (let i = 0; i < 3; i++) tf.tidy(() => gen.apply(tf.randomNormal([N, shape.latentSize], 0, 1, 'float32', i), labels(), true));
  for (const v of gen.trainable.values()) tf.tidy(() => v.assign(tf.add(v, tf.mul(tf.randomNormal(v.shape, 0, 1, 'float32', 7), 0.05))));
}

/** Grey levels as the trainer writes them: round((x + 1) · 127.5), clipped. */
const grey = (x: number): number => Math.min(255, Math.max(0, Math.round((x + 1) * 127.5)));

/** NHWC (tfjs) → NCHW (the ONNX output). */
function toNchw(data: Float32Array, [n, h, w, c]: number[]): Float32Array {
  const out = new Float32Array(data.length);
  for (let b = 0; b < n!; b++)
    for (let y = 0; y < h!; y++) for (let x = 0; x < w!; x++) for (let k = 0; k < c!; k++) out[((b * c! + k) * h! + y) * w! + x] = data[((b * h! + y) * w! + x) * c! + k]!;
  return out;
}

const CASES: { label: string; patch: Partial<Model>; size: number; channels: 1 | 3; numClasses: number }[] = [
  { label: 'dcgan, batch norm', patch: { arch: 'dcgan', gNorm: 'batch' }, size: 16, channels: 3, numClasses: 0 },
  { label: 'dcgan, spectral norm, 28×28', patch: { arch: 'dcgan', gNorm: 'spectral' }, size: 28, channels: 1, numClasses: 0 },
  { label: 'dcgan, no norm after the projection, 28×28', patch: { arch: 'dcgan', gNorm: 'batch', gProjectionNorm: false }, size: 28, channels: 1, numClasses: 0 },
  { label: 'dcgan, layer norm', patch: { arch: 'dcgan', gNorm: 'layer' }, size: 16, channels: 3, numClasses: 0 },
  { label: 'dcgan, equalized learning rate (ProGAN)', patch: { arch: 'dcgan', gNorm: 'batch', equalizedLr: true }, size: 16, channels: 3, numClasses: 0 },
  { label: 'dcgan, pixel norm (ProGAN)', patch: { arch: 'dcgan', gNorm: 'none', pixelNorm: true, equalizedLr: true }, size: 16, channels: 3, numClasses: 0 },
  { label: 'dcgan, conditional BN', patch: { arch: 'dcgan', gNorm: 'batch', gConditioning: 'cbn' }, size: 16, channels: 3, numClasses: 4 },
  { label: 'dcgan, class embedding', patch: { arch: 'dcgan', gNorm: 'batch', gConditioning: 'embedding' }, size: 16, channels: 1, numClasses: 10 },
  { label: 'resnet, batch norm', patch: { arch: 'resnet', gNorm: 'batch' }, size: 16, channels: 3, numClasses: 0 },
  { label: 'resnet, spectral norm', patch: { arch: 'resnet', gNorm: 'spectral' }, size: 16, channels: 1, numClasses: 0 },
  { label: 'resnet, instance norm', patch: { arch: 'resnet', gNorm: 'instance' }, size: 16, channels: 3, numClasses: 0 },
  { label: 'resnet, spectral + conditional BN', patch: { arch: 'resnet', gNorm: 'spectral', gConditioning: 'cbn' }, size: 16, channels: 1, numClasses: 3 },
  { label: 'resnet, class embedding + layer norm', patch: { arch: 'resnet', gNorm: 'layer', gConditioning: 'embedding' }, size: 16, channels: 3, numClasses: 5 },
];

describe('generatorToOnnx in onnxruntime-web', () => {
  for (const c of CASES) {
    it(`${c.label}: the ONNX image equals gen.apply(…, false), within 1 grey level`, async () => {
      const model: Model = { ...defaultTrainingConfig().model, gWidth: 8, ...c.patch };
      const shape: NetShape = { size: c.size, channels: c.channels, numClasses: c.numClasses, latentSize: 6, seed: 3 };
      const conditional = model.gConditioning !== 'none';
      const labelValues = [0, 1, 2, 3, 4, 9].map((v) => v % Math.max(c.numClasses, 1));
      const labels = (): tf.Tensor1D | null => (conditional ? tf.tensor1d(labelValues, 'int32') : null);
      const classes = Array.from({ length: c.numClasses }, (_, i) => `class ${i}`);
      const gen = buildGenerator(model, shape);
      try {
        warmUp(gen, shape, labels);
        const onnx = generatorToOnnx(await exportGenerator(gen, { model, shape }), { ...OPTIONS, classes: conditional ? classes : [] });
        expect(onnx.inputs.map((i) => [i.name, i.dtype, i.shape])).toEqual([
          ['z', 'float32', ['N', 6]],
          ...(conditional ? [['label', 'int64', ['N']]] : []),
        ]);
        expect(onnx.output).toMatchObject({ name: 'image', dtype: 'float32', shape: ['N', c.channels, c.size, c.size], range: [-1, 1] });

        const session = await ort.InferenceSession.create(onnx.bytes, { executionProviders: ['wasm'] });
        expect(session.inputNames).toEqual(conditional ? ['z', 'label'] : ['z']);
        expect(session.outputNames).toEqual(['image']);
        const zValues = tf.tidy(() => tf.randomNormal([N, shape.latentSize], 0, 1, 'float32', 11).dataSync() as Float32Array);
        const feeds: Record<string, ort.Tensor> = { z: new ort.Tensor('float32', zValues, [N, shape.latentSize]) };
        if (conditional) feeds.label = new ort.Tensor('int64', BigInt64Array.from(labelValues.map(BigInt)), [N]);
        const { image } = await session.run(feeds);
        await session.release();
        expect(image!.dims).toEqual([N, c.channels, c.size, c.size]);
        const actual = image!.data as Float32Array;

        const l = labels();
        const expectedTensor = tf.tidy(() => gen.apply(tf.tensor2d(zValues, [N, shape.latentSize]), l, false));
        const expected = toNchw(expectedTensor.dataSync() as Float32Array, expectedTensor.shape);
        tf.dispose([expectedTensor, ...(l === null ? [] : [l])]);
        let worstValue = 0;
        let worstGrey = 0;
        expected.forEach((e, i) => {
          worstValue = Math.max(worstValue, Math.abs(e - actual[i]!));
          worstGrey = Math.max(worstGrey, Math.abs(grey(e) - grey(actual[i]!)));
        });
        console.log(`${c.label}: max |Δ| ${worstValue.toExponential(2)}, ${worstGrey} grey levels`);
        expect(worstGrey).toBeLessThanOrEqual(1);
        expect(worstValue).toBeLessThan(1e-4);
        // A constant image would pass trivially.
        const mean = expected.reduce((a, b) => a + b, 0) / expected.length;
        expect(expected.reduce((a, b) => a + (b - mean) ** 2, 0) / expected.length).toBeGreaterThan(1e-4);
      } finally {
        gen.dispose();
      }
    });
  }

  it('translates the settings the generators do not use yet as tfjs computes them: strides, valid and even-kernel padding, depthwise, clipped ReLU…', async () => {
    const z = tf.input({ shape: [4], name: 'z' });
    let h = tf.layers.dense({ units: 36, activation: 'tanh' }).apply(z) as tf.SymbolicTensor;
    h = tf.layers.reshape({ targetShape: [6, 6, 1] }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'elu' }).apply(h) as tf.SymbolicTensor; // [3, 3, 3]
    const up = tf.layers.leakyReLU({ alpha: 0.1 }).apply(tf.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'valid' }).apply(h)) as tf.SymbolicTensor; // [7, 7, 2]
    const even = tf.layers.conv2d({ filters: 2, kernelSize: 2, padding: 'same' }).apply(up) as tf.SymbolicTensor; // 'same' pads the odd pixel after
    h = tf.layers.concatenate({ axis: -1 }).apply([up, even]) as tf.SymbolicTensor; // [7, 7, 4]
    h = tf.layers.reLU({ maxValue: 0.5 }).apply(h) as tf.SymbolicTensor;
    const bn = tf.layers.batchNormalization({ epsilon: 0.01 });
    h = bn.apply(h) as tf.SymbolicTensor;
    h = tf.layers.add().apply([h, tf.layers.multiply().apply([h, tf.layers.activation({ activation: 'sigmoid' }).apply(h) as tf.SymbolicTensor]) as tf.SymbolicTensor]) as tf.SymbolicTensor;
    h = tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'valid' }).apply(h) as tf.SymbolicTensor; // [5, 5, 8]
    h = tf.layers.dense({ units: 5, activation: 'sigmoid' }).apply(tf.layers.flatten().apply(h)) as tf.SymbolicTensor;
    const m = tf.model({ inputs: z, outputs: h });
    bn.setWeights([tf.randomUniform([4], 0.5, 2, 'float32', 1), tf.randomNormal([4], 0, 1, 'float32', 2), tf.randomNormal([4], 0, 1, 'float32', 3), tf.randomUniform([4], 0.5, 2, 'float32', 4)]);
    let artifacts: tf.io.ModelArtifacts | null = null;
    await m.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) })));

    const g = new OnnxGraph();
    const { inputs, outputs } = translateLayersModel(g, artifacts!, { z: 'float' });
    expect(inputs).toEqual([{ name: 'z', dims: [4], kind: 'float' }]);
    expect(outputs.map((o) => o.dims)).toEqual([[5]]);
    const bytes = g.encode([{ name: 'z', dtype: 'float32', shape: ['N', 4], doc: '' }], [{ name: outputs[0]!.name, dtype: 'float32', shape: ['N', 5], doc: '' }], {
      doc: '',
      producerVersion: 'test',
      metadata: {},
    });
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
    const zValues = tf.tidy(() => tf.randomNormal([N, 4], 0, 2, 'float32', 5).dataSync() as Float32Array);
    const result = await session.run({ z: new ort.Tensor('float32', zValues, [N, 4]) });
    await session.release();
    const actual = result[outputs[0]!.name]!.data as Float32Array;
    const expectedTensor = tf.tidy(() => m.predict(tf.tensor2d(zValues, [N, 4])) as tf.Tensor);
    const expected = expectedTensor.dataSync();
    tf.dispose(expectedTensor);
    m.dispose();
    expect(actual).toHaveLength(N * 5);
    expect(Math.max(...Array.from(expected, (e, i) => Math.abs(e - actual[i]!)))).toBeLessThan(1e-5);
  });

  it('documents its inputs and output inside the file: names, types, shapes, doc strings, opset 13', async () => {
    const model: Model = { ...defaultTrainingConfig().model, arch: 'dcgan', gWidth: 8, gNorm: 'batch', gConditioning: 'cbn' };
    const shape: NetShape = { size: 16, channels: 3, numClasses: 3, latentSize: 5, seed: 1 };
    const gen = buildGenerator(model, shape);
    const onnx = generatorToOnnx(await exportGenerator(gen, { model, shape }), { ...OPTIONS, classes: ['cat', 'dog', 'owl'] });
    gen.dispose();
    const ModelProto = protobuf.Root.fromJSON(ONNX_SCHEMA).lookupType('onnx.ModelProto');
    const decoded = ModelProto.toObject(ModelProto.decode(onnx.bytes), { longs: Number, defaults: false }) as {
      ir_version: number;
      opset_import: { domain?: string; version: number }[];
      producer_name: string;
      doc_string: string;
      metadata_props: { key: string; value: string }[];
      graph: { input: { name: string; doc_string: string; type: { tensor_type: { elem_type: number; shape: { dim: { dim_value?: number; dim_param?: string }[] } } } }[]; output: { name: string; doc_string: string }[] };
    };
    expect(decoded.ir_version).toBe(7);
    expect(decoded.opset_import).toEqual([{ domain: '', version: 13 }]);
    expect(decoded.producer_name).toBe('GAN Workbench');
    expect(decoded.doc_string).toBe('test generator');
    const [z, label] = decoded.graph.input;
    expect(z).toMatchObject({ name: 'z', type: { tensor_type: { elem_type: 1, shape: { dim: [{ dim_param: 'N' }, { dim_value: 5 }] } } } });
    expect(z!.doc_string).toMatch(/standard normal/);
    expect(label).toMatchObject({ name: 'label', type: { tensor_type: { elem_type: 7, shape: { dim: [{ dim_param: 'N' }] } } } });
    expect(label!.doc_string).toBe('class index per image, 0…2 (cat, dog, owl)');
    expect(decoded.graph.output).toMatchObject([{ name: 'image', doc_string: expect.stringMatching(/NCHW \[N, 3, 16, 16\].*\[-1, 1\].*\(image \+ 1\) · 127\.5/) }]);
    const meta = Object.fromEntries(decoded.metadata_props.map((p) => [p.key, p.value]));
    expect(meta.runId).toBe('test');
    expect(JSON.parse(meta.output!)).toEqual(onnx.output);
    expect(JSON.parse(meta.inputs!)).toEqual(onnx.inputs);
  });

  it('refuses a layer it cannot express, by the layer’s name, and a setting it does not translate', async () => {
    const exportOf = async (build: (z: tf.SymbolicTensor) => tf.SymbolicTensor) => {
      const z = tf.input({ shape: [4], name: 'z' });
      const m = tf.model({ inputs: z, outputs: build(z) });
      let artifacts: tf.io.ModelArtifacts | null = null;
      await m.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) })));
      m.dispose();
      return { artifacts: artifacts!, inputs: [{ name: 'z' as const, shape: [4] }] };
    };
    const image = (z: tf.SymbolicTensor) => tf.layers.reshape({ targetShape: [2, 2, 1] }).apply(tf.layers.dense({ units: 4 }).apply(z)) as tf.SymbolicTensor;
    const gaussian = await exportOf((z) => tf.layers.gaussianNoise({ stddev: 1, name: 'noisy' }).apply(image(z)) as tf.SymbolicTensor);
    const refusal = (() => {
      try {
        generatorToOnnx(gaussian, { ...OPTIONS, classes: [] });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(refusal).toBeInstanceOf(OnnxExportError);
    expect((refusal as OnnxExportError).message).toBe('cannot export noisy to ONNX: GaussianNoise layers have no ONNX translation');
    expect((refusal as OnnxExportError).layer).toBe('noisy');

    const bilinear = await exportOf((z) => tf.layers.upSampling2d({ size: [2, 2], interpolation: 'bilinear', name: 'smooth' }).apply(image(z)) as tf.SymbolicTensor);
    expect(() => generatorToOnnx(bilinear, { ...OPTIONS, classes: [] })).toThrow('cannot export smooth to ONNX: interpolation bilinear');
    const softmax = await exportOf((z) => tf.layers.dense({ units: 3, activation: 'softmax', name: 'probabilities' }).apply(z) as tf.SymbolicTensor);
    expect(() => generatorToOnnx(softmax, { ...OPTIONS, classes: [] })).toThrow('cannot export probabilities to ONNX: activation softmax');
  });

  it('encodes with the schema of the vendored onnx.proto (resources/onnx/), as scripts/onnx-schema.mjs generates it', () => {
    const proto = readFileSync(path.join(import.meta.dirname, '../../../../resources/onnx/onnx.proto'), 'utf8');
    expect(ONNX_SCHEMA).toEqual(protobuf.parse(proto, { keepCase: true }).root.toJSON());
  });
});
