/** Augmentation speed on wasm: the UI preview and each D step run this code, so it must answer well under a second. */
import * as tf from '@tensorflow/tfjs';
import { TrainingConfig } from '../src-main/common/training-config';
import { augmentBatch } from '../src-main/engine/augment/classic';
import { applyDiffAugment, sampleDiffAugment } from '../src-main/engine/augment/diff-augment';
import { resolveBackend } from '../src-main/engine/backends/resolve-backend';
import { Rng } from '../src-main/common/rng';

const EVERY_OP = TrainingConfig.parse({
  augment: {
    flip: 0.5,
    rotation: { p: 1, degrees: 20 },
    scale: { p: 1, amount: 0.2 },
    translation: { p: 1, fraction: 0.125 },
    crop: { p: 1, fraction: 0.8 },
    colorJitter: { p: 1, brightness: 0.3, contrast: 0.3, saturation: 0.3 },
    cutout: { p: 1, fraction: 0.25 },
    noise: { p: 1, std: 0.05 },
  },
}).augment;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export default {
  name: 'augment',
  async run() {
    await resolveBackend('wasm');
    console.log('batch of 64, every classic op on; DiffAugment color+translation+cutout; median of 7 after a warm-up (ms)');
    console.log('shape        classic  diffaug-fwd  diffaug-fwd+bwd');
    for (const shape of [
      [64, 28, 28, 1],
      [64, 64, 64, 3],
    ] as [number, number, number, number][]) {
      const x = tf.randomUniform(shape, -1, 1, 'float32', 1) as tf.Tensor4D;
      const time = (fn: (i: number) => tf.Tensor) => {
        fn(0).dispose();
        const ts: number[] = [];
        for (let i = 1; i <= 7; i++) {
          const t0 = performance.now();
          const y = fn(i);
          y.dataSync();
          ts.push(performance.now() - t0);
          y.dispose();
        }
        return median(ts);
      };
      const classic = time((i) => augmentBatch(x, EVERY_OP, new Rng(i)));
      const params = (i: number) => sampleDiffAugment(['color', 'translation', 'cutout'], 1, shape[0], shape[1], new Rng(i));
      const fwd = time((i) => applyDiffAugment(x, params(i)));
      const bwd = time((i) => tf.grad((v: tf.Tensor) => applyDiffAugment(v as tf.Tensor4D, params(i)).sum())(x));
      console.log(`${shape.join('x').padEnd(12)} ${classic.toFixed(1).padStart(7)}  ${fwd.toFixed(1).padStart(11)}  ${bwd.toFixed(1).padStart(15)}`);
      x.dispose();
    }
  },
};
