/** Fixtures of the training loop tests: an in-memory storage port and a loop whose host answers every sync. */
import { reason } from '../../../../src-main/common/run-reasons';
import type { TrainerToHost } from '../../../../src-main/common/trainer-protocol';
import type { CheckpointState } from '../../../../src-main/engine/checkpoint-state';
import type { RunStorage, Written, WrittenCheckpoint, WrittenSample } from '../../../../src-main/engine/loop/run-storage';
import { TrainingLoop } from '../../../../src-main/engine/loop/training-loop';
import type { SampleGrid } from '../../../../src-main/engine/sample-grid';

/** Keeps checkpoints and grids in memory; `full` makes the next writes report a full disk. */
export class MemoryStorage implements RunStorage {
  readonly checkpoints = new Map<number, CheckpointState>();
  readonly samples = new Map<number, SampleGrid>();
  /** The raw G's grids written beside the samples (while the EMA warms up). */
  readonly rawSamples = new Map<number, SampleGrid>();
  fullWrites = 0;

  open(): ReturnType<RunStorage['open']> {
    const newest = Math.max(-1, ...this.checkpoints.keys());
    return Promise.resolve({ resume: newest < 0 ? null : { step: newest, state: this.checkpoints.get(newest)! }, warnings: [] });
  }
  writeCheckpoint(step: number, state: CheckpointState): Promise<Written<WrittenCheckpoint>> {
    if (this.fullWrites > 0) {
      this.fullWrites--;
      return Promise.resolve({ ok: false, reason: reason('NO_SPACE', 'no room', { step }) });
    }
    this.checkpoints.set(step, state);
    return Promise.resolve({ ok: true, value: { step, dir: `memory:${step}`, pruned: [] } });
  }
  removePruned(_steps: readonly number[]): Promise<void> {
    return Promise.resolve();
  }
  readCheckpoint(step: number) {
    return Promise.resolve(this.checkpoints.get(step)!);
  }
  writeSample(step: number, grid: SampleGrid, raw: SampleGrid | null): Promise<Written<WrittenSample>> {
    this.samples.set(step, grid);
    if (raw !== null) this.rawSamples.set(step, raw);
    return Promise.resolve({ ok: true, value: { file: `memory:${step}.png`, rawFile: raw === null ? null : `memory:${step}-raw.png` } });
  }
}

/** `react` sees each message as it is sent, before the loop goes on (to pause or stop it at a given point). */
export function harness(react?: (m: TrainerToHost, loop: TrainingLoop) => void) {
  const sent: TrainerToHost[] = [];
  const listeners: ((m: TrainerToHost) => void)[] = [];
  const loop: TrainingLoop = new TrainingLoop((m) => {
    sent.push(m);
    if (m.type === 'sync') queueMicrotask(() => loop.synced(m.id));
    react?.(m, loop);
    for (const l of listeners) l(m);
  });
  const next = (type: TrainerToHost['type']) =>
    new Promise<TrainerToHost>((resolve) => {
      const l = (m: TrainerToHost) => m.type === type && resolve(m);
      listeners.push(l);
    });
  return { sent, loop, next };
}
