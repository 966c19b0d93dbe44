/** Critic regularizers: WGAN-GP gradient penalty (Gulrajani et al. 2017), R1 (Mescheder et al. 2018), WGAN weight clipping (Arjovsky et al. 2017). */
import * as tf from '@tensorflow/tfjs';

/**
 * A per-sample critic: output i must depend on input i only. That is what lets one gradient of
 * Σ_i D(x_i) give every sample's own ∇x D(x_i); batch norm, minibatch stddev or minibatch
 * discrimination in the critic mix samples and make these penalties wrong (WGAN-GP paper, §4).
 */
export type Critic = (x: tf.Tensor4D) => tf.Tensor1D;

/**
 * Keeps sqrt differentiable at 0: d√s/ds is infinite there, which would turn an exactly-zero
 * input gradient into NaN. Far below float32 resolution of any norm that matters.
 */
const NORM_FLOOR = 1e-16;

/**
 * ∇x Σ_i D(x_i), per sample. tf.grad runs inside the caller's tape, so the result stays
 * differentiable with respect to the critic's variables (the second-order gradient these
 * penalties need). A critic using tf.leakyRelu differentiates through the `Greater` kernel, whose
 * gradient tfjs-core 4.22 lacks: registerSecondOrderGradients() in nets/second-order.ts supplies it
 * (buildDiscriminator calls it; a hand-written critic must call it once first).
 */
function inputGradient(critic: Critic, x: tf.Tensor4D): tf.Tensor4D {
  return tf.grad((input: tf.Tensor) => tf.sum(critic(input as tf.Tensor4D)))(x) as tf.Tensor4D;
}

function assertSameShape(a: tf.Tensor, b: tf.Tensor, what: string): void {
  if (a.rank !== b.rank || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new Error(`${what}: shapes [${a.shape.join(',')}] and [${b.shape.join(',')}] differ`);
  }
}

/**
 * E[(‖∇x̂ D(x̂)‖₂ − 1)²] on x̂ = ε·x + (1 − ε)·G(z), the norm taken per sample over all of its
 * pixels and channels. `epsilon` is [N,1,1,1] with values in [0, 1] (uniform in the paper), passed
 * in so the caller draws it from its seeded stream. Unweighted: the caller multiplies by λ.
 * Call it inside the critic's variableGrads so the penalty's gradient reaches the critic.
 */
export function gradientPenalty(critic: Critic, real: tf.Tensor4D, fake: tf.Tensor4D, epsilon: tf.Tensor4D): tf.Scalar {
  assertSameShape(real, fake, 'gradientPenalty real and fake');
  if (epsilon.rank !== 4 || epsilon.shape[0] !== real.shape[0] || epsilon.shape.slice(1).some((d) => d !== 1)) {
    throw new Error(`gradientPenalty epsilon must be [${real.shape[0]},1,1,1], got [${epsilon.shape.join(',')}]`);
  }
  return tf.tidy(() => {
    const interpolated = tf.add(tf.mul(epsilon, real), tf.mul(tf.sub(1, epsilon), fake)) as tf.Tensor4D;
    const grad = inputGradient(critic, interpolated);
    const norms = tf.sqrt(tf.add(tf.sum(tf.square(grad), [1, 2, 3]), NORM_FLOOR));
    return tf.mean(tf.square(tf.sub(norms, 1)));
  }) as tf.Scalar;
}

/**
 * E‖∇x D(x)‖² on real samples only: pushes the critic's gradient to zero on the data, which makes
 * the game locally convergent. Unweighted: the caller multiplies by γ/2.
 */
export function r1Penalty(critic: Critic, real: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => {
    const grad = inputGradient(critic, real);
    return tf.mean(tf.sum(tf.square(grad), [1, 2, 3]));
  }) as tf.Scalar;
}

/**
 * Clamps every value of every variable to [−c, c] in place: WGAN's crude way to keep the critic
 * K-Lipschitz. Run after each critic update.
 */
export function clipWeights(vars: Iterable<tf.Variable>, c: number): void {
  if (!(c > 0) || !Number.isFinite(c)) throw new Error(`clip value must be a positive number, got ${c}`);
  tf.tidy(() => {
    for (const v of vars) v.assign(tf.clipByValue(v, -c, c));
  });
}
