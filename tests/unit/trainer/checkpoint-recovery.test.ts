/**
 * Damaged and stale checkpoints with real trainer processes, seen through the run service as a user
 * sees them: a damaged checkpoint is named in the run's log and skipped, training resumes from the
 * newest good one, and a fork copies a verified checkpoint (a fork from a stale row: tests/contract).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../../../src-main/common/domain';
import { verifyCheckpointSync } from '../../../src-main/core/checkpoints/checkpoint-format';
import { flipByte } from '../../fixtures/checkpoints';
import { writeMnistFolder } from '../../fixtures/mnist-folder';
import { makeWorkbench, nextEvent, tempDir, tinyConfig, parsed } from '../../fixtures/workbench';

describe('checkpoint recovery', () => {
  const { workbench, hub } = makeWorkbench();
  let dataset: Dataset;

  beforeAll(async () => {
    const folder = tempDir('mnist');
    await writeMnistFolder(folder, 3);
    dataset = (await workbench.datasets.import(parsed('datasets.import', { path: folder, size: 28, channels: 1 }))).dataset;
  });
  afterAll(() => workbench.close());

  /** Waits for a condition with no event of its own, checking it often, for as long as a loaded machine may need. */
  async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  const checkpointDir = (runId: string, step: number) => join(workbench.dataDir.run(runId), 'checkpoints', String(step));
  const steps = (runId: string) => workbench.runs.checkpoints(runId).map((c) => c.step);

  /** Starts (or restarts) a run, lets it train past `beyond`, and stops it: it checkpoints on the way out. */
  async function trainPast(runId: string, beyond: number, restart: boolean) {
    const metrics = nextEvent(hub, 'run.metrics', (p: { runId: string; points: { step: number }[] }) => p.runId === runId && p.points.some((pt) => pt.step > beyond));
    const running = nextEvent(hub, 'run.status', (s: { runId: string; status: string }) => s.runId === runId && s.status === 'running');
    if (restart) {
      // The stopped trainer may still be exiting, and a run cannot be queued while its old process is active.
      await until(() => !workbench.host.trainingRunIds.includes(runId));
      workbench.runs.start(runId);
    }
    await running;
    const fromStep = workbench.runs.get(runId).step;
    await metrics;
    workbench.runs.stop(runId);
    const stopped = await workbench.host.whenSettled(runId);
    expect(stopped.status).toBe('stopped');
    return { fromStep, stopped };
  }

  /** Every row's folder verifies, checksums included, and the rows are exactly the folders on disk. */
  function expectRowsTrue(runId: string) {
    const onDisk = readdirSync(join(workbench.dataDir.run(runId), 'checkpoints')).filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
    expect(steps(runId)).toEqual(onDisk);
    for (const step of onDisk) expect(verifyCheckpointSync(checkpointDir(runId, step), 'checksum', step).step).toBe(step);
  }

  it('skips a checkpoint with a flipped byte or a missing folder, says so in the run log, and resumes from the newest good one', async () => {
    const run = workbench.runs.create({ datasetId: dataset.id, config: tinyConfig(400, { intervals: { metricsEvery: 1, sampleEvery: 100, checkpointEvery: 5 } }), start: true });
    await trainPast(run.id, 11, false);
    const [previous, newest] = steps(run.id).slice(-2) as [number, number];

    // A bit flips in the newest checkpoint's tensors: only its checksum can tell.
    flipByte(join(checkpointDir(run.id, newest), 'tensors.bin'));
    const second = await trainPast(run.id, newest + 3, true);
    expect(second.fromStep).toBe(previous);
    const log = workbench.runs.events(run.id).map((e) => [e.kind, e.message]);
    expect(log).toContainEqual(['warn', expect.stringMatching(new RegExp(`^checkpoint at step ${newest} is damaged and will not be loaded: tensors\\.bin checksum mismatch`))]);
    expect(log).toContainEqual(['warn', `resuming from step ${previous}, the newest checkpoint that verifies`]);
    expectRowsTrue(run.id);

    // The newest folder disappears while its row stays: the row goes when the run starts, before the trainer loads anything.
    const [before, last] = steps(run.id).slice(-2) as [number, number];
    rmSync(checkpointDir(run.id, last), { recursive: true });
    const third = await trainPast(run.id, last + 3, true);
    expect(third.fromStep).toBe(before);
    expect(workbench.runs.events(run.id).map((e) => [e.kind, e.message])).toContainEqual(['warn', `checkpoint at step ${last} removed from the run's list: its folder is missing`]);
    expectRowsTrue(run.id);
    expect(third.stopped.lastCheckpointStep).toBe(third.stopped.step);
  });

  it('forks from a good checkpoint into a complete folder with its own verified copy', async () => {
    const parent = workbench.runs.create({ datasetId: dataset.id, config: tinyConfig(5), start: true });
    expect((await workbench.host.whenSettled(parent.id)).status).toBe('completed');
    const fork = workbench.runs.fork({ id: parent.id, config: { steps: 8 }, start: false });
    expect(fork).toMatchObject({ parentRunId: parent.id, parentStep: 5, step: 5, lastCheckpointStep: 5 });
    expect(readdirSync(workbench.dataDir.run(fork.id)).sort()).toEqual(['checkpoints', 'config.json', 'samples']);
    expectRowsTrue(fork.id);
    expect(readdirSync(join(workbench.dataDir.root, 'runs')).filter((n) => n.includes('.partial-'))).toEqual([]);
  });
});
