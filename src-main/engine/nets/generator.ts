/** buildGenerator: the configured G (DCGAN or ResNet body) with class conditioning: an embedding beside z (Mirza & Osindero 2014) or conditional BN (de Vries et al. 2017). */
import * as tf from '@tensorflow/tfjs';
import { planNet, resolveNorm } from '../../common/net-plan';
import type { ModelConfig } from './body';
import { assertClasses, checkLabels, oneHotLabels } from './conditioning';
import { dcganGenerator } from './dcgan';
import { dense } from './layers';
import { ParamStore } from './params';
import { resnetGenerator } from './resnet';
import { registerSecondOrderGradients } from './second-order';
import type { Generator, NetShape } from './types';

/** Length of the learned class embedding concatenated to z: as long as z, so neither dominates the first layer. */
export function classEmbeddingSize(shape: NetShape): number {
  return shape.latentSize;
}

export function buildGenerator(model: ModelConfig, shape: NetShape): Generator {
  const plan = planNet(shape.size, model.depth);
  const cond = model.gConditioning;
  const k = shape.numClasses;
  if (cond !== 'none') assertClasses(k, `gConditioning "${cond}"`);
  registerSecondOrderGradients();
  const store = new ParamStore(shape.seed, 'generator');
  try {
    // cGAN (Mirza & Osindero 2014): y enters as an embedding beside z. N(0,1) rows match z's scale.
    const embedding = cond === 'embedding' ? dense(store, 'classEmbedding', k, classEmbeddingSize(shape), { spectral: false, bias: false, std: 1 }) : null;
    const bodyOptions = {
      plan,
      inDim: shape.latentSize + (embedding === null ? 0 : classEmbeddingSize(shape)),
      channels: shape.channels,
      width: model.gWidth,
      norm: resolveNorm(model.gNorm, cond === 'cbn' ? k : 0),
      projectionNorm: model.gProjectionNorm,
      pixelNorm: model.pixelNorm,
      equalized: model.equalizedLr,
      progressiveFrom: shape.progressiveFrom ?? null,
    };
    const body = model.arch === 'dcgan' ? dcganGenerator(store, bodyOptions) : resnetGenerator(store, bodyOptions);
    return {
      trainable: store.trainable,
      state: store.state,
      stage: null,
      dispose: () => store.dispose(),
      apply(z, labels, training) {
        if (z.rank !== 2 || z.shape[1] !== shape.latentSize) {
          throw new Error(`generator input must be [N, ${shape.latentSize}], got [${z.shape.join(', ')}]`);
        }
        checkLabels('generator', cond !== 'none', labels, z.shape[0]);
        return tf.tidy(() => {
          const classes = labels === null ? null : oneHotLabels(labels, k);
          const input = embedding !== null && classes !== null ? (tf.concat([z, embedding(classes, training)], 1) as tf.Tensor2D) : z;
          return body(input, cond === 'cbn' ? classes : null, training, this.stage);
        });
      },
    };
  } catch (error) {
    store.dispose();
    throw error;
  }
}
