/** Carries a parent checkpoint's trained weights into a grown session's networks: kept where the shape is the same, widened where it grew, fresh where nothing fits; and says which. */
import * as tf from '@tensorflow/tfjs';
import type { GrowWeight } from '../../common/grow';
import type { CheckpointState, CheckpointTensor } from '../checkpoint-state';
import type { NetParams } from '../nets';
import { sameShape } from '../stabilizers/slot-state';
import { originOf, type AxisLayout, type NetSide } from './name-map';

export interface Transplant {
  weights: GrowWeight[];
  dropped: string[];
  copiedValues: number;
  totalValues: number;
}

/** For each index along a grown axis, the parent's index, or -1 for a new unit. Null when the parent's axis does not fit inside. */
function axisMap(dst: number, src: number, grown: AxisLayout, parent: AxisLayout): Int32Array | null {
  if (grown.role === 'fixed' || parent.role === 'fixed') {
    return dst === src ? Int32Array.from({ length: dst }, (_, i) => i) : null;
  }
  const dMain = dst - grown.tail;
  const sMain = src - parent.tail;
  if (grown.groups !== parent.groups || dMain % grown.groups !== 0 || sMain % parent.groups !== 0) return null;
  const dc = dMain / grown.groups;
  const sc = sMain / parent.groups;
  if (sc > dc) return null;
  const out = new Int32Array(dst);
  for (let i = 0; i < dst; i++) {
    if (i >= dMain) {
      // The tail (stddev map, minibatch features) maps onto the parent's tail, when it had one.
      const t = i - dMain;
      out[i] = t < parent.tail ? sMain + t : -1;
    } else {
      const g = Math.floor(i / dc);
      const c = i % dc;
      out[i] = c < sc ? g * sc + c : -1;
    }
  }
  return out;
}

function describeWidening(shape: readonly number[], from: readonly number[], layout: AxisLayout[]): string {
  const grew = layout.map((a, i) => (shape[i] !== from[i] ? `${a.role === 'in' ? 'inputs' : 'outputs'} ${from[i]} → ${shape[i]}` : null)).filter((x) => x !== null);
  const zeros = layout.some((a, i) => a.role === 'in' && shape[i] !== from[i]);
  return `${grew.join(', ')}: the parent's values in the leading part${layout.some((a) => a.groups > 1) ? ' of each position' : ''}; new outputs freshly initialized${zeros ? ', weights from new inputs zero (the parent’s function is unchanged)' : ''}`;
}

/**
 * The parent's values placed into `current` (the grown net's fresh initial values): entries the
 * parent has are copied (times `rescale`), new outputs keep their fresh values, and weights that
 * read a new input unit are zero.
 */
function widen(current: Float32Array, shape: readonly number[], parent: CheckpointTensor, maps: Int32Array[], layout: AxisLayout[], rescale: number): Float32Array {
  const out = new Float32Array(current.length);
  const rank = shape.length;
  const srcStrides = new Array<number>(rank).fill(1);
  for (let a = rank - 2; a >= 0; a--) srcStrides[a] = (srcStrides[a + 1] ?? 1) * (parent.shape[a + 1] ?? 1);
  const index = new Array<number>(rank).fill(0);
  for (let flat = 0; flat < out.length; flat++) {
    let src = 0;
    let fresh = false;
    let zero = false;
    for (let a = 0; a < rank; a++) {
      const s = maps[a]![index[a]!]!;
      if (s < 0) {
        fresh = true;
        if (layout[a]!.role === 'in') zero = true;
      } else src += s * srcStrides[a]!;
    }
    out[flat] = zero ? 0 : fresh ? current[flat]! : (parent.data[src] as number) * rescale;
    for (let a = rank - 1; a >= 0; a--) {
      index[a] = index[a]! + 1;
      if (index[a]! < shape[a]!) break;
      index[a] = 0;
    }
  }
  return out;
}

/** Weights an equalized kernel was trained with are c·W: keep c·W when c changes with the fan-in. */
function equalizedRescale(net: NetParams, name: string, byName: Map<string, CheckpointTensor>, parentName: string, prefix: string): number {
  if (!name.endsWith('/kernel')) return 1;
  const scale = net.state.get(name.replace(/kernel$/, 'scale'));
  const parentScale = byName.get(`${prefix}/${parentName.replace(/kernel$/, 'scale')}`);
  if (scale === undefined || parentScale === undefined) return 1;
  return (parentScale.data[0] as number) / (scale.dataSync()[0] as number);
}

/**
 * Writes the parent's weights into G and D (`nets`, freshly built for the grown config) and
 * returns what happened to every variable. Optimizer moments, EMA and averages are not carried:
 * the grown run starts them afresh from these weights.
 */
export function transplant(parentState: CheckpointState, parent: NetSide, grown: NetSide, nets: { generator: NetParams; discriminator: NetParams }): Transplant {
  const byName = new Map(parentState.tensors.map((t) => [t.name, t]));
  const used = new Set<string>();
  const weights: GrowWeight[] = [];
  let copiedValues = 0;
  let totalValues = 0;
  const writes: [tf.Variable, Float32Array][] = [];
  for (const [prefix, net] of Object.entries(nets) as ['generator' | 'discriminator', NetParams][]) {
    for (const [name, variable] of [...net.trainable, ...net.state]) {
      const trainable = net.trainable.has(name);
      const shape = variable.shape;
      const size = variable.size;
      if (trainable) totalValues += size;
      const full = `${prefix}/${name}`;
      if (name.endsWith('/scale')) continue;
      const origin = originOf(prefix, name, shape.length, parent, grown);
      const stored = origin.from === null ? undefined : byName.get(`${prefix}/${origin.from}`);
      const report = (fate: GrowWeight['fate'], how: string): void => {
        if (trainable) weights.push({ name: full, shape: [...shape], fate, from: fate === 'new' ? null : `${prefix}/${origin.from}`, fromShape: fate === 'new' || stored === undefined ? null : [...stored.shape], how });
      };
      if (stored === undefined) {
        report('new', origin.from === null ? 'no layer of the parent does this job: freshly initialized' : `the parent has no ${origin.from}: freshly initialized`);
        continue;
      }
      const maps = shape.map((d, a) => axisMap(d, stored.shape[a] ?? -1, origin.layout[a]!, origin.parentLayout[a]!));
      if (stored.shape.length !== shape.length || maps.some((m) => m === null)) {
        report('new', `the parent's ${origin.from} [${stored.shape.join(', ')}] does not fit inside [${shape.join(', ')}]: freshly initialized`);
        continue;
      }
      used.add(stored.name);
      const rescale = equalizedRescale(net, name, byName, origin.from!, prefix);
      const current = variable.dataSync() as Float32Array;
      const kept = sameShape(shape, stored.shape);
      const values = widen(current, shape, stored, maps as Int32Array[], origin.layout, rescale);
      writes.push([variable, values]);
      if (trainable) copiedValues += stored.data.length;
      report(kept ? 'kept' : 'widened', kept ? (rescale === 1 ? 'copied as it was' : `copied, rescaled by ${rescale.toFixed(4)} for the equalized learning rate`) : describeWidening(shape, stored.shape, origin.layout));
    }
  }
  tf.tidy(() => {
    for (const [variable, values] of writes) variable.assign(tf.tensor(values, variable.shape, 'float32'));
  });
  // Scale constants and optimizer, EMA and average slots are not weights the grown nets lack.
  const dropped = parentState.tensors
    .map((t) => t.name)
    .filter((n) => (n.startsWith('generator/') || n.startsWith('discriminator/')) && !n.endsWith('/scale') && !used.has(n));
  return { weights, dropped, copiedValues, totalValues };
}
