/** Follows a run in the foreground (train, fork, resume): progress, Ctrl+C to stop it, then its final status, last metrics and, when it evaluates its checkpoints, their evaluations. */
import type { WorkbenchClient } from '../common/client/client';
import { ACTIVE_STATUSES, type Run } from '../common/domain';
import { COMPARABILITY_NOTE, type RunEvaluations } from '../common/quality';
import type { CliContext } from './context';

/** Resolves once the run is no longer queued, running or paused: from its status events, checked against the store. */
function settled(client: WorkbenchClient, id: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (run: Run) => {
      if (done) return;
      done = true;
      off();
      clearInterval(poll);
      resolve(run);
    };
    const check = () =>
      client.call('runs.get', { id }).then(
        (run) => {
          if (!ACTIVE_STATUSES.includes(run.status)) finish(run);
        },
        (e: unknown) => {
          if (done) return;
          done = true;
          off();
          clearInterval(poll);
          reject(e);
        },
      );
    const off = client.on('run.status', (p) => {
      if (p.runId !== id || ACTIVE_STATUSES.includes(p.status)) return;
      // The event is the truth even when the store could not record it (see TrainerHost.settleUnrecorded).
      void client.call('runs.get', { id }).then((run) => finish({ ...run, status: p.status, reason: p.reason }), () => undefined);
    });
    // A server that goes away sends no more events: asking now and then notices.
    const poll = setInterval(check, 2000);
    void check();
  });
}

/** First Ctrl+C: stop after a checkpoint. Second: stop at once; the run resumes from its last checkpoint. */
function stopOnSignals(ctx: CliContext, client: WorkbenchClient, id: string): () => void {
  let count = 0;
  const onSignal = () => {
    count++;
    const immediate = count > 1;
    ctx.note(immediate ? '\nstopping at once (no final checkpoint)' : '\nstopping after a checkpoint; press Ctrl+C again to stop at once');
    client.call('runs.stop', { id, immediate }).catch((e: unknown) => ctx.note(`could not stop: ${e instanceof Error ? e.message : String(e)}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/**
 * Waits until no checkpoint of the run is queued for evaluation or being evaluated (a run that
 * evaluates its checkpoints has its last one measured after it ends); returns its evaluations then.
 */
async function evaluationsSettled(ctx: CliContext, client: WorkbenchClient, id: string): Promise<RunEvaluations> {
  let noted = '';
  for (;;) {
    // Subscribed before asking: an evaluation that ends in between still wakes us.
    let wake!: () => void;
    const changed = new Promise<void>((resolve) => (wake = resolve));
    const off = client.on('run.evaluation', (e) => e.runId === id && e.status !== 'pending' && wake());
    // A server that goes away sends no more events: asking now and then notices.
    const poll = setTimeout(() => wake(), 5000);
    try {
      const view = await client.call('runs.evaluations', { id });
      if (view.pending.length === 0) return view;
      const note = `evaluating the checkpoint at step ${view.pending.join(', ')}…`;
      if (note !== noted) ctx.note(note);
      noted = note;
      await changed;
    } finally {
      off();
      clearTimeout(poll);
    }
  }
}

/** The best checkpoint and the last evaluation, in words. */
function describeQuality(q: RunEvaluations): string[] {
  const last = q.evaluations.at(-1);
  const show = (v: number) => Number(v.toPrecision(4)).toString();
  return [
    ...(q.best ? [q.best.by === 'kid' ? `best checkpoint: step ${q.best.step} (lowest KID)` : `best checkpoint: step ${q.best.step}, the newest (no quality metric)`] : []),
    ...(last
      ? [
          `last evaluation (step ${last.step}, ${show(last.seconds)} s): KID ${show(last.kid.mean)} ± ${show(last.kid.std)}, FD ${show(last.fd)}, precision ${show(last.precision)}, recall ${show(last.recall)}`,
          `  measured on ${last.provenance.network}, N = ${last.provenance.nGenerated} generated vs ${last.provenance.nReal} real, backend ${last.provenance.backend}; ${COMPARABILITY_NOTE}`,
        ]
      : []),
  ];
}

/**
 * Waits for `run` to settle (and, when it evaluates its checkpoints, for their evaluations) and prints
 * `{ run, lastMetrics, quality }`; a run that did not complete exits with 1.
 */
export async function followRun(ctx: CliContext, client: WorkbenchClient, run: Run): Promise<void> {
  const progress = ctx.bar('training');
  progress?.start(run.config.steps, run.step, { extra: '' });
  const off = client.on('run.metrics', (p) => {
    const last = p.runId === run.id ? p.points.at(-1) : undefined;
    if (last) progress?.update(last.step, { extra: `D ${last.values.d_loss?.toFixed(3)} G ${last.values.g_loss?.toFixed(3)}` });
  });
  const release = stopOnSignals(ctx, client, run.id);
  try {
    const final = await settled(client, run.id);
    progress?.stop();
    const quality = final.config.evaluation.everyCheckpoints > 0 ? await evaluationsSettled(ctx, client, run.id) : null;
    const [summary] = await client.call('runs.summaries', { ids: [run.id] });
    const last = summary?.last ?? {};
    ctx.print({ run: final, lastMetrics: last, ...(quality ? { quality } : {}) }, () =>
      [
        `run ${final.id} ${final.status} at step ${final.step}/${final.config.steps} on ${final.backend ?? 'no backend'}`,
        ...(final.reason ? [`${final.status === 'stopped' ? 'note' : 'reason'}: ${final.reason.message}`] : []),
        ...Object.entries(last).map(([k, v]) => `  ${k} = ${v}`),
        ...(quality ? describeQuality(quality) : []),
      ].join('\n'),
    );
    if (final.status !== 'completed') ctx.exitCode = 1;
  } finally {
    release();
    off();
    progress?.stop();
  }
}
