/** Paired translation's optional perceptual loss: the L1 between a frozen in-domain classifier's conv activations of G's output and of the target. */
import * as tf from '@tensorflow/tfjs';
import { buildDomainClassifier, classifierInputSide, type ClassifierShape } from '../evaluators/feature-nets/domain-classifier';

/** A frozen feature network: it is differentiated through, never trained. */
export interface PerceptualExtractor {
  /** The side it takes; larger images are brought down to it as the classifier's own training did. */
  readonly side: number;
  readonly channels: number;
  /** The activations of the layers compared, for a batch in [-1, 1] already at `side`. */
  activations(x: tf.Tensor4D): tf.Tensor[];
  /** Its weights: for checks that nothing trains them (they are never in an optimizer's lists). */
  readonly weights: readonly tf.Variable[];
  dispose(): void;
}

/**
 * A trained classifier's weights as plain arrays, in the order of its getWeights(): what the trainer
 * reads from the dataset's classifier folder and hands the session, which builds the network on the
 * backend it trains on (a session is rebuilt on a new device after a GPU fault).
 */
export interface FrozenClassifier {
  shape: ClassifierShape;
  weights: { shape: number[]; values: Float32Array }[];
}

/** Every 2-D convolution of `model`, with its activation applied (a Conv2D layer fuses its ReLU). */
export function convFeatureExtractor(model: tf.LayersModel): PerceptualExtractor {
  const convs = model.layers.filter((l) => l.getClassName() === 'Conv2D');
  if (convs.length === 0) throw new Error('a perceptual extractor needs a network with 2-D convolutions');
  const input = model.inputs[0]!;
  const [, side, , channels] = input.shape;
  if (side === null || side === undefined || channels === null || channels === undefined) throw new Error('a perceptual extractor needs a fixed input shape');
  // No optimizer may see these: fit() and trainOnBatch() skip non-trainable weights too.
  model.trainable = false;
  const features = tf.model({ inputs: input, outputs: convs.map((l) => l.output as tf.SymbolicTensor) });
  return {
    side,
    channels,
    weights: model.weights.map((w) => w.read() as tf.Variable),
    activations(x) {
      const out = features.apply(x, { training: false }) as tf.Tensor | tf.Tensor[];
      return Array.isArray(out) ? out : [out];
    },
    dispose: () => model.dispose(),
  };
}

/** The dataset's classifier rebuilt from its weights on the active backend, as a frozen extractor of its two conv layers. */
export function frozenClassifierExtractor(frozen: FrozenClassifier): PerceptualExtractor {
  const model = buildDomainClassifier(frozen.shape, 0);
  try {
    const expected = model.getWeights().map((w) => w.shape.join('×'));
    const given = frozen.weights.map((w) => w.shape.join('×'));
    if (expected.join() !== given.join()) throw new Error(`the classifier's weights do not fit its network: expected [${expected.join(', ')}], got [${given.join(', ')}]`);
    const tensors = frozen.weights.map((w) => tf.tensor(w.values, w.shape));
    model.setWeights(tensors);
    tf.dispose(tensors);
    return convFeatureExtractor(model);
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** The extractor's input: images larger than its side brought down with resizeBilinear (half-pixel centres), as the classifier was trained and evaluates. */
function toSide(x: tf.Tensor4D, side: number): tf.Tensor4D {
  const size = x.shape[1];
  if (size === side) return x;
  if (size < side) throw new Error(`the perceptual extractor takes ${side} × ${side} images; got ${size} × ${size}`);
  // resizeBilinear has a gradient kernel on cpu and wasm (tests check wasm's against cpu's).
  return tf.image.resizeBilinear(x, [side, side], false, true);
}

/**
 * Perceptual loss (Johnson et al. 2016, with L1 per layer as pix2pix-style translators use): for each
 * compared layer l, the mean |φ_l(output) − φ_l(target)| over batch, positions and channels, then the
 * plain mean over layers. Equal layer weights, per-layer means: each layer counts the same whatever its
 * size, so the early edge-like layer and the later stroke-like one both pull, and the value stays of
 * the order of one activation whatever the image size. Only `output` needs a gradient.
 */
export function perceptualLoss(extractor: PerceptualExtractor, output: tf.Tensor4D, target: tf.Tensor4D): tf.Scalar {
  if (output.shape.join() !== target.shape.join()) throw new Error(`the perceptual loss needs images of one shape, got [${output.shape.join(', ')}] and [${target.shape.join(', ')}]`);
  if (output.shape[3] !== extractor.channels) throw new Error(`the perceptual extractor takes ${extractor.channels} channel(s); got ${output.shape[3]}`);
  return tf.tidy(() => {
    const fake = extractor.activations(toSide(output, extractor.side));
    const real = extractor.activations(toSide(target, extractor.side));
    const perLayer = fake.map((f, i) => tf.mean(tf.abs(tf.sub(f, real[i]!))) as tf.Scalar);
    return tf.div(tf.addN(perLayer), perLayer.length) as tf.Scalar;
  });
}

/** Whether a classifier of this shape can judge a run's images (its side is the dataset's, brought down to at most 32). */
export function extractorFits(extractor: PerceptualExtractor, size: number, channels: number): string | null {
  if (extractor.channels !== channels) return `the classifier takes ${extractor.channels} channel(s) and the run's images have ${channels}`;
  if (extractor.side !== classifierInputSide(size)) return `the classifier takes ${extractor.side} × ${extractor.side} images, not what ${size} × ${size} images are brought down to (${classifierInputSide(size)})`;
  return null;
}
