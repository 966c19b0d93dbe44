/** Conv2DBackpropFilter for the wasm backend, computed as a dilated convolution on wasm's own kernels. */
import * as tf from '@tensorflow/tfjs';
import { disposeInfos, runWasmKernel, type KernelArgs } from './wasm-compose';

/**
 * dW[kh,kw,ci,co] = sum over n,ho,wo of x[n, ho*s+kh-pt, wo*s+kw-pl, ci] * dy[n,ho,wo,co].
 * Read with the batch as the channel axis, that is a stride-1 convolution of x^T [Ci,H,W,N] with
 * dy^T [Ho,Wo,N,Co] used as a filter dilated by the stride, so XNNPACK does the heavy lifting.
 */
export function conv2DBackpropFilterWasm(args: KernelArgs): tf.TensorInfo {
  const { inputs, attrs } = args;
  const backend = args.backend as tf.KernelBackend;
  const x = inputs['x'];
  const dy = inputs['dy'];
  if (x === undefined || dy === undefined) throw new Error('Conv2DBackpropFilter needs x and dy');
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const format = tf.backend_util.convertConv2DDataFormat(dataFormat);
  if (format !== 'channelsLast') throw new Error('wasm Conv2DBackpropFilter supports NHWC only');
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    format,
  );
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
  const { inHeight, inWidth, outHeight, outWidth, inChannels, batchSize } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  // Rows past the last window are never read; a negative far pad means crop them off.
  const padBottom = kh + (outHeight - 1) * sh - inHeight - padTop;
  const padRight = kw + (outWidth - 1) * sw - inWidth - padLeft;
  const temps: tf.TensorInfo[] = [];
  try {
    let xs = x;
    if (padBottom < 0 || padRight < 0) {
      const h = inHeight + Math.min(0, padBottom);
      const w = inWidth + Math.min(0, padRight);
      xs = runWasmKernel('Slice', { x }, { begin: [0, 0, 0, 0], size: [batchSize, h, w, inChannels] }, backend);
      temps.push(xs);
    }
    const xT = runWasmKernel('Transpose', { x: xs }, { perm: [3, 1, 2, 0] }, backend);
    temps.push(xT);
    const dyT = runWasmKernel('Transpose', { x: dy }, { perm: [1, 2, 0, 3] }, backend);
    temps.push(dyT);
    const explicit: tf.backend_util.ExplicitPadding = [
      [0, 0],
      [padTop, Math.max(0, padBottom)],
      [padLeft, Math.max(0, padRight)],
      [0, 0],
    ];
    const grad = runWasmKernel(
      'Conv2D',
      { x: xT, filter: dyT },
      { strides: [1, 1], pad: explicit, dataFormat: 'NHWC', dilations: [sh, sw] },
      backend,
    );
    temps.push(grad);
    return runWasmKernel('Transpose', { x: grad }, { perm: [1, 2, 0, 3] }, backend);
  } finally {
    disposeInfos(backend, temps);
  }
}
