/** Where each variable of a grown DCGAN came from in its parent, and how its axes line up: the naming rules of nets/dcgan.ts read backwards. */
import { planNet } from '../../common/net-plan';
import type { TrainingConfig } from '../../common/training-config';
import { fromImageAt, toImageAt } from '../nets/dcgan';

/** The networks on either side of a Grow: a config and the image size it trains at. */
export interface NetSide {
  config: TrainingConfig;
  size: number;
}

/**
 * How one axis of a variable is read when it widens:
 * - `out`: the layer's output units; new ones are freshly initialized;
 * - `in`: the units it reads; new ones get zero weights, so they change nothing until trained;
 * - `fixed`: must match (kernel taps, classes).
 * `groups` splits the axis into equal groups with the units innermost (a flattened [s, s, C] map);
 * `tail` counts trailing entries outside the groups (the minibatch-stddev map, minibatch discrimination's features).
 */
export interface AxisLayout {
  role: 'in' | 'out' | 'fixed';
  groups: number;
  tail: number;
}

export interface VariableOrigin {
  /** The parent's variable, without the `generator/` or `discriminator/` prefix; null when nothing of the parent does this job. */
  from: string | null;
  /** The axes in the grown variable, and in the parent's. */
  layout: AxisLayout[];
  parentLayout: AxisLayout[];
}

const FIXED: AxisLayout = { role: 'fixed', groups: 1, tail: 0 };
const axis = (role: AxisLayout['role'], groups = 1, tail = 0): AxisLayout => ({ role, groups, tail });

function plan(side: NetSide): { startSide: number; blocks: number } {
  return planNet(side.size, side.config.model.depth);
}

/** Which G variable of the parent a grown G variable continues. */
function generatorSource(name: string, parent: NetSide, grown: NetSide): string | null {
  const p = plan(parent);
  const g = plan(grown);
  const [layer = '', ...rest] = name.split('/');
  const tail = rest.join('/');
  const added = g.blocks - p.blocks;
  if (g.startSide === p.startSide) {
    if (added === 0) return name;
    // Larger images: the parent's full-size output layer is now the output at its side; the blocks past it are new.
    if (layer === toImageAt(parent.size)) return `toImage/${tail}`;
    if (layer === 'toImage') return null;
    const up = /^block(\d+)$/.exec(layer);
    return up !== null && Number(up[1]) >= p.blocks ? null : name;
  }
  // Deeper at the same size: new blocks at the low-resolution end renumber the parent's.
  if (layer === 'project') return null;
  const block = /^block(\d+)$/.exec(layer);
  if (block !== null) {
    const i = Number(block[1]) - added;
    return i >= 1 ? `block${i}/${tail}` : null;
  }
  return name;
}

/** Which D variable of the parent a grown D variable continues. */
function discriminatorSource(name: string, parent: NetSide, grown: NetSide): string | null {
  const p = plan(parent);
  const g = plan(grown);
  const [layer = '', ...rest] = name.split('/');
  const tail = rest.join('/');
  if (g.startSide !== p.startSide) {
    // Deeper: D's blocks are numbered from the image, so they keep their names; its output reads a smaller map.
    if (layer === 'output' || layer === 'projection' || layer === 'acgan' || layer === 'minibatchDiscrimination') return null;
    return name;
  }
  const added = g.blocks - p.blocks;
  if (added === 0) return name;
  // Larger images: the parent's first conv read its full-size images, as fromImage@<its side> does now.
  if (layer === fromImageAt(parent.size)) return `block1/conv/${tail}`;
  const block = /^block(\d+)$/.exec(layer);
  if (block !== null) {
    const j = Number(block[1]) - added;
    return j >= 2 ? `block${j}/${tail}` : null;
  }
  return name;
}

/** Whether a G layer is a transposed conv (kernel [k, k, out, in]), a dense layer or a conv. */
function kernelAxes(net: 'generator' | 'discriminator', layer: string, side: NetSide, shapeRank: number, lastConv: (layer: string) => boolean): AxisLayout[] {
  const { startSide } = plan(side);
  const flat = startSide * startSide;
  const mbd = side.config.model.minibatchDiscrimination;
  const mbdTail = mbd.enabled ? mbd.kernels : 0;
  if (shapeRank === 4) {
    if (net === 'generator') return [FIXED, FIXED, axis('out'), axis('in')];
    return [FIXED, FIXED, axis('in', 1, side.config.model.minibatchStddev && lastConv(layer) ? 1 : 0), axis('out')];
  }
  if (net === 'generator') {
    if (layer === 'project') return [axis('in'), axis('out', flat)];
    return [FIXED, axis('out')];
  }
  if (layer === 'output' || layer === 'acgan') return [axis('in', flat, mbdTail), axis(layer === 'acgan' ? 'fixed' : 'out')];
  if (layer === 'projection') return [FIXED, axis('in', flat)];
  return [axis('in', flat), FIXED];
}

/** The layout of any variable of a DCGAN by its name and rank. */
function layoutOf(net: 'generator' | 'discriminator', name: string, rank: number, side: NetSide): AxisLayout[] {
  const parts = name.split('/');
  const layer = parts[0] ?? '';
  const leaf = parts[parts.length - 1] ?? '';
  const { startSide, blocks } = plan(side);
  const flat = startSide * startSide;
  // D's last conv: block k, or the input layer at the smallest side when that side is the only one left.
  const lastConv = (l: string): boolean => l === `block${blocks}` || l === fromImageAt(startSide * 2);
  if (leaf === 'kernel') return kernelAxes(net, layer, side, rank, lastConv);
  if (leaf === 'T') return [axis('in', flat), FIXED];
  if (leaf === 'scale') return [];
  if (leaf === 'u') return [FIXED, axis('out', layer === 'project' ? flat : 1)];
  if (leaf === 'bias' && layer === 'project') return [axis('out', flat)];
  // Biases, norm γ/β (per class: [K, C]) and batch-norm statistics: one entry per output unit.
  return rank === 2 ? [FIXED, axis('out')] : [axis('out')];
}

export function originOf(net: 'generator' | 'discriminator', name: string, rank: number, parent: NetSide, grown: NetSide): VariableOrigin {
  const from = net === 'generator' ? generatorSource(name, parent, grown) : discriminatorSource(name, parent, grown);
  return { from, layout: layoutOf(net, name, rank, grown), parentLayout: from === null ? [] : layoutOf(net, from, rank, parent) };
}
