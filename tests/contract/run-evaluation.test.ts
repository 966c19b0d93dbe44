/**
 * Evaluation in a run (issue 12), over the WebSocket the browser uses: a run that evaluates every
 * third checkpoint stores FD, KID and precision/recall with their provenance for the due checkpoint
 * and its last one, keeps the due checkpoint until its evaluation although newer ones came, and
 * names as best the evaluated checkpoint with the lowest KID; a run without evaluation has its
 * newest checkpoint as best, labelled so, until quality.evaluate measures one of its checkpoints.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../src-main/common/contract';
import type { Dataset, Run } from '../../src-main/common/domain';
import type { RunEvaluation } from '../../src-main/common/quality';
import { writeMnistFolder } from '../fixtures/mnist-folder';
import { makeWorkbench, tempDir, tinyConfig } from '../fixtures/workbench';
import { connectWs, type Connected } from './transports';

/** Images per side: the contract's least, so that each evaluation costs little more than its FD. */
const N = 50;

describe('evaluation in a run, over the WebSocket', () => {
  let wb: ReturnType<typeof makeWorkbench>;
  let conn: Connected;
  let dataset: Dataset;
  const events: EventPayload<'run.evaluation'>[] = [];

  beforeAll(async () => {
    wb = makeWorkbench();
    conn = await connectWs(wb.workbench.handlers, wb.hub, (rel) => wb.workbench.dataDir.resolveInside(rel), tempDir('static'));
    conn.client.on('run.evaluation', (e) => events.push(e));
    const folder = tempDir('mnist');
    // 300 digits: 60 held out, 240 to draw the N real images from.
    await writeMnistFolder(folder, 30);
    ({ dataset } = await conn.client.call('datasets.import', { path: folder, size: 28, channels: 1 }));
  });
  afterAll(async () => {
    await conn.close();
    wb.workbench.close();
  });

  /** Trains `config` to the end, and waits until nothing is left to evaluate. */
  async function train(config: Record<string, unknown>): Promise<Run> {
    const run = await conn.client.call('runs.create', { datasetId: dataset.id, config });
    expect((await wb.workbench.host.whenSettled(run.id)).status).toBe('completed');
    await wb.workbench.runEvaluations.whenIdle();
    return conn.client.call('runs.get', { id: run.id });
  }

  it('evaluates the due and the last checkpoints with their provenance and time, keeps the due one until then, and makes the lowest KID the best', async () => {
    // Checkpoints at 2, 4, …, 12; every third is due (6 and 12); 12 is also the last.
    const run = await train(tinyConfig(12, { intervals: { metricsEvery: 1, sampleEvery: 12, checkpointEvery: 2 }, evaluation: { everyCheckpoints: 3, n: N } }));
    const { evaluations, pending, best } = await conn.client.call('runs.evaluations', { id: run.id });
    expect(pending).toEqual([]);
    expect(evaluations.map((e) => e.step)).toEqual([6, 12]);
    for (const e of evaluations) {
      expect(e).toMatchObject({
        runId: run.id,
        datasetId: dataset.id,
        seed: 0,
        weights: 'generator',
        provenance: { network: 'nsfwjs-mobilenet_v2_mid-1792', networkName: 'nsfwjs MobileNetV2 (1792-d)', preprocessing: expect.stringMatching(/224/), backend: 'wasm', nGenerated: N, nReal: N },
      });
      for (const v of [e.fd, e.kid.mean, e.kid.std, e.kid.standardError, e.precision, e.recall, e.copyRatio]) expect(Number.isFinite(v)).toBe(true);
      expect(e.seconds).toBeGreaterThan(0);
    }
    // The keeper prunes all but the newest three, the best and what awaits evaluation: 6 was older than
    // the newest three when 12 was written, and stayed for its evaluation.
    const checkpoints = await conn.client.call('runs.checkpoints', { id: run.id });
    expect(checkpoints.map((c) => c.step)).toEqual([6, 8, 10, 12]);
    const lowest = evaluations.reduce((a, b) => (b.kid.mean < a.kid.mean ? b : a));
    expect(best).toEqual({ step: lowest.step, by: 'kid' });
    expect(checkpoints.filter((c) => c.best).map((c) => [c.step, c.kid])).toEqual([[lowest.step, lowest.kid.mean]]);
    expect(new Set(checkpoints.map((c) => c.bestBy))).toEqual(new Set(['kid']));
    expect(checkpoints.map((c) => c.kid)).toEqual(checkpoints.map((c) => evaluations.find((e) => e.step === c.step)?.kid.mean ?? null));
    const [summary] = await conn.client.call('runs.summaries', { ids: [run.id] });
    expect(summary!.best).toEqual({ step: lowest.step, by: 'kid', kid: lowest.kid.mean });
    // Each was announced queued, then stored with the values runs.evaluations returns.
    const mine = events.filter((e) => e.runId === run.id);
    expect(mine.map((e) => [e.step, e.status])).toEqual([
      [6, 'pending'],
      [12, 'pending'],
      [6, 'done'],
      [12, 'done'],
    ]);
    expect(mine.filter((e) => e.status === 'done').map((e) => e.evaluation)).toEqual(evaluations);
  }, 300_000);

  it('with evaluation off, the best is the newest checkpoint with no quality metric, until quality.evaluate stores one of its checkpoints', async () => {
    const run = await train(tinyConfig(6, { intervals: { metricsEvery: 1, sampleEvery: 6, checkpointEvery: 2 } }));
    expect(run.config.evaluation).toEqual({ everyCheckpoints: 0, n: 500 });
    expect(await conn.client.call('runs.evaluations', { id: run.id })).toEqual({ runId: run.id, evaluations: [], pending: [], best: { step: 6, by: 'newest' } });
    const checkpoints = await conn.client.call('runs.checkpoints', { id: run.id });
    expect(checkpoints.map((c) => [c.step, c.kid, c.best, c.bestBy])).toEqual([
      [2, null, false, 'newest'],
      [4, null, false, 'newest'],
      [6, null, true, 'newest'],
    ]);
    expect((await conn.client.call('runs.summaries', { ids: [run.id] }))[0]!.best).toEqual({ step: 6, by: 'newest', kid: null });
    expect(events.filter((e) => e.runId === run.id)).toEqual([]);

    // A checkpoint measured on request is stored with the run, and is then its best: the only one with a KID.
    const measured = await conn.client.call('quality.evaluate', { source: { runId: run.id, step: 4 }, n: N });
    const { evaluations, best } = await conn.client.call('runs.evaluations', { id: run.id });
    expect(evaluations).toEqual([
      expect.objectContaining<Partial<RunEvaluation>>({ step: 4, fd: measured.fd.value, kid: { mean: measured.kid.mean, std: measured.kid.std, standardError: measured.kid.standardError }, seconds: measured.seconds.total }),
    ]);
    expect(best).toEqual({ step: 4, by: 'kid' });
    expect((await conn.client.call('runs.checkpoints', { id: run.id })).map((c) => [c.step, c.best, c.bestBy])).toEqual([
      [2, false, 'kid'],
      [4, true, 'kid'],
      [6, false, 'kid'],
    ]);
    expect(events.filter((e) => e.runId === run.id).map((e) => [e.step, e.status])).toEqual([[4, 'done']]);

    // Deleting the run deletes its evaluations.
    await conn.client.call('runs.delete', { id: run.id });
    expect(wb.workbench.store.evaluations.list(run.id)).toEqual([]);
  }, 240_000);
});
