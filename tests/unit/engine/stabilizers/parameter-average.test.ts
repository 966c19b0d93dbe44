/** Historical averaging: the running mean, its penalty and gradient, the swapped-in average D, and its state. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { ParameterAverage } from '../../../../src-main/engine/stabilizers/parameter-average';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function net(): { a: tf.Variable; b: tf.Variable; vars: Map<string, tf.Variable> } {
  const a = tf.variable(tf.zeros([2]));
  const b = tf.variable(tf.zeros([2, 2]));
  return { a, b, vars: new Map([['net/a', a], ['net/b', b]]) };
}

function fill(vars: Map<string, tf.Variable>, value: number): void {
  for (const v of vars.values()) v.assign(tf.fill(v.shape, value));
}

function num(t: tf.Tensor): number {
  const v = t.dataSync()[0] ?? Number.NaN;
  t.dispose();
  return v;
}

/** Averaged over values 1, 2, 3. */
function averagedOver123(): { a: tf.Variable; b: tf.Variable; vars: Map<string, tf.Variable>; avg: ParameterAverage } {
  const n = net();
  const avg = new ParameterAverage(n.vars);
  for (const value of [1, 2, 3]) {
    fill(n.vars, value);
    avg.update();
  }
  return { ...n, avg };
}

describe('ParameterAverage', () => {
  it('after updates with values 1, 2, 3 the average is 2 and the penalty is Σ(θ − 2)²', async () => {
    const { a, b, vars, avg } = averagedOver123();
    expect(avg.updates).toBe(3);
    // θ is 3 everywhere: six elements each (3 − 2)².
    expect(num(avg.penalty())).toBeCloseTo(6, 6);
    a.assign(tf.tensor1d([0, 5]));
    b.assign(tf.tensor2d([[2, 2], [1, -1]]));
    const expected = [0, 5, 2, 2, 1, -1].reduce((s, x) => s + (x - 2) ** 2, 0);
    expect(num(avg.penalty())).toBeCloseTo(expected, 5);
    const exported = await avg.exportState();
    expect(exported.meta).toEqual({ count: 3 });
    for (const t of exported.tensors) expect(Array.from(t.data)).toEqual(new Array(t.data.length).fill(2));
    avg.dispose();
    tf.dispose([...vars.values()]);
  });

  it('the penalty is 0 before any update, and its gradient is 2(θ − θ̄) with θ̄ constant', () => {
    const { a, b, vars, avg } = averagedOver123();
    expect(num(new ParameterAverage(vars).penalty())).toBe(0);
    a.assign(tf.tensor1d([0, 5]));
    const { value, grads } = tf.variableGrads(() => avg.penalty(), [a, b]);
    expect(Array.from(grads[a.name]?.dataSync() ?? [])).toEqual([-4, 6]);
    expect(Array.from(grads[b.name]?.dataSync() ?? [])).toEqual([2, 2, 2, 2]);
    tf.dispose([value, grads]);
    avg.dispose();
    tf.dispose([...vars.values()]);
  });

  it('withAveraged runs fn on θ̄ and restores θ afterwards, also when fn throws', () => {
    const { a, vars, avg } = averagedOver123();
    a.assign(tf.tensor1d([7, 8]));
    const inside = avg.withAveraged(() => Array.from(a.dataSync()));
    expect(inside).toEqual([2, 2]);
    expect(Array.from(a.dataSync())).toEqual([7, 8]);
    expect(() =>
      avg.withAveraged(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(Array.from(a.dataSync())).toEqual([7, 8]);
    avg.dispose();
    tf.dispose([...vars.values()]);
  });

  it("the article's reading: G's gradient flows through a D holding θ̄_D, and D keeps θ_D", () => {
    // D(x) = Σ d·x with d averaged to 2 but currently 3; G's output is x = g. ∂/∂g Σ d·g = d.
    const { a: d, vars, avg } = averagedOver123();
    const g = tf.variable(tf.tensor1d([0.5, -1]));
    const inner = tf.variableGrads(() => avg.withAveraged(() => tf.sum(tf.mul(d, g))) as tf.Scalar, [g]);
    const outer = avg.withAveraged(() => tf.variableGrads(() => tf.sum(tf.mul(d, g)), [g]));
    expect(Array.from(inner.grads[g.name]?.dataSync() ?? [])).toEqual([2, 2]);
    expect(Array.from(outer.grads[g.name]?.dataSync() ?? [])).toEqual([2, 2]);
    expect(inner.value.dataSync()[0]).toBeCloseTo(2 * -0.5, 6);
    expect(Array.from(d.dataSync())).toEqual([3, 3]);
    tf.dispose([inner.value, inner.grads, outer.value, outer.grads, g]);
    avg.dispose();
    tf.dispose([...vars.values()]);
  });

  it('export → import restores the average and count; a bad state changes nothing', async () => {
    const { vars, avg } = averagedOver123();
    const state = await avg.exportState('historyD');
    expect(state.tensors.map((t) => t.name).sort()).toEqual(['historyD/net/a', 'historyD/net/b']);
    const restored = new ParameterAverage(vars);
    restored.importState(state, 'historyD');
    expect(restored.updates).toBe(3);
    expect(num(restored.penalty())).toBeCloseTo(6, 6);
    fill(vars, 6);
    restored.update();
    // (1 + 2 + 3 + 6)/4 = 3.
    expect(restored.withAveraged(() => Array.from(vars.get('net/a')?.dataSync() ?? []))).toEqual([3, 3]);
    expect(() => restored.importState({ meta: { count: 3 }, tensors: state.tensors.slice(1) }, 'historyD')).toThrow(/no tensor/);
    expect(() => restored.importState({ meta: {}, tensors: [] })).toThrow(/count/);
    expect(restored.updates).toBe(4);
    avg.dispose();
    restored.dispose();
    tf.dispose([...vars.values()]);
  });

  it('leaks no tensors over repeated update, penalty and withAveraged', () => {
    const { a: d, vars, avg } = averagedOver123();
    const g = tf.variable(tf.tensor1d([1, 1]));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      avg.update();
      avg.penalty().dispose();
      avg.withAveraged(() => undefined);
      // The G step as the integrator would run it: D's forward inside the swap, under G's tape.
      const { value, grads } = tf.variableGrads(() => avg.withAveraged(() => tf.sum(tf.mul(d, g))) as tf.Scalar, [g]);
      tf.dispose([value, grads]);
    }
    expect(tf.memory().numTensors).toBe(before);
    avg.dispose();
    expect(tf.memory().numTensors).toBe(before - 2);
    tf.dispose([...vars.values(), g]);
  });
});
