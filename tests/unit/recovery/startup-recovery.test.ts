/**
 * Start-up recovery of a real data directory, as the workbench opens it: the checkpoints table is
 * made to match the disk, and leftovers of interrupted writes are swept without touching anything else.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset, Run } from '../../../src-main/common/domain';
import { forkLauncher } from '../../../src-main/core/trainer/fork-launcher';
import { createWorkbench, type Workbench } from '../../../src-main/core/workbench';
import { createEventHub } from '../../../src-main/transport/event-hub';
import { CheckpointKeeper } from '../../../src-main/utility/checkpoint-keeper';
import { EvaluationLedger } from '../../../src-main/utility/evaluation-ledger';
import { fakeState, truncateTo } from '../../fixtures/checkpoints';
import { writeMnistFolder } from '../../fixtures/mnist-folder';
import { evaluationRow } from '../../fixtures/store-rows';
import { sourceTrainer, tempDir, tinyConfig, parsed } from '../../fixtures/workbench';

/** Opens the workbench on `dataDir` as every entry point does, keeping what it logs. */
function open(dataDir: string): { workbench: Workbench; logs: string[] } {
  const logs: string[] = [];
  const workbench = createWorkbench({
    dataDir,
    launcher: forkLauncher(sourceTrainer),
    emit: createEventHub().emit,
    mode: 'headless',
    version: 'test',
    log: (m) => logs.push(m),
  });
  return { workbench, logs };
}

/** Every path under `dir`, relative, sorted: the whole picture of what is on disk. */
function tree(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      return e.isDirectory() ? [`${rel}/`, ...tree(dir, rel)] : [rel];
    })
    .sort();
}

describe('start-up recovery', () => {
  const dataDir = tempDir('recover');
  let dataset: Dataset;
  let run: Run;

  beforeAll(async () => {
    const { workbench } = open(dataDir);
    const folder = tempDir('mnist');
    await writeMnistFolder(folder, 1);
    dataset = (await workbench.datasets.import(parsed('datasets.import', { path: folder, size: 28, channels: 1 }))).dataset;
    run = workbench.runs.create({ datasetId: dataset.id, config: tinyConfig(100), start: false });
    workbench.close();
  });

  it('removes rows whose folder is missing or damaged and adds rows for whole folders; the best stays the lowest KID among what is left', () => {
    const checkpointsDir = join(dataDir, 'runs', run.id, 'checkpoints');
    // What a trainer left: 5, 10 and 15 on disk; the host had recorded 5, 10 and a 20 whose folder is gone, and evaluated 5, 10 and 20.
    const keeper = CheckpointKeeper.open(checkpointsDir, new EvaluationLedger(run.config));
    for (const step of [5, 10, 15]) keeper.write(step, fakeState(step));
    let { workbench } = open(dataDir);
    const row = (step: number) => ({ runId: run.id, step, path: `runs/${run.id}/checkpoints/${step}`, createdAt: 'then' });
    for (const c of [row(5), row(10), row(20)]) workbench.store.checkpoints.record(c, []);
    for (const [step, kid] of [[5, 0.1], [10, 0.2], [20, 0.05]] as const) workbench.store.evaluations.put(evaluationRow(run.id, step, kid));
    workbench.close();
    truncateTo(join(checkpointsDir, '5', 'tensors.bin'), 0.5);

    const reopened = open(dataDir);
    workbench = reopened.workbench;
    expect(workbench.runs.checkpoints(run.id).map((c) => [c.step, c.kid, c.best, c.bestBy])).toEqual([
      [10, 0.2, true, 'kid'],
      [15, null, false, 'kid'],
    ]);
    expect(workbench.runs.get(run.id).lastCheckpointStep).toBe(15);
    const events = workbench.runs.events(run.id).map((e) => [e.kind, e.message]);
    expect(events).toEqual(
      expect.arrayContaining([
        ['warn', expect.stringMatching(/^checkpoint at step 5 removed from the run's list: tensors\.bin has \d+ bytes, state\.json records \d+ \(truncated\)$/)],
        ['warn', "checkpoint at step 20 removed from the run's list: its folder is missing"],
        ['recovered', "checkpoint at step 15 was on disk without a row: added to the run's list"],
      ]),
    );
    expect(reopened.logs).toContainEqual(expect.stringContaining(`run ${run.id}: checkpoint rows -5 (`));
    workbench.close();

    // Nothing left to fix: a second start-up changes nothing and says nothing.
    const again = open(dataDir);
    expect(again.workbench.runs.events(run.id)).toHaveLength(events.length);
    expect(again.logs).toEqual([]);
    again.workbench.close();
  });

  it('sweeps partial and temporary leftovers and folders without a row, and nothing else', () => {
    const d = (...p: string[]) => join(dataDir, ...p);
    const write = (path: string, text = 'x') => {
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, text);
    };
    const before = tree(dataDir);
    // Leftovers of interrupted writes:
    write(d('datasets', 'ds_0a1b2c3d4e.partial-Xy12Zw', 'images.u8'));
    write(d('datasets', 'ds_orphan0001', 'manifest.json'));
    write(d('datasets', 'ds_orphan0001', 'thumbs', 'sheet-0000.png'));
    write(d('runs', 'run_9z8y7x6w5v.partial-Ab34Cd', 'config.json'));
    write(d('runs', 'run_orphan0001', 'config.json'));
    write(d('runs', 'run_orphan0001', 'checkpoints', '.tmp-5-0011aabb', 'tensors.bin'));
    write(d('runs', run.id, 'checkpoints', '.tmp-25-ab12cd34', 'state.json'));
    write(d('runs', run.id, 'checkpoints', '.tmp-best.json-0f0f0f0f'));
    write(d('runs', run.id, '.tmp-config.json-12345678'));
    write(d('runs', run.id, 'exports', 'step-10.partial-a1B2c3', 'weights.bin'));
    write(d('runs', run.id, 'samples', '20.png.tmp'));
    write(d('runs', run.id, 'samples', '20-raw.png.tmp'));
    write(d('runs', run.id, 'generated', 'interpolate-10-0123456789ab.png.tmp'));
    // An evaluated checkpoint's closest pairs being written, and the folder a new evaluation replaced.
    write(d('runs', run.id, 'evaluations', '.tmp-10-a1b2c3d4', 'nearest.png'));
    write(d('runs', run.id, 'evaluations', '.tmp-20-0badf00d', 'nearest.json'));
    write(d('runs', 'run_orphan0001', 'evaluations', '10', 'nearest.json'));
    const leftovers = [
      'datasets/ds_0a1b2c3d4e.partial-Xy12Zw',
      'datasets/ds_orphan0001',
      'runs/run_9z8y7x6w5v.partial-Ab34Cd',
      'runs/run_orphan0001',
      `runs/${run.id}/.tmp-config.json-12345678`,
      `runs/${run.id}/checkpoints/.tmp-25-ab12cd34`,
      `runs/${run.id}/checkpoints/.tmp-best.json-0f0f0f0f`,
      `runs/${run.id}/evaluations/.tmp-10-a1b2c3d4`,
      `runs/${run.id}/evaluations/.tmp-20-0badf00d`,
      `runs/${run.id}/exports/step-10.partial-a1B2c3`,
      `runs/${run.id}/generated/interpolate-10-0123456789ab.png.tmp`,
      `runs/${run.id}/samples/20-raw.png.tmp`,
      `runs/${run.id}/samples/20.png.tmp`,
    ];
    // Things that are not ours, or not leftovers:
    write(d('notes.txt'));
    write(d('datasets', 'README.txt'));
    write(d('datasets', 'my-photos', 'cat.jpg'));
    write(d('datasets', 'ds_custom0001', 'cat.jpg')); // named like ours, but holds a file we never write there
    write(d('datasets', 'ds_UpperCase1', 'manifest.json')); // not an id we make (upper case)
    write(d('runs', 'run_short', 'config.json'));
    write(d('runs', run.id, 'exports', 'step-10', 'model.json'));
    write(d('runs', run.id, 'samples', '10.png'));
    write(d('runs', run.id, 'samples', '10-raw.png'));
    write(d('runs', run.id, 'samples', 'notes.tmp'));
    write(d('runs', run.id, 'evaluations', '20', 'nearest.png'));
    const outside = tempDir('outside');
    write(join(outside, 'manifest.json'));
    symlinkSync(outside, d('datasets', 'ds_linked0001'));
    const kept = tree(dataDir).filter((p) => !leftovers.some((l) => p === l || p === `${l}/` || p.startsWith(`${l}/`)));

    const { workbench, logs } = open(dataDir);
    workbench.close();
    expect(tree(dataDir)).toEqual(kept);
    expect(tree(outside)).toEqual(['manifest.json']);
    for (const path of before) expect(existsSync(join(dataDir, path)), path).toBe(true);
    expect(logs).toContainEqual(`removed ${leftovers.length} leftover(s) of interrupted writes: ${[...leftovers].sort().join(', ')}`);
    expect(logs).toContainEqual('datasets/ds_custom0001 has no row but holds files the workbench did not write there; left in place');
  });
});
