/** buildDiscriminator: the configured D body with minibatch discrimination, its output layer and projection (Miyato & Koyama 2018) or ACGAN (Odena et al. 2017) heads. */
import * as tf from '@tensorflow/tfjs';
import { resolveNorm, type ModelConfig } from './body';
import { assertClasses, checkLabels, oneHotLabels } from './conditioning';
import { dcganDiscriminator } from './dcgan';
import { dense, type LinearOptions } from './layers';
import { minibatchDiscrimination } from './minibatch';
import { ParamStore } from './params';
import { planNet } from './plan';
import { resnetDiscriminator } from './resnet';
import { registerSecondOrderGradients } from './second-order';
import type { Discriminator, NetShape } from './types';

export function buildDiscriminator(model: ModelConfig, shape: NetShape): Discriminator {
  const plan = planNet(shape.size, model.depth);
  const cond = model.dConditioning;
  const k = shape.numClasses;
  if (cond !== 'none') assertClasses(k, `dConditioning "${cond}"`);
  registerSecondOrderGradients();
  const store = new ParamStore(shape.seed, 'discriminator');
  try {
    const norm = resolveNorm(model.dNorm, 0);
    const bodyOptions = { plan, channels: shape.channels, width: model.dWidth, norm, stddev: model.minibatchStddev };
    const body = model.arch === 'dcgan' ? dcganDiscriminator(store, bodyOptions) : resnetDiscriminator(store, bodyOptions);
    const f = body.featureSize;
    const mbd = model.minibatchDiscrimination;
    const batchFeatures = mbd.enabled ? minibatchDiscrimination(store, 'minibatchDiscrimination', f, mbd.kernels, mbd.kernelDim) : null;
    const headIn = f + (batchFeatures === null ? 0 : mbd.kernels);
    const linear: LinearOptions = { spectral: norm.spectral, bias: true, std: model.arch === 'dcgan' ? 0.02 : 'glorot' };
    const output = dense(store, 'output', headIn, 1, linear);
    // Projection: logit += ⟨V·onehot(y), φ(x)⟩; V is spectrally normalized with the rest, as in the paper.
    const projection = cond === 'projection' ? dense(store, 'projection', k, f, { ...linear, bias: false }) : null;
    const classifier = cond === 'acgan' ? dense(store, 'acgan', headIn, k, linear) : null;

    return {
      trainable: store.trainable,
      state: store.state,
      dispose: () => store.dispose(),
      apply(x, labels, training) {
        if (x.rank !== 4 || x.shape[1] !== shape.size || x.shape[2] !== shape.size || x.shape[3] !== shape.channels) {
          throw new Error(`discriminator input must be [N, ${shape.size}, ${shape.size}, ${shape.channels}], got [${x.shape.join(', ')}]`);
        }
        const n = x.shape[0];
        checkLabels('discriminator', cond !== 'none', labels, n);
        const [logits, features, classLogits] = tf.tidy(() => {
          const features = body.apply(x, training);
          const head = batchFeatures === null ? features : (tf.concat([features, batchFeatures(features)], 1) as tf.Tensor2D);
          let logits = tf.reshape(output(head, training), [n]) as tf.Tensor1D;
          if (projection !== null && labels !== null) {
            logits = tf.add(logits, tf.sum(tf.mul(projection(oneHotLabels(labels, k), training), features), 1));
          }
          return classifier === null ? [logits, features] : [logits, features, classifier(head, training)];
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
