/** The CheckpointKeeper on a real folder: the newest three plus the best survive pruning, through restarts, torn files and damage. */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CheckpointKeeper } from '../../../src-main/utility/checkpoint-keeper';
import { writeCheckpoint } from '../../../src-main/utility/checkpoint-files';
import { Rng } from '../../../src-main/common/rng';
import { fakeState, flipByte, tear, truncateTo, writeFormat1Checkpoint } from '../../fixtures/checkpoints';
import { tempDir } from '../../fixtures/workbench';

const G_LOSS = { key: 'g_loss', mode: 'min' } as const;

function stepsOnDisk(dir: string): number[] {
  return readdirSync(dir)
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .sort((a, b) => a - b);
}

function bestFile(dir: string): { step: number; value: number; keep?: number[] } {
  return JSON.parse(readFileSync(join(dir, 'best.json'), 'utf8')) as { step: number; value: number; keep?: number[] };
}

/** One checkpoint whose metric (mean of the observed values since the last one) is `value`. */
function checkpointAt(keeper: CheckpointKeeper, step: number, value: number) {
  keeper.observe({ g_loss: value + 0.5, d_loss: 1 });
  keeper.observe({ g_loss: value - 0.5, d_loss: 1 });
  const written = keeper.write(step, fakeState(step));
  // What the trainer does once the host has dropped the pruned rows.
  keeper.removePruned(written.pruned);
  return written;
}

describe('CheckpointKeeper', () => {
  for (const mode of ['min', 'max'] as const) {
    it(`never prunes the best (${mode}): 60 checkpoints of random metrics with restarts in between`, () => {
      const dir = tempDir('keeper');
      const metric = { key: 'g_loss', mode };
      const noise = new Rng(mode === 'min' ? 1 : 2, 0).normals(60);
      let keeper = CheckpointKeeper.open(dir, metric);
      let best: { step: number; value: number } | null = null;
      for (let i = 1; i <= 60; i++) {
        const step = i * 10;
        const value = Number(noise[i - 1]!.toFixed(4));
        const written = checkpointAt(keeper, step, value);
        const isBetter = best === null || (mode === 'min' ? value < best.value : value > best.value);
        if (isBetter) best = { step, value };
        expect(written.best).toBe(isBetter);
        expect(written.metric).toBeCloseTo(value, 9);
        const newest = Array.from({ length: Math.min(3, i) }, (_, k) => step - 10 * k);
        expect(stepsOnDisk(dir)).toEqual([...new Set([best!.step, ...newest])].sort((a, b) => a - b));
        for (const p of written.pruned) expect(existsSync(join(dir, String(p)))).toBe(false);
        expect(bestFile(dir)).toMatchObject({ step: best!.step });
        // A restart now and then: the keeper must come back with the same best.
        if (i % 7 === 0) {
          keeper = CheckpointKeeper.open(dir, metric);
          expect(keeper.findings).toEqual([]);
        }
      }
    });
  }

  it('names the steps it prunes but deletes their folders only when told (after the host dropped their rows)', () => {
    const dir = tempDir('keeper-prune');
    const keeper = CheckpointKeeper.open(dir, { key: 'g_loss', mode: 'min' });
    for (const step of [10, 20, 30]) keeper.removePruned(keeper.write(step, fakeState(step)).pruned);
    keeper.observe({ g_loss: 5 });
    const written = keeper.write(40, fakeState(40));
    expect(written.pruned).toEqual([10]);
    expect(stepsOnDisk(dir)).toEqual([10, 20, 30, 40]);
    // A kill here leaves whole folders without rows: a restarted keeper finds them good, and prunes them again.
    const reopened = CheckpointKeeper.open(dir, { key: 'g_loss', mode: 'min' });
    expect(reopened.findings).toEqual([]);
    keeper.removePruned(written.pruned);
    expect(stepsOnDisk(dir)).toEqual([20, 30, 40]);
  });

  it('recovers the best from the metrics checkpoints record when best.json is torn, and keeps it', () => {
    const dir = tempDir('keeper');
    let keeper = CheckpointKeeper.open(dir, G_LOSS);
    checkpointAt(keeper, 10, 2);
    checkpointAt(keeper, 20, 0.5); // the best
    for (const step of [30, 40, 50]) checkpointAt(keeper, step, 3);
    expect(stepsOnDisk(dir)).toEqual([20, 30, 40, 50]);
    tear(join(dir, 'best.json'));

    keeper = CheckpointKeeper.open(dir, G_LOSS);
    expect(keeper.findings).toEqual([
      { step: null, message: expect.stringMatching(/^best\.json is not valid JSON \(\d+ bytes; torn write\?\); the best checkpoint was recovered from the metrics the checkpoints record$/) },
    ]);
    expect(bestFile(dir)).toEqual({ step: 20, value: 0.5 });
    for (const step of [60, 70, 80, 90]) expect(checkpointAt(keeper, step, 4).pruned).not.toContain(20);
    expect(stepsOnDisk(dir)).toEqual([20, 70, 80, 90]);
  });

  it('finds a better checkpoint written just before a kill that never reached best.json', () => {
    const dir = tempDir('keeper');
    const keeper = CheckpointKeeper.open(dir, G_LOSS);
    checkpointAt(keeper, 10, 2);
    // The trainer died between renaming the checkpoint into place and updating best.json.
    writeCheckpoint(dir, 20, fakeState(20), { key: 'g_loss', value: 1 });
    expect(bestFile(dir)).toEqual({ step: 10, value: 2 });
    CheckpointKeeper.open(dir, G_LOSS);
    expect(bestFile(dir)).toEqual({ step: 20, value: 1 });
  });

  it('never prunes old checkpoints that could be the best when best.json is unreadable and they record no metric, across restarts', () => {
    const dir = tempDir('keeper');
    for (const step of [10, 20, 30, 40]) writeFormat1Checkpoint(dir, step, fakeState(step));
    // best.json as the old, non-atomic write left it when killed halfway.
    writeFileSync(join(dir, 'best.json'), '{"step":40,"val');

    let keeper = CheckpointKeeper.open(dir, G_LOSS);
    expect(keeper.findings.map((f) => f.message)).toEqual([
      'best.json is not valid JSON (15 bytes; torn write?), and checkpoints 10, 20, 30, 40 do not record their metric: any of them could be the best, so they are never pruned',
    ]);
    expect(keeper.newest()?.step).toBe(40);
    for (const step of [50, 60, 70, 80, 90]) checkpointAt(keeper, step, 100 - step);
    expect(stepsOnDisk(dir)).toEqual([10, 20, 30, 40, 70, 80, 90]);
    expect(bestFile(dir)).toEqual({ step: 90, value: 10, keep: [10, 20, 30, 40] });

    keeper = CheckpointKeeper.open(dir, G_LOSS);
    expect(keeper.findings).toEqual([]);
    checkpointAt(keeper, 100, 50);
    expect(stepsOnDisk(dir)).toEqual([10, 20, 30, 40, 80, 90, 100]);
  });

  it('skips damaged checkpoints, naming each and what is wrong, resumes from the newest that verifies, and prunes the damage', () => {
    const dir = tempDir('keeper');
    let keeper = CheckpointKeeper.open(dir, G_LOSS);
    for (const [step, value] of [[10, 1], [20, 2], [30, 3]] as const) checkpointAt(keeper, step, value);
    flipByte(join(dir, '30', 'tensors.bin'));
    truncateTo(join(dir, '20', 'tensors.bin'), 0.25);

    keeper = CheckpointKeeper.open(dir, G_LOSS);
    expect(keeper.newest()).toEqual({ step: 10, dir: join(dir, '10') });
    expect(keeper.findings).toEqual([
      { step: 20, message: expect.stringMatching(/^checkpoint at step 20 is damaged and will not be loaded: tensors\.bin has \d+ bytes, state\.json records \d+ \(truncated\)$/) },
      { step: 30, message: expect.stringMatching(/^checkpoint at step 30 is damaged and will not be loaded: tensors\.bin checksum mismatch/) },
    ]);
    // Training resumed from 10 writes 20 again, replacing the damaged folder; the damaged 30 goes at that prune.
    expect(checkpointAt(keeper, 20, 5).pruned).toEqual([30]);
    expect(stepsOnDisk(dir)).toEqual([10, 20]);
    expect(checkpointAt(keeper, 30, 5).pruned).toEqual([]);
    expect(checkpointAt(keeper, 40, 5).pruned).toEqual([]);
    expect(checkpointAt(keeper, 50, 5).pruned).toEqual([20]);
    expect(stepsOnDisk(dir)).toEqual([10, 30, 40, 50]);
    expect(CheckpointKeeper.open(dir, G_LOSS).findings).toEqual([]);
  });

  it('drops damaged checkpoints that nothing will overwrite at the next prune, and reports them as pruned', () => {
    const dir = tempDir('keeper');
    let keeper = CheckpointKeeper.open(dir, G_LOSS);
    for (const [step, value] of [[10, 1], [20, 2], [30, 3]] as const) checkpointAt(keeper, step, value);
    flipByte(join(dir, '30', 'tensors.bin'));
    keeper = CheckpointKeeper.open(dir, G_LOSS);
    expect(keeper.newest()?.step).toBe(20);
    // A fork-like restart at a different cadence: step 25 is written, 30 stays damaged until pruned.
    const written = checkpointAt(keeper, 25, 4);
    expect(written.pruned).toEqual([30]);
    expect(stepsOnDisk(dir)).toEqual([10, 20, 25]);
  });
});
