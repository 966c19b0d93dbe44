/**
 * The general-image feature network that ships with the app: MobileNetV2 (width 1.4) from the npm
 * package nsfwjs, read from the weights in its tarball (nothing is fetched), pooled 1792-d features.
 * It was fine-tuned to another task and quantized to 8 bits, so measures on it are not FID/KID:
 * they are named after it (e.g. "FD (nsfwjs MobileNetV2, 1792-d)").
 */
import * as tf from '@tensorflow/tfjs';
import type { FeatureNet } from './feature-net';

/**
 * nsfwjs's entry for this model, which imports nothing but the model files (its index would pull
 * in its browser code). Named by a variable so that TypeScript does not read nsfwjs's declarations,
 * which add an `any` index signature to the global `Window`; typed by NsfwModelModule instead.
 */
const MODEL_MODULE = 'nsfwjs/models/mobilenet_v2_mid';

/** The part of nsfwjs's ModelDefinition used here: the graph model JSON and its weight shards as base64. */
interface NsfwModelModule {
  MobileNetV2MidModel: {
    numOfWeightBundles: number;
    modelJson(): Promise<{ default: tf.io.ModelJSON }>;
    weightBundles: (() => Promise<{ default: string }>)[];
  };
}

const SCOPE = 'StatefulPartitionedCall/sequential/keras_layer/StatefulPartitionedCall/StatefulPartitionedCall/StatefulPartitionedCall/predict/';
/** The TF-Hub feature vector: MobilenetV2/Conv_1 (ReLU6) average-pooled over 7×7 and squeezed, [N, 1792]. */
export const FEATURE_NODE = `${SCOPE}feature_vector/SpatialSqueeze`;
/** The graph's placeholder, [-1, 224, 224, 3]; its first ops (hub_input/Mul by 2, Sub 1) take [0, 1] to [-1, 1]. */
export const INPUT_NODE = 'input';
export const INPUT_SIZE = 224;
export const MOBILENET_V2_DIMS = 1792;
/** At 32 images the largest activation (expanded_conv_1/expand, 112×112×144 floats per image) is about 230 MB. */
const DEFAULT_BATCH = 32;

export interface MobileNetV2Options {
  /** Images per forward pass (default 32). Rows do not depend on it beyond float rounding. */
  batchSize?: number;
}

/** The model JSON and its weights joined in manifest order, from the base64 shards nsfwjs ships. */
async function modelArtifacts(): Promise<tf.io.ModelArtifacts> {
  const { MobileNetV2MidModel: definition } = (await import(/* @vite-ignore */ MODEL_MODULE)) as NsfwModelModule;
  const json = (await definition.modelJson()).default;
  const nodes = (json.modelTopology as { node?: { name: string }[] }).node ?? [];
  for (const name of [INPUT_NODE, FEATURE_NODE]) {
    if (!nodes.some((n) => n.name === name)) throw new Error(`nsfwjs mobilenet_v2_mid has no node ${name}; was nsfwjs upgraded?`);
  }
  // nsfwjs names bundle i "group1-shard{i+1}of{n}", the manifest's paths; join them in the manifest's order.
  const count = definition.numOfWeightBundles;
  const shards: Uint8Array[] = [];
  for (const path of json.weightsManifest.flatMap((group) => group.paths)) {
    const match = /^group1-shard(\d+)of(\d+)$/.exec(path);
    const bundle = match !== null && Number(match[2]) === count ? definition.weightBundles[Number(match[1]) - 1] : undefined;
    if (bundle === undefined) throw new Error(`nsfwjs mobilenet_v2_mid ships no weight bundle for ${path}`);
    shards.push(Buffer.from((await bundle()).default, 'base64'));
  }
  const weightData = new Uint8Array(shards.reduce((n, s) => n + s.byteLength, 0));
  let offset = 0;
  for (const shard of shards) {
    weightData.set(shard, offset);
    offset += shard.byteLength;
  }
  return {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
    weightData: weightData.buffer,
  };
}

/**
 * Loads the bundled network into the active backend (about 4.3 MB of 8-bit weights, dequantized on
 * load). Call it after the backend is chosen; dispose() the result when done.
 */
export async function loadMobileNetV2Features(options: MobileNetV2Options = {}): Promise<FeatureNet> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch size must be a whole number ≥ 1, got ${batchSize}`);
  const model = await tf.loadGraphModel(tf.io.fromMemory(await modelArtifacts()));
  let disposed = false;

  /** [-1, 1] NHWC, 1 or 3 channels, any size → [0, 1] at 224×224×3, the range nsfwjs feeds the graph. */
  const prepare = (images: tf.Tensor4D): tf.Tensor4D => {
    const unit = tf.div(tf.add(tf.clipByValue(images, -1, 1), 1), 2) as tf.Tensor4D;
    const [, h, w] = images.shape;
    // Half-pixel centres: sample positions as in PIL and OpenCV, not nsfwjs's align-corners.
    const sized = h === INPUT_SIZE && w === INPUT_SIZE ? unit : tf.image.resizeBilinear(unit, [INPUT_SIZE, INPUT_SIZE], false, true);
    return images.shape[3] === 1 ? tf.tile(sized, [1, 1, 1, 3]) : sized;
  };

  return {
    id: 'nsfwjs-mobilenet_v2_mid-1792',
    displayName: 'nsfwjs MobileNetV2 (1792-d)',
    measureTag: 'nsfwjs MobileNetV2, 1792-d',
    dims: MOBILENET_V2_DIMS,
    preprocessing: `[-1,1] clipped, to [0,1]; bilinear to ${INPUT_SIZE}×${INPUT_SIZE} (half-pixel centres); grey repeated to RGB`,
    async embed(images: tf.Tensor4D): Promise<Float32Array> {
      if (disposed) throw new Error('this feature network has been disposed');
      const [n, , , channels] = images.shape;
      if (channels !== 1 && channels !== 3) throw new Error(`images need 1 or 3 channels, got ${channels}`);
      const out = new Float32Array(n * MOBILENET_V2_DIMS);
      for (let start = 0; start < n; start += batchSize) {
        const size = Math.min(batchSize, n - start);
        const rows = tf.tidy(() => {
          const batch = size === n ? images : tf.slice(images, [start, 0, 0, 0], [size, -1, -1, -1]);
          return model.execute(prepare(batch), FEATURE_NODE) as tf.Tensor2D;
        });
        try {
          out.set(await rows.data<'float32'>(), start * MOBILENET_V2_DIMS);
        } finally {
          rows.dispose();
        }
      }
      return out;
    },
    dispose(): void {
      if (disposed) return;
      disposed = true;
      model.dispose();
    },
  };
}
