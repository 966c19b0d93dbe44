/** Starts the trainer as an Electron utilityProcess (desktop app). */
import { utilityProcess } from 'electron';
import type { TrainerToHost } from '../common/trainer-protocol';
import type { TrainerLauncher } from '../core/trainer/launcher';

export function utilityLauncher(entry: string): TrainerLauncher {
  return () => {
    const child = utilityProcess.fork(entry, [], { serviceName: 'GAN Workbench trainer', stdio: 'inherit' });
    let alive = true;
    child.once('exit', () => (alive = false));
    return {
      get pid() {
        return child.pid;
      },
      send: (m) => {
        if (alive) child.postMessage(m);
      },
      onMessage: (l) => child.on('message', (m: unknown) => l(m as TrainerToHost)),
      onExit: (l) => child.once('exit', (code: number) => l(code, null)),
      kill: () => {
        child.kill();
      },
    };
  };
}
