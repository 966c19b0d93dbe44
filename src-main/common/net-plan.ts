/** The shape plan of the GAN networks, shared by the engine's nets and the model-size estimate: resolution steps, channel widths, norms. */
import type { Norm, TrainingConfig } from './training-config';

/** Statistics-based norm layers (spectral norm is a property of the weights instead). */
export type NormKind = 'none' | 'batch' | 'layer' | 'instance';

export interface NetPlan {
  /** Side of the Generator's first feature map, and of the Discriminator's last. */
  startSide: number;
  /** Number of ×2 up-blocks in G, and of ÷2 down-blocks in D. */
  blocks: number;
}

/** Widths double per step away from the image up to this multiple, as in DCGAN's 64-128-256-512. */
const MAX_WIDTH_MULTIPLIER = 8;
const MIN_START = 3;
const MAX_START = 8;

function startSideFor(size: number, blocks: number): number | null {
  const side = size / 2 ** blocks;
  return Number.isInteger(side) && side >= MIN_START && side <= MAX_START ? side : null;
}

/** Every depth the size allows, shallowest first (for error messages and the editor). */
export function allowedDepths(size: number): number[] {
  const out: number[] = [];
  for (let k = 1; size / 2 ** k >= MIN_START; k++) if (startSideFor(size, k) !== null) out.push(k);
  return out;
}

/**
 * `depth` null picks the most blocks (smallest start side, as planDcgan does: 28 starts at 7,
 * 32 and 64 at 4); otherwise exactly `depth` blocks, refused when size / 2^depth is not an
 * integer from 3 to 8 (the dense projection would be tiny or huge).
 */
export function planNet(size: number, depth: number | null): NetPlan {
  const allowed = allowedDepths(size);
  const deepest = allowed[allowed.length - 1];
  if (deepest === undefined) {
    throw new Error(`image size ${size} is not supported: size / 2^k must be an integer from 3 to 8 (e.g. 16, 28, 32, 64, 128)`);
  }
  const blocks = depth ?? deepest;
  const startSide = startSideFor(size, blocks);
  if (startSide === null) {
    throw new Error(`depth ${blocks} does not fit image size ${size}: size / 2^depth must be an integer from 3 to 8; allowed depths: ${allowed.join(', ')}`);
  }
  return { startSide, blocks };
}

/**
 * Feature matching's layer must name a D block at this image size: 0 (the last hidden features) up
 * to the plan's block count. The message when it does not (null when it does); the caller has
 * already checked that the size and depth plan at all.
 */
export function featureLayerProblem(layer: number, size: number, depth: number | null): string | null {
  const { blocks } = planNet(size, depth);
  if (Number.isInteger(layer) && layer >= 0 && layer <= blocks) return null;
  return `config.stabilizers.featureMatching.layer is ${layer}, but D has ${blocks} blocks at image size ${size}${depth === null ? '' : ` with model.depth ${depth}`}: the maximum is ${blocks} (0 = the last hidden features)`;
}

/** Channels of a feature map `stepsFromImage` halvings away from the image (1 = half resolution gets `width`). */
export function widthAt(width: number, stepsFromImage: number): number {
  return width * Math.min(2 ** Math.max(stepsFromImage - 1, 0), MAX_WIDTH_MULTIPLIER);
}

/** How one network normalizes: statistics-based norm layers, and/or spectral norm on every weight. */
export interface NetNorm {
  kind: NormKind;
  spectral: boolean;
  /** ≥ 2 when the norm layers are class-conditional (G's cbn), else 0. */
  numClasses: number;
}

/**
 * Spectral norm replaces norm layers. Conditional BN (cbn) needs normalized activations to modulate,
 * so with none or spectral it brings batch statistics, as BigGAN pairs spectral norm with
 * conditional BN; with layer or instance norm the per-class γ/β modulate those instead.
 */
export function resolveNorm(choice: Norm, conditionalClasses: number): NetNorm {
  const spectral = choice === 'spectral';
  const base: NormKind = choice === 'spectral' ? 'none' : choice;
  const kind: NormKind = conditionalClasses >= 2 && base === 'none' ? 'batch' : base;
  return { kind, spectral, numClasses: conditionalClasses >= 2 ? conditionalClasses : 0 };
}

/** Batch and instance norm subtract a per-channel mean, so a bias right before them is dead weight. */
export function biasBefore(kind: NormKind): boolean {
  return kind !== 'batch' && kind !== 'instance';
}

/**
 * Whether D has layers that describe the whole batch it sees (batch norm, minibatch stddev or
 * discrimination): then reals and fakes must go through it in separate calls.
 */
export function batchLevelD(model: TrainingConfig['model']): boolean {
  return model.dNorm === 'batch' || model.minibatchStddev || model.minibatchDiscrimination.enabled;
}
