/** The storage port of the training loop: where a run's checkpoints and sample grids go. The trainer process answers it with files (utility/file-run-storage.ts); the engine writes none. */
import type { RunReason } from '../../common/run-reasons';
import type { CheckpointState } from '../checkpoint-state';
import type { SampleGrid } from '../sample-grid';

export interface WrittenCheckpoint {
  step: number;
  /** Where it was written, for the host's checkpoints table. */
  dir: string;
  /** Steps pruned (older than the newest few, not the best and not awaiting evaluation, or damaged): their rows go first, then removePruned deletes them. */
  pruned: number[];
}

/** Where a sample step's grids were written: the grid, and the raw G's grid beside it while the EMA warms up. */
export interface WrittenSample {
  file: string;
  rawFile: string | null;
}

/** A write the storage could not make for want of room: the loop pauses with this reason and tries again on resume. */
export type Written<T> = { ok: true; value: T } | { ok: false; reason: RunReason };

export interface RunStorage {
  /** The newest checkpoint that verifies (null: start from step 0), and what the run's log should say about damaged ones. */
  open(): Promise<{ resume: { step: number; state: CheckpointState } | null; warnings: string[] }>;
  writeCheckpoint(step: number, state: CheckpointState): Promise<Written<WrittenCheckpoint>>;
  /** Deletes the checkpoints a write pruned, once the host has stored that they are gone. */
  removePruned(steps: readonly number[]): Promise<void>;
  /** A checkpoint written before (to rewind after a NaN, or to rebuild after a GPU fault). */
  readCheckpoint(step: number): Promise<CheckpointState>;
  /** Writes the grid, and `raw` (the live G's grid, while the EMA warms up) beside it; returns where. */
  writeSample(step: number, grid: SampleGrid, raw: SampleGrid | null): Promise<Written<WrittenSample>>;
}
