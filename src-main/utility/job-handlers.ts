/** The trainer process's jobs: one handler per message the host sends, in a registry the compiler checks is complete. */
import { reason } from '../common/run-reasons';
import type { HostToTrainer, TrainerToHost } from '../common/trainer-protocol';
import { resolveBackend } from '../engine/backends/resolve-backend';
import type { AugmentPreviewWorker } from './augment-preview';
import { runClassifierJob } from './classifier-job';
import { trainingThreads } from './compute-threads';
import { runEvaluateJob } from './evaluate-job';
import { EvaluationLedger } from './evaluation-ledger';
import { exportGeneratorJob } from './export-job';
import { runGenerateJob } from './generate-job';
import { runGrowJob } from './grow-job';
import type { TrainingLoop } from '../engine/loop/training-loop';
import { runTraining } from './training-run';
import { runTranslateJob } from './translate-job';

type MessageOf<T extends HostToTrainer['type']> = Extract<HostToTrainer, { type: T }>;
export type JobHandlers = { [T in HostToTrainer['type']]: (message: MessageOf<T>) => void };

export interface TrainerParts {
  send(message: TrainerToHost): void;
  loop: TrainingLoop;
  previews: AugmentPreviewWorker;
  /** Ends the process once the last messages had time to leave. */
  exitSoon(afterMs: number): void;
  /** A training run owns the process from `start` on (a SIGTERM then stops it after a checkpoint). */
  markTraining(): void;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Runs a job and sends its one answer (or its error); returns when the answer is sent. */
function answer<T>(parts: TrainerParts, work: () => Promise<T>, reply: (result: { ok: true; value: T } | { ok: false; error: string }) => TrainerToHost): Promise<void> {
  return Promise.resolve()
    .then(work)
    .then(
      (value) => parts.send(reply({ ok: true, value })),
      (e: unknown) => parts.send(reply({ ok: false, error: messageOf(e) })),
    );
}

export function jobHandlers(parts: TrainerParts): JobHandlers {
  const { loop } = parts;
  /** The evaluations of the run this process trains, which the host keeps reporting. */
  let evaluations: EvaluationLedger | null = null;
  return {
    start: (message) => {
      parts.markTraining();
      evaluations = new EvaluationLedger(message.config, message.evaluations);
      runTraining(loop, message, evaluations)
        .catch((error: unknown) => {
          parts.send({ type: 'finished', runId: message.runId, status: 'failed', step: 0, reason: reason('TRAINER_ERROR', messageOf(error)) });
        })
        .finally(() => parts.exitSoon(100));
    },
    // What a fresh process with the default compute settings gets: the probe's process ends after it.
    probe: (message) =>
      void answer(
        parts,
        () => resolveBackend(message.backend, { adapter: message.adapter, threads: trainingThreads(null) }),
        (r) => (r.ok ? { type: 'probed', backend: r.value } : { type: 'probed', backend: null, error: r.error }),
      ).finally(() => parts.exitSoon(50)),
    // Previews, renders, exports and evaluations run in the host's warm worker (core/trainer/job-worker.ts), which
    // sends one job at a time and keeps the process up between them.
    augmentPreview: (message) => parts.previews.enqueue(message, parts.send),
    generate: (message) =>
      void answer(
        parts,
        () => runGenerateJob(message),
        (r) => (r.ok ? { type: 'generated', requestId: message.requestId, ok: true, image: r.value } : { type: 'generated', requestId: message.requestId, ok: false, error: r.error }),
      ),
    translate: (message) =>
      void answer(
        parts,
        () => runTranslateJob(message),
        (r) => (r.ok ? { type: 'translated', requestId: message.requestId, ok: true, result: r.value } : { type: 'translated', requestId: message.requestId, ok: false, error: r.error }),
      ),
    export: (message) =>
      void answer(
        parts,
        () => exportGeneratorJob(message),
        (r) => (r.ok ? { type: 'exported', requestId: message.requestId, ok: true, dir: r.value } : { type: 'exported', requestId: message.requestId, ok: false, error: r.error }),
      ),
    evaluate: (message) =>
      void answer(
        parts,
        () => runEvaluateJob(message),
        (r) => (r.ok ? { type: 'evaluated', requestId: message.requestId, ok: true, result: r.value } : { type: 'evaluated', requestId: message.requestId, ok: false, error: r.error }),
      ),
    grow: (message) =>
      void answer(
        parts,
        () => runGrowJob(message),
        (r) => (r.ok ? { type: 'grown', requestId: message.requestId, ok: true, result: r.value } : { type: 'grown', requestId: message.requestId, ok: false, error: r.error }),
      ),
    trainClassifier: (message) =>
      void answer(
        parts,
        () => runClassifierJob(message),
        (r) =>
          r.ok
            ? { type: 'classifierTrained', requestId: message.requestId, ok: true, report: r.value }
            : { type: 'classifierTrained', requestId: message.requestId, ok: false, error: r.error },
      ),
    pause: () => loop.pause(),
    resume: () => loop.resume(),
    synced: (message) => loop.synced(message.id),
    evaluated: (message) => evaluations?.record(message.step, message.kid),
    stop: () => loop.stop(),
  };
}

/** Hands a message to its handler. */
export function dispatch(handlers: JobHandlers, message: HostToTrainer): void {
  (handlers[message.type] as (m: HostToTrainer) => void)(message);
}
