/** The independent, seeded random streams of a run: each draw has its own stream, so turning one technique on never shifts another's numbers. */
import { isRngSnapshot, Rng, type RngSnapshot } from '../../common/rng';

/**
 * Stream numbers of Rng(seed, stream). 3 is the fixed sample-grid noise (utility/generate-job.ts
 * reproduces it); it is derived from the seed, never advanced, so it is not part of the state.
 */
export const STREAM_IDS = {
  batches: 1,
  noise: 2,
  labels: 4,
  augment: 5,
  diffAugment: 6,
  instanceNoise: 7,
  gpEpsilon: 8,
  smoothing: 9,
} as const;
export const SAMPLE_GRID_STREAM = 3;
/** The redraws of ψ-truncation (common/truncation.ts) when rendering on demand or exporting: derived from the seed, never advanced. */
export const TRUNCATION_STREAM = 10;

export type StreamName = keyof typeof STREAM_IDS;
export type Streams = Record<StreamName, Rng>;
export type StreamSnapshots = Record<StreamName, RngSnapshot>;

const NAMES = Object.keys(STREAM_IDS) as StreamName[];

export function createStreams(seed: number): Streams {
  return Object.fromEntries(NAMES.map((name) => [name, new Rng(seed, STREAM_IDS[name])])) as Streams;
}

export function snapshotStreams(streams: Streams): StreamSnapshots {
  return Object.fromEntries(NAMES.map((name) => [name, streams[name].getState()])) as StreamSnapshots;
}

/** Checks every stream of a stored state (as read back from JSON) before any is set. */
export function parseStreamSnapshots(value: unknown): StreamSnapshots {
  if (typeof value !== 'object' || value === null) throw new Error('checkpoint has no RNG states');
  const stored = value as Record<string, unknown>;
  for (const name of NAMES) {
    if (!isRngSnapshot(stored[name])) throw new Error(`checkpoint RNG state "${name}" is missing or malformed`);
  }
  return Object.fromEntries(NAMES.map((name) => [name, stored[name]])) as StreamSnapshots;
}

export function restoreStreams(streams: Streams, snapshots: StreamSnapshots): void {
  for (const name of NAMES) streams[name].setState(snapshots[name]);
}

/** n uniform draws in [0, 1). */
export function uniforms(rng: Rng, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.nextFloat();
  return out;
}

/** n class labels uniform over [0, k). */
export function uniformLabels(rng: Rng, n: number, k: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.nextInt(k);
  return out;
}
