/** Dense, conv and transposed-conv layers over named variables, each optionally spectrally normalized. */
import * as tf from '@tensorflow/tfjs';
import { filled, type ParamStore } from './params';
import { spectralNormalize, spectralStateSize } from './spectral-norm';
import type { NetParams } from './types';

/** `std` a number: N(0, std²) (DCGAN uses 0.02); 'glorot': N(0, 2 / (fanIn + fanOut)), for the ResNets. */
export type InitStd = number | 'glorot';

export interface LinearOptions {
  spectral: boolean;
  /** Off before batch or instance norm, which subtract any per-channel bias anyway. */
  bias: boolean;
  std: InitStd;
  /** Equalized learning rate (ProGAN): the kernel starts N(0, 1) and is scaled by √(2 / fan-in) at every use. */
  equalized?: boolean;
}

/** He's constant of a layer with this fan-in: what an equalized kernel is multiplied by. */
export function equalizedScale(fanIn: number): number {
  return Math.sqrt(2 / fanIn);
}

/** Which axis of each kernel layout holds the output units (spectral norm keys u on it). */
export const OUT_AXIS = { dense: 1, conv: 3, convTranspose: 2 } as const;
export type LinearKind = keyof typeof OUT_AXIS;

export type Dense = (x: tf.Tensor2D, training: boolean) => tf.Tensor2D;
export type Conv = (x: tf.Tensor4D, training: boolean) => tf.Tensor4D;

/** The kernel variable, and a function giving the weight to use (W or W/σ). */
function addKernel(
  store: ParamStore,
  name: string,
  shape: number[],
  kind: LinearKind,
  fans: [number, number],
  opts: LinearOptions,
): (training: boolean) => tf.Tensor {
  const equalized = opts.equalized === true;
  const std = equalized ? 1 : opts.std === 'glorot' ? Math.sqrt(2 / (fans[0] + fans[1])) : opts.std;
  const kernel = store.addTrainable(`${name}/kernel`, shape, store.normals(`${name}/kernel`, shape, std));
  // Kept as state so export and the checkpoint know the constant: W/σ needs none (σ scales with c).
  const scale = equalized ? store.addState(`${name}/scale`, [], new Float32Array([equalizedScale(fans[0])])) : null;
  if (!opts.spectral) return scale === null ? () => kernel : () => tf.mul(kernel, scale);
  const out = spectralStateSize(shape, OUT_AXIS[kind]);
  const start = store.normals(`${name}/u`, [out], 1);
  const norm = Math.sqrt(start.reduce((acc, x) => acc + x * x, 0)) || 1;
  const u = store.addState(`${name}/u`, [1, out], start.map((x) => x / norm));
  return (training) => spectralNormalize(kernel, u, OUT_AXIS[kind], training);
}

function addBias(store: ParamStore, name: string, units: number, opts: LinearOptions): tf.Variable | null {
  return opts.bias ? store.addTrainable(`${name}/bias`, [units], filled(units, 0)) : null;
}

export function dense(store: ParamStore, name: string, inDim: number, outDim: number, opts: LinearOptions): Dense {
  const weight = addKernel(store, name, [inDim, outDim], 'dense', [inDim, outDim], opts);
  const bias = addBias(store, name, outDim, opts);
  return (x, training) => {
    const y: tf.Tensor2D = tf.matMul(x, weight(training) as tf.Tensor2D);
    return bias === null ? y : tf.add<tf.Tensor2D>(y, bias);
  };
}

/** k×k convolution, 'same' padding. */
export function conv(store: ParamStore, name: string, k: number, inCh: number, outCh: number, stride: number, opts: LinearOptions): Conv {
  const weight = addKernel(store, name, [k, k, inCh, outCh], 'conv', [k * k * inCh, k * k * outCh], opts);
  const bias = addBias(store, name, outCh, opts);
  return (x, training) => {
    const y = tf.conv2d(x, weight(training) as tf.Tensor4D, stride, 'same');
    return bias === null ? y : tf.add(y, bias);
  };
}

/** k×k transposed convolution that doubles the side ('same' padding, stride 2), DCGAN's up-sampling. */
export function convTranspose(store: ParamStore, name: string, k: number, inCh: number, outCh: number, opts: LinearOptions): Conv {
  const weight = addKernel(store, name, [k, k, outCh, inCh], 'convTranspose', [k * k * inCh, k * k * outCh], opts);
  const bias = addBias(store, name, outCh, opts);
  return (x, training) => {
    const [n = 0, h = 0, w = 0] = x.shape;
    const y = tf.conv2dTranspose(x, weight(training) as tf.Tensor4D, [n, h * 2, w * 2, outCh], 2, 'same');
    return bias === null ? y : tf.add(y, bias);
  };
}

/**
 * The weight a layer uses at inference: W, or W/σ when the net keeps a spectral-norm u for it.
 * Export bakes this in; it runs the same power step as inference and changes no state.
 */
export function inferenceKernel(params: NetParams, name: string, kind: LinearKind): tf.Tensor {
  const kernel = params.trainable.get(`${name}/kernel`);
  if (kernel === undefined) throw new Error(`no variable named ${name}/kernel`);
  const u = params.state.get(`${name}/u`);
  if (u !== undefined) return spectralNormalize(kernel, u, OUT_AXIS[kind], false);
  const scale = params.state.get(`${name}/scale`);
  return scale === undefined ? kernel.clone() : tf.mul(kernel, scale);
}
