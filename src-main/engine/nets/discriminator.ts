/** buildDiscriminator: the configured D body with minibatch discrimination, its output layer and projection (Miyato & Koyama 2018) or ACGAN (Odena et al. 2017) heads. */
import * as tf from '@tensorflow/tfjs';
import { featureLayerProblem, planNet, resolveNorm } from '../../common/net-plan';
import type { ModelConfig } from './body';
import { assertClasses, checkLabels, oneHotLabels } from './conditioning';
import { dcganDiscriminator } from './dcgan';
import { dense, type LinearOptions } from './layers';
import { minibatchDiscrimination } from './minibatch';
import { ParamStore } from './params';
import { resnetDiscriminator } from './resnet';
import { registerSecondOrderGradients } from './second-order';
import type { Discriminator, NetShape } from './types';

/**
 * `featureLayer` picks what the output's `features` are, the layer feature matching reads: 0 the
 * last hidden features, k ≥ 1 block k's output flattened. The logits and heads never change with it.
 */
export function buildDiscriminator(model: ModelConfig, shape: NetShape, featureLayer = 0): Discriminator {
  const plan = planNet(shape.size, model.depth);
  const layerProblem = featureLayerProblem(featureLayer, shape.size, model.depth);
  if (layerProblem !== null) throw new Error(layerProblem);
  const cond = model.dConditioning;
  const k = shape.numClasses;
  if (cond !== 'none') assertClasses(k, `dConditioning "${cond}"`);
  registerSecondOrderGradients();
  const store = new ParamStore(shape.seed, 'discriminator');
  try {
    const norm = resolveNorm(model.dNorm, 0);
    const bodyOptions = { plan, channels: shape.channels, width: model.dWidth, norm, stddev: model.minibatchStddev, equalized: model.equalizedLr, progressiveFrom: shape.progressiveFrom ?? null };
    const body = model.arch === 'dcgan' ? dcganDiscriminator(store, bodyOptions) : resnetDiscriminator(store, bodyOptions);
    const f = body.featureSize;
    const mbd = model.minibatchDiscrimination;
    const batchFeatures = mbd.enabled ? minibatchDiscrimination(store, 'minibatchDiscrimination', f, mbd.kernels, mbd.kernelDim) : null;
    const headIn = f + (batchFeatures === null ? 0 : mbd.kernels);
    const linear: LinearOptions = { spectral: norm.spectral, bias: true, std: model.arch === 'dcgan' ? 0.02 : 'glorot', equalized: model.equalizedLr };
    const output = dense(store, 'output', headIn, 1, linear);
    // Projection: logit += ⟨V·onehot(y), φ(x)⟩; V is spectrally normalized with the rest, as in the paper.
    const projection = cond === 'projection' ? dense(store, 'projection', k, f, { ...linear, bias: false }) : null;
    const classifier = cond === 'acgan' ? dense(store, 'acgan', headIn, k, linear) : null;

    return {
      trainable: store.trainable,
      state: store.state,
      stage: null,
      dispose: () => store.dispose(),
      apply(x, labels, training) {
        const side = this.stage?.size ?? shape.size;
        if (x.rank !== 4 || x.shape[1] !== side || x.shape[2] !== side || x.shape[3] !== shape.channels) {
          throw new Error(`discriminator input must be [N, ${side}, ${side}, ${shape.channels}], got [${x.shape.join(', ')}]`);
        }
        const n = x.shape[0];
        checkLabels('discriminator', cond !== 'none', labels, n);
        const [logits, features, classLogits] = tf.tidy(() => {
          const { last, blocks } = body.apply(x, training, this.stage);
          const head = batchFeatures === null ? last : (tf.concat([last, batchFeatures(last)], 1) as tf.Tensor2D);
          let logits = tf.reshape(output(head, training), [n]) as tf.Tensor1D;
          if (projection !== null && labels !== null) {
            logits = tf.add(logits, tf.sum(tf.mul(projection(oneHotLabels(labels, k), training), last), 1));
          }
          const chosen = featureLayer === 0 ? last : tf.reshape(blocks[featureLayer - 1]!, [n, -1]);
          return classifier === null ? [logits, chosen] : [logits, chosen, classifier(head, training)];
        });
        return {
          logits: logits as tf.Tensor1D,
          features: features as tf.Tensor2D,
          classLogits: (classLogits ?? null) as tf.Tensor2D | null,
        };
      },
    };
  } catch (error) {
    store.dispose();
    throw error;
  }
}
