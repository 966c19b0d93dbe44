/** Entry of the trainer process: wires the host channel to one job (a training run, or a one-shot job), then exits. */
import { reason } from '../common/run-reasons';
import { resolveBackend } from '../engine/backends/resolve-backend';
import { AugmentPreviewWorker } from './augment-preview';
import { trainingThreads } from './compute-threads';
import { connectToHost } from './channel';
import { exportGeneratorJob } from './export-job';
import { runGenerateJob } from './generate-job';
import { TrainingLoop } from './training-loop';

const host = connectToHost();
const loop = new TrainingLoop((m) => host.send(m));
const previews = new AugmentPreviewWorker();
// Ctrl+C in a terminal reaches the whole process group: the host decides what it means (stop after a
// checkpoint), so the trainer must not die of it. A SIGTERM sent to the trainer alone is a stop too.
process.on('SIGINT', () => undefined);
let training = false;
process.on('SIGTERM', () => (training ? loop.stop() : process.exit(0)));
// Without its host nobody records what it writes, and a new host may start the same run: end at once.
process.on('disconnect', () => process.exit(0));

host.onMessage((message) => {
  switch (message.type) {
    case 'start':
      training = true;
      loop
        .run(message)
        .catch((error: unknown) => {
          const text = error instanceof Error ? error.message : String(error);
          host.send({ type: 'finished', runId: message.runId, status: 'failed', step: 0, reason: reason('TRAINER_ERROR', text) });
        })
        // Give the last messages time to leave before the process ends.
        .finally(() => setTimeout(() => process.exit(0), 100));
      return;
    case 'probe':
      // What a run with the default compute settings would get.
      Promise.resolve()
        .then(() => resolveBackend(message.backend, { adapter: message.adapter, threads: trainingThreads(null) }))
        .then((backend) => host.send({ type: 'probed', backend }))
        .catch((e: unknown) => host.send({ type: 'probed', backend: null, error: e instanceof Error ? e.message : String(e) }))
        .finally(() => setTimeout(() => process.exit(0), 50));
      return;
    case 'augmentPreview':
      // The preview worker stays up between requests: no exit here.
      return previews.enqueue(message, (m) => host.send(m));
    case 'generate':
      runGenerateJob(message)
        .then((image) => host.send({ type: 'generated', requestId: message.requestId, ok: true, image }))
        .catch((e: unknown) => host.send({ type: 'generated', requestId: message.requestId, ok: false, error: e instanceof Error ? e.message : String(e) }))
        .finally(() => setTimeout(() => process.exit(0), 50));
      return;
    case 'export':
      exportGeneratorJob(message)
        .then((dir) => host.send({ type: 'exported', requestId: message.requestId, ok: true, dir }))
        .catch((e: unknown) => host.send({ type: 'exported', requestId: message.requestId, ok: false, error: e instanceof Error ? e.message : String(e) }))
        .finally(() => setTimeout(() => process.exit(0), 50));
      return;
    case 'pause':
      return loop.pause();
    case 'resume':
      return loop.resume();
    case 'synced':
      return loop.synced(message.id);
    case 'stop':
      return loop.stop();
  }
});
host.send({ type: 'ready' });
