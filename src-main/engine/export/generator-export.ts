/** exportGenerator: a trained functional Generator as a standard TensorFlow.js LayersModel (model.json + weights), loadable with plain tf.loadLayersModel. */
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../nets/body';
import type { NormKind } from '../../common/net-plan';
import { planNet, resolveNorm, widthAt, type NetPlan } from '../../common/net-plan';
import type { Generator, NetShape } from '../nets/types';
import { LayerBuilder } from './layer-builder';

type Sym = tf.SymbolicTensor;

export interface ExportOptions {
  /** The config section and data shape the Generator was built from. */
  model: ModelConfig;
  shape: NetShape;
}

export interface ExportedInput {
  name: 'z' | 'label';
  /** Without the batch axis: z is [latentSize]; label is [1], the class index as a number. */
  shape: number[];
}

export interface ExportedModel {
  artifacts: tf.io.ModelArtifacts;
  /** In the order model.predict takes them. */
  inputs: ExportedInput[];
}

/** Mirrors nets/dcgan.ts dcganGenerator, inference mode. */
function dcganLayers(b: LayerBuilder, x: Sym, plan: NetPlan, width: number, kind: NormKind, projectionNorm: boolean, pixelNorm: boolean): Sym {
  const { startSide: s0, blocks: k } = plan;
  const act = (h: Sym, name: string): Sym => (pixelNorm ? b.pixelNorm(b.relu(h), `${name}/pixelNorm`) : b.relu(h));
  let h = tf.layers.reshape({ targetShape: [s0, s0, widthAt(width, k)] }).apply(b.dense(x, 'project')) as Sym;
  h = act(b.norm(h, 'project/norm', projectionNorm ? kind : 'none'), 'project');
  for (let i = 1; i < k; i++) h = act(b.norm(b.convTranspose(h, `block${i}/convT`), `block${i}/norm`, kind), `block${i}`);
  return tf.layers.activation({ activation: 'tanh' }).apply(b.convTranspose(h, 'toImage')) as Sym;
}

/** Mirrors nets/resnet.ts resnetGenerator, inference mode. */
function resnetLayers(b: LayerBuilder, x: Sym, plan: NetPlan, width: number, kind: NormKind): Sym {
  const { startSide: s0, blocks: k } = plan;
  const up = (t: Sym): Sym => tf.layers.upSampling2d({ size: [2, 2] }).apply(t) as Sym;
  let h = tf.layers.reshape({ targetShape: [s0, s0, widthAt(width, k)] }).apply(b.dense(x, 'project')) as Sym;
  for (let i = 1; i <= k; i++) {
    let r = up(b.relu(b.norm(h, `block${i}/norm1`, kind)));
    r = b.conv(b.relu(b.norm(b.conv(r, `block${i}/conv1`, 1), `block${i}/norm2`, kind)), `block${i}/conv2`, 1);
    h = tf.layers.add().apply([r, up(b.conv(h, `block${i}/skip`, 1))]) as Sym;
  }
  h = b.conv(b.relu(b.norm(h, 'final/norm', kind)), 'toImage', 1);
  return tf.layers.activation({ activation: 'tanh' }).apply(h) as Sym;
}

/**
 * Batch norm becomes BatchNormalization layers with the moving statistics, spectral norm is baked
 * in as W/σ, and a conditional Generator gets a second input: the class label [N, 1], looked up by
 * Embedding layers (the concatenated class embedding, or the per-class γ/β of conditional BN).
 */
export async function exportGenerator(gen: Generator, opts: ExportOptions): Promise<ExportedModel> {
  const { model, shape } = opts;
  const plan = planNet(shape.size, model.depth);
  const cond = model.gConditioning;
  const conditional = cond !== 'none';
  const { kind } = resolveNorm(model.gNorm, cond === 'cbn' ? shape.numClasses : 0);
  const z = tf.input({ shape: [shape.latentSize], name: 'z' });
  const label = conditional ? tf.input({ shape: [1], name: 'label' }) : null;
  const builder = new LayerBuilder(gen, label);
  const start = cond === 'embedding' ? (tf.layers.concatenate({ axis: 1 }).apply([z, builder.embedding('classEmbedding')]) as Sym) : z;
  const image =
    model.arch === 'dcgan'
      ? dcganLayers(builder, start, plan, model.gWidth, kind, model.gProjectionNorm, model.pixelNorm)
      : resnetLayers(builder, start, plan, model.gWidth, kind);
  const inputs: ExportedInput[] = [{ name: 'z', shape: [shape.latentSize] }, ...(conditional ? [{ name: 'label' as const, shape: [1] }] : [])];
  const layersModel = tf.model({ inputs: label === null ? z : [z, label], outputs: image, name: 'generator' });
  try {
    layersModel.setUserDefinedMetadata({
      ganWorkbench: { arch: model.arch, size: shape.size, channels: shape.channels, latentSize: shape.latentSize, numClasses: shape.numClasses, inputs },
    });
    let captured: tf.io.ModelArtifacts | null = null;
    await layersModel.save(
      tf.io.withSaveHandler(async (artifacts) => {
        captured = artifacts;
        return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
      }),
    );
    if (captured === null) throw new Error('the LayersModel produced no artifacts');
    return { artifacts: captured, inputs };
  } finally {
    layersModel.dispose();
  }
}
