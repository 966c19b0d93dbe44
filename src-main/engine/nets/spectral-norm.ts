/** Spectral normalization (Miyato et al. 2018, "Spectral Normalization for GANs"): W / σ(W) by power iteration. */
import * as tf from '@tensorflow/tfjs';

const EPS = 1e-12;

/**
 * A leaf tensor sharing `t`'s data: the tape has no record linking it to `t`, so no gradient flows
 * through it. This is the paper's stop-gradient on u and v, at no copy cost (tfjs has no stopGradient op).
 */
export function detach<T extends tf.Tensor>(t: T): T {
  const copy = tf.engine().makeTensorFromTensorInfo({ dataId: t.dataId, shape: t.shape, dtype: t.dtype }) as T;
  // makeTensorFromTensorInfo tracks the tensor but does not count the shared data; this is Engine.incRef's second half.
  tf.backend().incRef(t.dataId);
  return copy;
}

function l2normalize(v: tf.Tensor2D): tf.Tensor2D {
  return tf.div(v, tf.add(tf.norm(v), EPS));
}

/** W as a [rest, out] matrix: σ is the same for a matrix and its transpose, so only `out`'s position matters. */
function asMatrix(w: tf.Tensor, outAxis: number): tf.Tensor2D {
  const rank = w.rank;
  const axis = outAxis < 0 ? rank + outAxis : outAxis;
  const out = w.shape[axis] ?? 1;
  if (axis === rank - 1) return tf.reshape(w, [-1, out]);
  const perm = [...Array.from({ length: rank }, (_, i) => i).filter((i) => i !== axis), axis];
  return tf.reshape(tf.transpose(w, perm), [-1, out]);
}

/** Size of the state vector u (one entry per output unit). */
export function spectralStateSize(shape: readonly number[], outAxis: number): number {
  const axis = outAxis < 0 ? shape.length + outAxis : outAxis;
  return shape[axis] ?? 1;
}

/**
 * One power-iteration step from the stored u [1, out]: v = Wu/‖Wu‖, u' = Wᵀv/‖Wᵀv‖, σ = vᵀWu'.
 * u and v are detached, so σ's gradient is v u'ᵀ as in the paper. In training u' is written back
 * (so σ tracks W across steps); inference runs the same step without storing it, so the two modes
 * give the same output from the same state.
 */
export function spectralNormalize(w: tf.Tensor, u: tf.Variable, outAxis: number, training: boolean): tf.Tensor {
  return tf.tidy(() => {
    const mat = asMatrix(w, outAxis);
    const frozen = detach(mat);
    // [1,out]·[rest,out]ᵀ -> [1,rest], then [1,rest]·[rest,out] -> [1,out].
    const v = l2normalize(tf.matMul(u, frozen, false, true));
    const uNext = l2normalize(tf.matMul(v, frozen));
    if (training) u.assign(uNext);
    // v and u' come from the detached copy only, so the tape sees σ as linear in W.
    const sigma = tf.sum(tf.mul(tf.matMul(v, mat), uNext));
    return tf.div(w, sigma);
  });
}
