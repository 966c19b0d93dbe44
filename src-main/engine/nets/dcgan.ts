/** DCGAN bodies (Radford et al. 2016): strided 4×4 (transposed) convolutions, norm, ReLU in G and LeakyReLU in D. */
import * as tf from '@tensorflow/tfjs';
import { biasBefore, widthAt } from '../../common/net-plan';
import type { DiscriminatorBody, DiscriminatorBodyOptions, GeneratorBody, GeneratorBodyOptions } from './body';
import { conv, convTranspose, dense } from './layers';
import { minibatchStddev } from './minibatch';
import { norm } from './normalization';
import type { ParamStore } from './params';

const KERNEL = 4;
const INIT_STD = 0.02;
const LEAK = 0.2;

/** z -> dense -> [s0, s0, C] -> norm, ReLU -> [convT ×2, norm, ReLU]… -> convT to the image channels -> tanh. */
export function dcganGenerator(store: ParamStore, opts: GeneratorBodyOptions): GeneratorBody {
  const { startSide: s0, blocks: k } = opts.plan;
  const { kind, spectral, numClasses } = opts.norm;
  const hidden = { spectral, bias: biasBefore(kind), std: INIT_STD };
  const normOf = (name: string, channels: number) => norm(store, name, { kind, channels, numClasses, gammaStd: INIT_STD });
  const w0 = widthAt(opts.width, k);
  const project = dense(store, 'project', opts.inDim, s0 * s0 * w0, opts.projectionNorm ? hidden : { ...hidden, bias: true });
  const projectNorm = opts.projectionNorm ? normOf('project/norm', w0) : null;
  const ups = Array.from({ length: k - 1 }, (_, j) => {
    const i = j + 1;
    const outCh = widthAt(opts.width, k - i);
    return { up: convTranspose(store, `block${i}/convT`, KERNEL, widthAt(opts.width, k - i + 1), outCh, hidden), norm: normOf(`block${i}/norm`, outCh) };
  });
  const toImage = convTranspose(store, 'toImage', KERNEL, widthAt(opts.width, 1), opts.channels, { spectral, bias: true, std: INIT_STD });

  return (z, classes, training) => {
    const flat = project(z, training);
    const first = tf.reshape(flat, [z.shape[0], s0, s0, w0]) as tf.Tensor4D;
    let h = tf.relu(projectNorm === null ? first : projectNorm(first, classes, training));
    for (const block of ups) h = tf.relu(block.norm(block.up(h, training), classes, training));
    return tf.tanh(toImage(h, training));
  };
}

/** [conv 4×4 stride 2, norm, LeakyReLU 0.2]… with no norm after the first conv (as in the paper), then flatten. */
export function dcganDiscriminator(store: ParamStore, opts: DiscriminatorBodyOptions): DiscriminatorBody {
  const { startSide: s0, blocks: k } = opts.plan;
  const { kind, spectral } = opts.norm;
  const layers = Array.from({ length: k }, (_, j) => {
    const i = j + 1;
    const inCh = (i === 1 ? opts.channels : widthAt(opts.width, i - 1)) + (opts.stddev && i === k ? 1 : 0);
    const outCh = widthAt(opts.width, i);
    const normed = i > 1 && kind !== 'none';
    return {
      conv: conv(store, `block${i}/conv`, KERNEL, inCh, outCh, 2, { spectral, bias: !normed || biasBefore(kind), std: INIT_STD }),
      norm: normed ? norm(store, `block${i}/norm`, { kind, channels: outCh, numClasses: 0, gammaStd: INIT_STD }) : null,
    };
  });
  const featureSize = s0 * s0 * widthAt(opts.width, k);

  return {
    featureSize,
    apply(x, training) {
      let h = x;
      const blocks: tf.Tensor4D[] = [];
      layers.forEach((layer, j) => {
        if (opts.stddev && j === k - 1) h = minibatchStddev(h);
        h = layer.conv(h, training);
        if (layer.norm !== null) h = layer.norm(h, null, training);
        h = tf.leakyRelu(h, LEAK);
        blocks.push(h);
      });
      return { last: tf.reshape(h, [x.shape[0], featureSize]), blocks };
    },
  };
}
