/** Entry of the trainer process: wires the host channel to one TrainingLoop, then exits. */
import { resolveBackend } from '../engine/backends/resolve-backend';
import { AugmentPreviewWorker } from './augment-preview';
import { connectToHost } from './channel';
import { exportGeneratorJob } from './export-job';
import { runGenerateJob } from './generate-job';
import { TrainingLoop } from './training-loop';

const host = connectToHost();
const loop = new TrainingLoop((m) => host.send(m));
const previews = new AugmentPreviewWorker();

host.onMessage((message) => {
  switch (message.type) {
    case 'start':
      loop
        .run(message)
        .catch((error: unknown) => {
          const text = error instanceof Error ? error.message : String(error);
          host.send({ type: 'finished', runId: message.runId, status: 'failed', step: 0, error: text });
        })
        // Give the last messages time to leave before the process ends.
        .finally(() => setTimeout(() => process.exit(0), 100));
      return;
    case 'probe':
      resolveBackend(message.backend, { adapter: message.adapter })
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
    case 'stop':
      return loop.stop();
  }
});
host.send({ type: 'ready' });
