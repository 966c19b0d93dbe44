/**
 * Evaluation in runs, the queue (core/quality/run-evaluations.ts) on a real store with a stand-in for
 * the worker's measurement: which checkpoints are queued (due ones, the last one at the end, ones a
 * crash left), one at a time, what a new trainer is told, and what a failed evaluation does.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../src-main/common/contract';
import { defaultTrainingConfig } from '../../../src-main/common/training-config';
import { RunEvaluations } from '../../../src-main/core/quality/run-evaluations';
import { Store } from '../../../src-main/core/store/store';
import { datasetRow, evaluationRow } from '../../fixtures/store-rows';
import { tempDir } from '../../fixtures/workbench';

const RUN = 'run_queue0001';

function deferred() {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('RunEvaluations', () => {
  let store: Store;
  afterEach(() => store?.close());

  /** A store with a run evaluating every `every`-th checkpoint (every 10 steps), and a queue whose measurements the test finishes. */
  function setUp(every: number) {
    store = Store.open(join(tempDir('queue'), 'workbench.sqlite'));
    store.datasets.insert(datasetRow('ds_test0001', { count: 300 }));
    const config = { ...defaultTrainingConfig(), intervals: { metricsEvery: 1, sampleEvery: 10, checkpointEvery: 10 }, evaluation: { everyCheckpoints: every, n: 50 } };
    store.runs.insert({ id: RUN, name: RUN, datasetId: 'ds_test0001', status: 'running', config, step: 0, backend: null, reason: null, createdAt: 'then', startedAt: null, endedAt: null, parentRunId: null, parentStep: null });
    const asked: { step: number; n: number; seed: number; done: ReturnType<typeof deferred> }[] = [];
    const events: EventPayload<'run.evaluation'>[] = [];
    const failed: number[] = [];
    const queue = new RunEvaluations({
      store,
      service: {
        evaluate: (req) => {
          const done = deferred();
          asked.push({ step: (req.source as { step: number }).step, n: req.n, seed: req.seed, done });
          return done.promise.then(() => {
            // What EvaluationService does on success: store the values.
            store.evaluations.put(evaluationRow(RUN, (req.source as { step: number }).step, 0.1));
            return {} as never;
          });
        },
      },
      emit: ((event: string, payload: EventPayload<'run.evaluation'>) => event === 'run.evaluation' && events.push(payload)) as never,
      tellFailed: (_runId, step) => failed.push(step),
    });
    const checkpoint = (step: number) => {
      store.checkpoints.record({ runId: RUN, step, path: `runs/${RUN}/checkpoints/${step}`, createdAt: 'now' }, []);
      queue.checkpointed(RUN, step);
    };
    return { queue, asked, events, failed, checkpoint };
  }

  const settle = () => new Promise((r) => setTimeout(r, 0));

  it('queues every k-th checkpoint and the last one, measures one at a time with the run’s N and seed 0, and lists what is pending', async () => {
    const { queue, asked, events, checkpoint } = setUp(2);
    for (const step of [10, 20, 30, 40]) checkpoint(step);
    // 20 and 40 are due; one measurement at a time.
    expect(asked.map((a) => [a.step, a.n, a.seed])).toEqual([[20, 50, 0]]);
    expect(queue.pending(RUN)).toEqual([20, 40]);
    checkpoint(45);
    queue.ended(RUN);
    // The last checkpoint is queued when the run ends, wherever its step falls; never twice.
    queue.ended(RUN);
    expect(queue.pending(RUN)).toEqual([20, 40, 45]);
    for (const step of [20, 40, 45]) {
      asked.find((a) => a.step === step)!.done.resolve();
      await settle();
    }
    await queue.whenIdle();
    expect(asked.map((a) => a.step)).toEqual([20, 40, 45]);
    expect(events.map((e) => [e.step, e.status])).toEqual([
      [20, 'pending'],
      [40, 'pending'],
      [45, 'pending'],
    ]);
    expect(queue.view(RUN)).toMatchObject({ pending: [], best: { step: 45, by: 'kid' } });
  });

  it('tells a new trainer every KID and what is queued, queuing due checkpoints an earlier attempt left unevaluated', () => {
    const { queue, asked } = setUp(1);
    for (const step of [10, 20, 30]) store.checkpoints.record({ runId: RUN, step, path: `runs/${RUN}/checkpoints/${step}`, createdAt: 'now' }, []);
    store.evaluations.put(evaluationRow(RUN, 10, 0.4));
    expect(queue.beforeStart(RUN)).toEqual({ evaluated: [{ step: 10, kid: 0.4 }], awaiting: [20, 30] });
    expect(asked.map((a) => a.step)).toEqual([20]);
  });

  it('catches up at start-up with what a closed app left: due checkpoints and the last one of runs that no longer train', () => {
    const { queue, asked } = setUp(2);
    for (const step of [10, 20, 30, 40, 45]) store.checkpoints.record({ runId: RUN, step, path: `runs/${RUN}/checkpoints/${step}`, createdAt: 'now' }, []);
    store.evaluations.put(evaluationRow(RUN, 20, 0.4));
    // Still marked running: it is not caught up with (its trainer queues what it needs when it starts).
    queue.catchUp();
    expect(queue.pending(RUN)).toEqual([]);
    store.runs.update(RUN, { status: 'interrupted' });
    queue.catchUp();
    expect(queue.pending(RUN)).toEqual([40, 45]);
    expect(asked.map((a) => a.step)).toEqual([40]);
  });

  it('with evaluation off queues nothing, not even the last checkpoint', () => {
    const { queue, asked, checkpoint } = setUp(0);
    for (const step of [10, 20]) checkpoint(step);
    queue.ended(RUN);
    store.runs.update(RUN, { status: 'completed' });
    queue.catchUp();
    expect(asked).toEqual([]);
    expect(queue.beforeStart(RUN)).toEqual({ evaluated: [], awaiting: [] });
  });

  it('on a failed evaluation: tells the trainer (it may prune the checkpoint), the UI and the run’s log, and goes on with the next', async () => {
    const { queue, asked, events, failed, checkpoint } = setUp(1);
    checkpoint(10);
    checkpoint(20);
    asked[0]!.done.reject(new Error('the evaluation did not finish within 3600 s'));
    await settle();
    expect(failed).toEqual([10]);
    expect(events.at(-1)).toEqual({ runId: RUN, step: 10, status: 'failed', evaluation: null, error: 'the evaluation did not finish within 3600 s' });
    expect(store.events.list(RUN).map((e) => [e.kind, e.message])).toEqual([['warn', 'the evaluation of the checkpoint at step 10 failed: the evaluation did not finish within 3600 s']]);
    expect(asked.map((a) => a.step)).toEqual([10, 20]);
    asked[1]!.done.resolve();
    await queue.whenIdle();
    expect(queue.view(RUN).evaluations.map((e) => e.step)).toEqual([20]);
  });

  it('when the app closes, drops the queue and keeps quiet about the measurement cut short: the run queues it again when it starts', async () => {
    const { queue, asked, events, failed, checkpoint } = setUp(1);
    checkpoint(10);
    checkpoint(20);
    queue.close();
    expect(queue.pending(RUN)).toEqual([10]);
    asked[0]!.done.reject(new Error('the workbench is shutting down'));
    await queue.whenIdle();
    expect(failed).toEqual([]);
    expect(events.filter((e) => e.status === 'failed')).toEqual([]);
    expect(asked.map((a) => a.step)).toEqual([10]);
    checkpoint(30);
    expect(asked.map((a) => a.step)).toEqual([10]);
  });
});
