/** The training loop's storage as files of the run folder: checkpoints through the CheckpointKeeper, sample grids as PNGs, a full disk as a reason to pause. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { diskFullReason, spaceShortage, stateBytes } from '../core/disk-space';
import type { CheckpointState } from '../engine/checkpoint-state';
import type { RunStorage, Written, WrittenCheckpoint, WrittenSample } from '../engine/loop/run-storage';
import type { SampleGrid } from '../engine/sample-grid';
import { readCheckpoint } from './checkpoint-files';
import { CheckpointKeeper } from './checkpoint-keeper';
import type { EvaluationLedger } from './evaluation-ledger';
import { writeSamplePng } from './sample-writer';

export class FileRunStorage implements RunStorage {
  private readonly checkpointsDir: string;
  private readonly samplesDir: string;
  private keeper: CheckpointKeeper | null = null;

  constructor(
    runDir: string,
    /** The run's evaluations as far as the host told them: what the keeper must not prune yet. */
    private readonly evaluations: EvaluationLedger,
  ) {
    this.checkpointsDir = join(runDir, 'checkpoints');
    this.samplesDir = join(runDir, 'samples');
  }

  async open(): Promise<{ resume: { step: number; state: CheckpointState } | null; warnings: string[] }> {
    await mkdir(this.samplesDir, { recursive: true });
    const keeper = CheckpointKeeper.open(this.checkpointsDir, this.evaluations);
    this.keeper = keeper;
    const warnings = keeper.findings.map((f) => f.message);
    const newest = keeper.newest();
    if (keeper.findings.some((f) => f.step !== null && f.step > (newest?.step ?? -1))) {
      warnings.push(`resuming ${newest ? `from step ${newest.step}, the newest checkpoint that verifies` : 'from step 0: no checkpoint verifies'}`);
    }
    return { resume: newest ? { step: newest.step, state: await readCheckpoint(newest.dir) } : null, warnings };
  }

  async writeCheckpoint(step: number, state: CheckpointState): Promise<Written<WrittenCheckpoint>> {
    const short = await spaceShortage(this.checkpointsDir, stateBytes(state), step);
    if (short !== null) return { ok: false, reason: short };
    try {
      return { ok: true, value: this.opened().write(step, state) };
    } catch (error) {
      const full = diskFullReason(error, step);
      if (full === null) throw error;
      return { ok: false, reason: full };
    }
  }

  removePruned(steps: readonly number[]): Promise<void> {
    this.opened().removePruned(steps);
    return Promise.resolve();
  }

  readCheckpoint(step: number): Promise<CheckpointState> {
    return readCheckpoint(join(this.checkpointsDir, String(step)));
  }

  /** `<step>.png`, and `<step>-raw.png` beside it when the raw G's grid is given. */
  async writeSample(step: number, grid: SampleGrid, raw: SampleGrid | null): Promise<Written<WrittenSample>> {
    const file = join(this.samplesDir, `${step}.png`);
    const rawFile = raw === null ? null : join(this.samplesDir, `${step}-raw.png`);
    try {
      await writeSamplePng(file, grid);
      if (raw !== null && rawFile !== null) await writeSamplePng(rawFile, raw);
      return { ok: true, value: { file, rawFile } };
    } catch (error) {
      const full = diskFullReason(error, step);
      if (full === null) throw error;
      return { ok: false, reason: full };
    }
  }

  private opened(): CheckpointKeeper {
    if (this.keeper === null) throw new Error('FileRunStorage.open() must come first');
    return this.keeper;
  }
}
