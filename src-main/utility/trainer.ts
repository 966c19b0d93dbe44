/** Entry of the trainer process: connects to the host and hands each message to its handler in the registry of job handlers (job-handlers.ts). */
import { AugmentPreviewWorker } from './augment-preview';
import { connectToHost } from './channel';
import { dispatch, jobHandlers } from './job-handlers';
import { TrainingLoop } from '../engine/loop/training-loop';

const host = connectToHost();
const send = host.send.bind(host);
const loop = new TrainingLoop(send);
let training = false;
const handlers = jobHandlers({
  send,
  loop,
  previews: new AugmentPreviewWorker(),
  exitSoon: (ms) => setTimeout(() => process.exit(0), ms),
  markTraining: () => (training = true),
});
// Ctrl+C in a terminal reaches the whole process group: the host decides what it means (stop after a
// checkpoint), so the trainer must not die of it. A SIGTERM sent to the trainer alone is a stop too.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => (training ? loop.stop() : process.exit(0)));
// Without its host nobody records what it writes, and a new host may start the same run: end at once.
process.on('disconnect', () => process.exit(0));

host.onMessage((message) => dispatch(handlers, message));
host.send({ type: 'ready' });
