/** The trainer's side of the protocol: Electron's parentPort in a utilityProcess, process.send in a fork. */
import type { HostToTrainer, TrainerToHost } from '../common/trainer-protocol';

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

export interface HostChannel {
  send(message: TrainerToHost): void;
  onMessage(listener: (message: HostToTrainer) => void): void;
}

export function connectToHost(): HostChannel {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      send: (m) => parentPort.postMessage(m),
      onMessage: (l) => parentPort.on('message', (e) => l(e.data as HostToTrainer)),
    };
  }
  if (!process.send) throw new Error('the trainer must be started by the workbench (no parent channel)');
  return {
    send: (m) => process.send?.(m),
    onMessage: (l) => process.on('message', (m) => l(m as HostToTrainer)),
  };
}
