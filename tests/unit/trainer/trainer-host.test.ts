/** The TrainerHost with real trainer processes: queue, training slots, pause/resume, and a killed trainer leaves its run interrupted and resumable. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../../../src-main/common/domain';
import { writeMnistFolder } from '../../fixtures/mnist-folder';
import { exitWatchingLauncher, makeWorkbench, tempDir, tinyConfig, parsed } from '../../fixtures/workbench';

describe('TrainerHost', () => {
  const trainers = exitWatchingLauncher();
  const { workbench, hub } = makeWorkbench(undefined, trainers.launcher);
  let dataset: Dataset;

  beforeAll(async () => {
    const folder = tempDir('mnist');
    await writeMnistFolder(folder, 3);
    dataset = (await workbench.datasets.import(parsed('datasets.import', { path: folder, size: 28, channels: 1 }))).dataset;
  });
  afterAll(() => workbench.close());

  function nextEvent(event: string, pred: (payload: never) => boolean = () => true): Promise<unknown> {
    return new Promise((resolve) => {
      const off = hub.subscribe((e, p) => {
        if (e === event && pred(p as never)) {
          off();
          resolve(p);
        }
      });
    });
  }

  it('marks a run interrupted when its trainer is killed, then resumes it from the last checkpoint', async () => {
    const run = workbench.runs.create({ datasetId: dataset.id, config: tinyConfig(400, { intervals: { metricsEvery: 1, sampleEvery: 50, checkpointEvery: 5 } }), start: true });
    await nextEvent('run.metrics', (p: { points: { step: number }[] }) => p.points.some((pt) => pt.step >= 12));
    const pid = workbench.host.pidOf(run.id);
    expect(pid).toBeTypeOf('number');
    process.kill(pid!, 'SIGKILL');
    const dead = await workbench.host.whenSettled(run.id);
    expect(dead.status).toBe('interrupted');
    expect(dead.reason).toMatchObject({ code: 'TRAINER_EXITED', signal: 'SIGKILL' });
    const checkpointStep = dead.lastCheckpointStep;
    expect(checkpointStep).toBeGreaterThanOrEqual(10);
    expect(existsSync(join(workbench.dataDir.run(run.id), 'checkpoints', String(checkpointStep), 'state.json'))).toBe(true);

    // Resume: the trainer starts from the checkpoint, not from zero.
    const started = nextEvent('run.status', (s: { status: string }) => s.status === 'running');
    workbench.runs.start(run.id);
    await started;
    expect(workbench.store.runs.get(run.id)?.step).toBe(checkpointStep);
    workbench.runs.stop(run.id);
    const stopped = await workbench.host.whenSettled(run.id);
    expect(stopped.status).toBe('stopped');
    expect(stopped.step).toBeGreaterThanOrEqual(checkpointStep!);
    expect(stopped.lastCheckpointStep).toBe(stopped.step);
  });

  it('pauses and resumes a running run, and runs queued runs one after another', async () => {
    const a = workbench.runs.create({ datasetId: dataset.id, config: tinyConfig(300), start: true });
    const b = workbench.runs.create({ datasetId: dataset.id, config: tinyConfig(3), start: true });
    expect(workbench.runs.get(b.id).status).toBe('queued');
    await nextEvent('run.metrics', (p: { runId: string }) => p.runId === a.id);
    const paused = nextEvent('run.status', (s: { status: string }) => s.status === 'paused');
    workbench.runs.pause(a.id);
    await paused;
    const stepAtPause = workbench.store.runs.get(a.id)!.step;
    // A paused trainer sends nothing, so there is no event to wait on: this window checks that no step happens in it.
    await new Promise((r) => setTimeout(r, 600));
    expect(workbench.store.runs.get(a.id)!.step).toBe(stepAtPause);
    const resumed = nextEvent('run.status', (s: { status: string }) => s.status === 'running');
    workbench.runs.resume(a.id);
    await resumed;
    workbench.runs.stop(a.id);
    expect((await workbench.host.whenSettled(a.id)).status).toBe('stopped');
    const bDone = await workbench.host.whenSettled(b.id);
    expect(bDone.status).toBe('completed');
    expect(bDone.step).toBe(3);
  });

  it('trains as many runs at once as the trainingSlots setting allows, each in its own process', async () => {
    const update = workbench.handlers['settings.update'];
    const [a, b, c] = [0, 1, 2].map(() => workbench.runs.create({ datasetId: dataset.id, config: tinyConfig(2000), start: true }));
    await nextEvent('run.metrics', (p: { runId: string }) => p.runId === a!.id);
    // One slot by default: the others wait.
    expect(workbench.host.trainingRunIds).toEqual([a!.id]);
    expect(workbench.runs.get(b!.id).status).toBe('queued');

    // Raising the setting starts the next queued run at once, in a process of its own.
    const bTrains = nextEvent('run.metrics', (p: { runId: string }) => p.runId === b!.id);
    await update({ trainingSlots: 2 });
    await bTrains;
    expect(workbench.host.trainingRunIds).toEqual([a!.id, b!.id]);
    expect(workbench.host.pidOf(a!.id)).not.toBe(workbench.host.pidOf(b!.id));
    expect(workbench.store.runs.get(a!.id)!.status).toBe('running');
    expect(workbench.runs.get(c!.id).status).toBe('queued');

    // A freed slot goes to the queue; the setting caps what trains, whichever run ends.
    const cTrains = nextEvent('run.metrics', (p: { runId: string }) => p.runId === c!.id);
    workbench.runs.stop(a!.id);
    expect((await workbench.host.whenSettled(a!.id)).status).toBe('stopped');
    await cTrains;
    expect(workbench.host.trainingRunIds).toEqual([b!.id, c!.id]);

    await update({ trainingSlots: 1 });
    const exits = [b!, c!].map((r) => trainers.exited(workbench.host.pidOf(r.id)!));
    await workbench.host.stopAll();
    expect(workbench.store.runs.get(b!.id)!.status).toBe('stopped');
    expect(workbench.store.runs.get(c!.id)!.status).toBe('stopped');
    // Their processes exit after saying they stopped; once the host has seen both exits, no slot is held.
    await Promise.all(exits);
    expect(workbench.host.trainingRunIds).toEqual([]);
  });
});
