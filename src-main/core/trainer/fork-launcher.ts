/** Starts the trainer as a Node child process (headless mode, CLI and tests). */
import { fork } from 'node:child_process';
import type { TrainerToHost } from '../../common/trainer-protocol';
import type { TrainerLauncher } from './launcher';

export interface ForkLauncherOptions {
  /** The trainer entry: out/main/trainer.js, or src-main/utility/trainer.ts with a TypeScript loader. */
  entry: string;
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
}

export function forkLauncher(opts: ForkLauncherOptions): TrainerLauncher {
  return () => {
    const child = fork(opts.entry, [], {
      execArgv: opts.execArgv ?? [],
      env: opts.env ?? process.env,
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return {
      pid: child.pid,
      send: (m) => {
        if (child.connected) child.send(m);
      },
      onMessage: (l) => child.on('message', (m) => l(m as TrainerToHost)),
      onExit: (l) => child.once('exit', (code, signal) => l(code, signal)),
      kill: () => child.kill('SIGKILL'),
    };
  };
}
