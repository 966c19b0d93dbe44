/** ResNet bodies in the SNGAN (Miyato et al. 2018) / BigGAN (Brock et al. 2019) style: pre-activation residual blocks with learned 1×1 shortcuts. */
import * as tf from '@tensorflow/tfjs';
import { biasBefore, widthAt } from '../../common/net-plan';
import type { DiscriminatorBody, DiscriminatorBodyOptions, GeneratorBody, GeneratorBodyOptions } from './body';
import { conv, dense, type LinearOptions } from './layers';
import { minibatchStddev } from './minibatch';
import { norm, type Norm } from './normalization';
import type { ParamStore } from './params';
import { downsample2, upsample2 } from './resample';


/**
 * G block: norm → ReLU → up ×2 → conv3×3 → norm → ReLU → conv3×3, plus shortcut up ×2 → conv1×1.
 * The shortcut convolves before upsampling: both are linear and per pixel, so the result is the
 * same at a quarter of the cost. Then norm → ReLU → conv3×3 → tanh to the image.
 */
export function resnetGenerator(store: ParamStore, opts: GeneratorBodyOptions): GeneratorBody {
  const { startSide: s0, blocks: k } = opts.plan;
  const { kind, spectral, numClasses } = opts.norm;
  const linear: LinearOptions = { spectral, bias: true, std: 'glorot', equalized: opts.equalized };
  const beforeNorm: LinearOptions = { ...linear, bias: biasBefore(kind) };
  const normOf = (name: string, channels: number): Norm => norm(store, name, { kind, channels, numClasses, gammaStd: 0 });
  const w0 = widthAt(opts.width, k);
  const project = dense(store, 'project', opts.inDim, s0 * s0 * w0, beforeNorm);
  const blocks = Array.from({ length: k }, (_, j) => {
    const i = j + 1;
    const inCh = widthAt(opts.width, k - i + 1);
    const outCh = widthAt(opts.width, Math.max(k - i, 1));
    return {
      norm1: normOf(`block${i}/norm1`, inCh),
      conv1: conv(store, `block${i}/conv1`, 3, inCh, outCh, 1, beforeNorm),
      norm2: normOf(`block${i}/norm2`, outCh),
      // The sum feeds the next block's norm (or the final one), which would cancel these biases.
      conv2: conv(store, `block${i}/conv2`, 3, outCh, outCh, 1, beforeNorm),
      skip: conv(store, `block${i}/skip`, 1, inCh, outCh, 1, beforeNorm),
    };
  });
  const finalNorm = normOf('final/norm', opts.width);
  const toImage = conv(store, 'toImage', 3, opts.width, opts.channels, 1, linear);

  return (z, classes, training) => {
    let h = tf.reshape(project(z, training), [z.shape[0], s0, s0, w0]) as tf.Tensor4D;
    for (const b of blocks) {
      let r = upsample2(tf.relu(b.norm1(h, classes, training)));
      r = b.conv2(tf.relu(b.norm2(b.conv1(r, training), classes, training)), training);
      h = tf.add(r, upsample2(b.skip(h, training)));
    }
    return tf.tanh(toImage(tf.relu(finalNorm(h, classes, training)), training));
  };
}

/**
 * D block: ReLU → conv3×3 → ReLU → conv3×3 → avgpool ×2, plus shortcut avgpool → conv1×1 (pooling
 * first: same result, a quarter of the cost). The first block has no leading ReLU, so the image
 * goes straight into a conv. A chosen norm goes before each ReLU except on the image. The
 * minibatch-stddev map, when on, joins the last block's first conv input. Then ReLU → global pooling:
 * a sum with spectral norm (SNGAN), a mean otherwise (the ResNet critic of Gulrajani et al. 2017).
 * Without spectral norm a sum over the positions starts the logits far out of range (|D| ≈ 15–50
 * on MNIST at small widths, where the constant background adds up coherently), which saturates
 * the BCE losses so G's gradient underflows to zero from the first step. A block's output, which
 * feature matching can read, is its residual sum, before the next block's pre-activation.
 */
export function resnetDiscriminator(store: ParamStore, opts: DiscriminatorBodyOptions): DiscriminatorBody {
  const k = opts.plan.blocks;
  const { kind, spectral } = opts.norm;
  const linear: LinearOptions = { spectral, bias: true, std: 'glorot', equalized: opts.equalized };
  const normOf = (name: string, channels: number): Norm => norm(store, name, { kind, channels, numClasses: 0, gammaStd: 0 });
  const blocks = Array.from({ length: k }, (_, j) => {
    const i = j + 1;
    const inCh = i === 1 ? opts.channels : widthAt(opts.width, i - 1);
    const outCh = widthAt(opts.width, i);
    const stddev = opts.stddev && i === k;
    return {
      norm1: i > 1 ? normOf(`block${i}/norm1`, inCh) : null,
      stddev,
      conv1: conv(store, `block${i}/conv1`, 3, inCh + (stddev ? 1 : 0), outCh, 1, { ...linear, bias: biasBefore(kind) }),
      norm2: normOf(`block${i}/norm2`, outCh),
      conv2: conv(store, `block${i}/conv2`, 3, outCh, outCh, 1, linear),
      skip: conv(store, `block${i}/skip`, 1, inCh, outCh, 1, linear),
    };
  });
  const featureSize = widthAt(opts.width, k);

  return {
    featureSize,
    apply(x, training) {
      let h: tf.Tensor4D = x;
      const outputs: tf.Tensor4D[] = [];
      for (const b of blocks) {
        let r = b.norm1 === null ? h : tf.relu(b.norm1(h, null, training));
        // After the pre-activation: a norm would flatten the constant map to zero.
        if (b.stddev) r = minibatchStddev(r);
        const main = downsample2(b.conv2(tf.relu(b.norm2(b.conv1(r, training), null, training)), training));
        h = tf.add(main, b.skip(downsample2(h), training));
        outputs.push(h);
      }
      const last = (spectral ? tf.sum(tf.relu(h), [1, 2]) : tf.mean(tf.relu(h), [1, 2])) as tf.Tensor2D;
      return { last, blocks: outputs };
    },
  };
}
