/** Seeded, named tf.Variables for a functional net: every variable draws from its own stream of the run seed. */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../common/rng';
import type { NetParams } from './types';

/** FNV-1a: a variable's stream depends on its name only, so adding a layer never shifts the others' weights. */
function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export class ParamStore implements NetParams {
  readonly trainable = new Map<string, tf.Variable>();
  readonly state = new Map<string, tf.Variable>();

  /** `scope` ('generator', 'discriminator') keeps G and D from drawing the same numbers. */
  constructor(
    private readonly seed: number,
    private readonly scope: string,
  ) {}

  /** Values ~ N(mean, std²) from this name's own stream. */
  normals(name: string, shape: number[], std: number, mean = 0): Float32Array {
    const values = new Rng(this.seed, hashName(`${this.scope}/${name}`)).normals(tf.util.sizeFromShape(shape));
    for (let i = 0; i < values.length; i++) values[i] = mean + std * (values[i] ?? 0);
    return values;
  }

  /** A trainable variable. tfjs names must be globally unique, so the stable name is only our map key. */
  addTrainable(name: string, shape: number[], values: Float32Array): tf.Variable {
    return this.add(this.trainable, name, shape, values, true);
  }

  addState(name: string, shape: number[], values: Float32Array): tf.Variable {
    return this.add(this.state, name, shape, values, false);
  }

  dispose(): void {
    for (const v of [...this.trainable.values(), ...this.state.values()]) v.dispose();
    this.trainable.clear();
    this.state.clear();
  }

  private add(into: Map<string, tf.Variable>, name: string, shape: number[], values: Float32Array, trainable: boolean): tf.Variable {
    if (this.trainable.has(name) || this.state.has(name)) throw new Error(`duplicate variable name ${name}`);
    const variable = tf.tidy(() => tf.variable(tf.tensor(values, shape, 'float32'), trainable));
    into.set(name, variable);
    return variable;
  }
}

/** Looks a variable up by stable name, failing loudly: a missing name means the nets and their user disagree. */
export function requireVariable(map: ReadonlyMap<string, tf.Variable>, name: string): tf.Variable {
  const v = map.get(name);
  if (v === undefined) throw new Error(`no variable named ${name}`);
  return v;
}

export function filled(count: number, value: number): Float32Array {
  return new Float32Array(count).fill(value);
}
