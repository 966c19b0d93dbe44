/** The CheckpointKeeper on a real folder: the newest three, the lowest KID and every checkpoint awaiting evaluation survive pruning, through restarts and damage. */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CheckpointKeeper } from '../../../src-main/utility/checkpoint-keeper';
import { EvaluationLedger } from '../../../src-main/utility/evaluation-ledger';
import { Rng } from '../../../src-main/common/rng';
import { chooseBest } from '../../../src-main/common/quality';
import { fakeState, flipByte, truncateTo, writeFormat1Checkpoint } from '../../fixtures/checkpoints';
import { tempDir } from '../../fixtures/workbench';

/** Checkpoints every 10 steps; evaluation every `every`-th of them (0: off). */
const cadence = (every: number) => ({ evaluation: { everyCheckpoints: every, n: 500 }, intervals: { metricsEvery: 1, sampleEvery: 10, checkpointEvery: 10 } });
const noEvaluation = () => new EvaluationLedger(cadence(0));

function stepsOnDisk(dir: string): number[] {
  return readdirSync(dir)
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .sort((a, b) => a - b);
}

function checkpointAt(keeper: CheckpointKeeper, step: number) {
  const written = keeper.write(step, fakeState(step));
  // What the trainer does once the host has dropped the pruned rows.
  keeper.removePruned(written.pruned);
  return written;
}

describe('CheckpointKeeper', () => {
  it('never prunes the lowest KID nor a checkpoint awaiting its evaluation: 60 checkpoints, results arriving late, restarts in between', () => {
    const dir = tempDir('keeper');
    const config = cadence(2);
    const kids = new Rng(1, 0).normals(60).map((v) => Number(Math.abs(v).toFixed(4)));
    /** What the host knows: evaluations it stored, and the ones it has not finished (due, reported two checkpoints later). */
    const evaluated: { step: number; kid: number }[] = [];
    let ledger = new EvaluationLedger(config);
    let keeper = CheckpointKeeper.open(dir, ledger);
    const inFlight: number[] = [];
    for (let i = 1; i <= 60; i++) {
      const step = i * 10;
      const written = checkpointAt(keeper, step);
      for (const p of written.pruned) expect(existsSync(join(dir, String(p)))).toBe(false);
      if (i % 2 === 0) inFlight.push(step);
      // An evaluation takes longer than a checkpoint: each result comes two checkpoints after its checkpoint.
      while (inFlight.length > 0 && inFlight[0]! <= step - 20) {
        const done = inFlight.shift()!;
        evaluated.push({ step: done, kid: kids[done / 10 - 1]! });
        ledger.record(done, kids[done / 10 - 1]!);
      }
      const onDisk = stepsOnDisk(dir);
      const newest = onDisk.filter((s) => s > step - 30);
      expect(newest).toEqual(Array.from({ length: Math.min(3, i) }, (_, k) => step - 10 * (Math.min(3, i) - 1 - k)));
      // Every checkpoint waiting for its result is still there.
      for (const s of inFlight) expect(onDisk, `step ${s} awaits its evaluation`).toContain(s);
      // The best of those evaluated that still exist is the best of all evaluated: the keeper never dropped it.
      const best = chooseBest(evaluated);
      if (best) expect(onDisk).toContain(best.step);
      // Nothing else stays.
      expect(onDisk.filter((s) => !newest.includes(s) && !inFlight.includes(s) && s !== best?.step)).toEqual([]);
      // A restart now and then: the host hands the new trainer what it knows.
      if (i % 7 === 0) {
        ledger = new EvaluationLedger(config, { evaluated, awaiting: [...inFlight] });
        keeper = CheckpointKeeper.open(dir, ledger);
        expect(keeper.findings).toEqual([]);
      }
    }
  });

  it('keeps only the newest three with evaluation off: the best is then the newest', () => {
    const dir = tempDir('keeper-off');
    const keeper = CheckpointKeeper.open(dir, noEvaluation());
    for (const step of [10, 20, 30, 40, 50]) checkpointAt(keeper, step);
    expect(stepsOnDisk(dir)).toEqual([30, 40, 50]);
  });

  it('keeps a checkpoint the host queued for evaluation off the cadence (the last of a stopped attempt) until its result, and one whose evaluation failed no longer', () => {
    const dir = tempDir('keeper-queued');
    let keeper = CheckpointKeeper.open(dir, noEvaluation());
    checkpointAt(keeper, 10);
    checkpointAt(keeper, 17);
    // The run stopped at 17; the host queued its evaluation and started the run again.
    const ledger = new EvaluationLedger(cadence(1), { evaluated: [{ step: 10, kid: 0.5 }], awaiting: [17] });
    keeper = CheckpointKeeper.open(dir, ledger);
    for (const step of [20, 30, 40]) checkpointAt(keeper, step);
    // 10 is the best; 17, 20, 30 and 40 await their evaluations.
    expect(stepsOnDisk(dir)).toEqual([10, 17, 20, 30, 40]);
    ledger.record(17, 0.9);
    ledger.record(20, null);
    ledger.record(30, 0.2);
    checkpointAt(keeper, 50);
    // 30 has the lowest KID; 20's evaluation failed, so nothing keeps it; 40 and 50 await theirs.
    expect(stepsOnDisk(dir)).toEqual([30, 40, 50]);
  });

  it('names the steps it prunes but deletes their folders only when told (after the host dropped their rows)', () => {
    const dir = tempDir('keeper-prune');
    const keeper = CheckpointKeeper.open(dir, noEvaluation());
    for (const step of [10, 20, 30]) keeper.removePruned(keeper.write(step, fakeState(step)).pruned);
    const written = keeper.write(40, fakeState(40));
    expect(written.pruned).toEqual([10]);
    expect(stepsOnDisk(dir)).toEqual([10, 20, 30, 40]);
    // A kill here leaves whole folders without rows: a restarted keeper finds them good, and prunes them again.
    const reopened = CheckpointKeeper.open(dir, noEvaluation());
    expect(reopened.findings).toEqual([]);
    keeper.removePruned(written.pruned);
    expect(stepsOnDisk(dir)).toEqual([20, 30, 40]);
  });

  it('still keeps the checkpoints a best.json from before issue 12 names, torn or not', () => {
    const dir = tempDir('keeper-legacy');
    for (const step of [10, 20, 30, 40]) writeFormat1Checkpoint(dir, step, fakeState(step));
    writeFileSync(join(dir, 'best.json'), JSON.stringify({ step: 20, value: 0.5, keep: [10] }));
    const keeper = CheckpointKeeper.open(dir, noEvaluation());
    expect(keeper.findings).toEqual([]);
    expect(keeper.newest()?.step).toBe(40);
    for (const step of [50, 60, 70]) checkpointAt(keeper, step);
    expect(stepsOnDisk(dir)).toEqual([10, 20, 50, 60, 70]);
    // A best.json torn by the old, non-atomic write names nothing: it protects nothing.
    const torn = tempDir('keeper-legacy-torn');
    for (const step of [10, 20]) writeFormat1Checkpoint(torn, step, fakeState(step));
    writeFileSync(join(torn, 'best.json'), '{"step":10,"val');
    const again = CheckpointKeeper.open(torn, noEvaluation());
    for (const step of [30, 40, 50]) checkpointAt(again, step);
    expect(stepsOnDisk(torn)).toEqual([30, 40, 50]);
  });

  it('skips damaged checkpoints, naming each and what is wrong, resumes from the newest that verifies, and prunes the damage', () => {
    const dir = tempDir('keeper');
    let keeper = CheckpointKeeper.open(dir, noEvaluation());
    for (const step of [10, 20, 30]) checkpointAt(keeper, step);
    flipByte(join(dir, '30', 'tensors.bin'));
    truncateTo(join(dir, '20', 'tensors.bin'), 0.25);

    keeper = CheckpointKeeper.open(dir, noEvaluation());
    expect(keeper.newest()).toEqual({ step: 10, dir: join(dir, '10') });
    expect(keeper.findings).toEqual([
      { step: 20, message: expect.stringMatching(/^checkpoint at step 20 is damaged and will not be loaded: tensors\.bin has \d+ bytes, state\.json records \d+ \(truncated\)$/) },
      { step: 30, message: expect.stringMatching(/^checkpoint at step 30 is damaged and will not be loaded: tensors\.bin checksum mismatch/) },
    ]);
    // Training resumed from 10 writes 20 again, replacing the damaged folder; the damaged 30 goes at that prune.
    expect(checkpointAt(keeper, 20).pruned).toEqual([30]);
    expect(stepsOnDisk(dir)).toEqual([10, 20]);
    expect(checkpointAt(keeper, 30).pruned).toEqual([]);
    expect(checkpointAt(keeper, 40).pruned).toEqual([10]);
    expect(checkpointAt(keeper, 50).pruned).toEqual([20]);
    expect(stepsOnDisk(dir)).toEqual([30, 40, 50]);
    expect(CheckpointKeeper.open(dir, noEvaluation()).findings).toEqual([]);
  });

  it('drops damaged checkpoints that nothing will overwrite at the next prune, and reports them as pruned', () => {
    const dir = tempDir('keeper');
    let keeper = CheckpointKeeper.open(dir, noEvaluation());
    for (const step of [10, 20, 30]) checkpointAt(keeper, step);
    flipByte(join(dir, '30', 'tensors.bin'));
    keeper = CheckpointKeeper.open(dir, noEvaluation());
    expect(keeper.newest()?.step).toBe(20);
    // A fork-like restart at a different cadence: step 25 is written, 30 stays damaged until pruned.
    const written = checkpointAt(keeper, 25);
    expect(written.pruned).toEqual([30]);
    expect(stepsOnDisk(dir)).toEqual([10, 20, 25]);
  });
});
