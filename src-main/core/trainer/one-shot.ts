/** Runs one job on a short-lived trainer process: start it, send one message, wait for its one answer. */
import { WorkbenchError } from '../../common/errors';
import type { HostToTrainer, TrainerToHost } from '../../common/trainer-protocol';
import type { TrainerLauncher, TrainerProcess } from './launcher';

export interface OneShotOptions<T> {
  launcher: TrainerLauncher;
  message: HostToTrainer;
  /** Picks the answer out of the trainer's messages: a value, an Error to reject with, or undefined to keep waiting. */
  answer(m: TrainerToHost): T | Error | undefined;
  /** What the trainer is asked to do, for error messages ("report its compute backend"). */
  what: string;
  /** Starting a process and loading tfjs takes seconds; a process silent for this long is stuck and killed. */
  timeoutMs?: number;
  log?: (message: string) => void;
}

export function runOneShot<T>(opts: OneShotOptions<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let proc: TrainerProcess;
    try {
      proc = opts.launcher();
    } catch (e) {
      reject(new WorkbenchError('TRAINER_FAILED', `could not start a trainer process: ${e instanceof Error ? e.message : String(e)}`));
      return;
    }
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timeoutMs = opts.timeoutMs ?? 120_000;
    const timer = setTimeout(() => {
      settle(() => reject(new WorkbenchError('TRAINER_FAILED', `the trainer did not ${opts.what} within ${timeoutMs / 1000} s`)));
      proc.kill();
    }, timeoutMs);
    proc.onMessage((m) => {
      if (m.type === 'log') opts.log?.(`[${opts.what}] ${m.level}: ${m.message}`);
      const a = opts.answer(m);
      if (a === undefined) return;
      settle(() => (a instanceof Error ? reject(a instanceof WorkbenchError ? a : new WorkbenchError('TRAINER_FAILED', a.message)) : resolve(a)));
    });
    proc.onExit((code, signal) => {
      settle(() => reject(new WorkbenchError('TRAINER_FAILED', `the trainer process exited before it could ${opts.what} (${signal ?? `code ${code}`})`)));
    });
    proc.send(opts.message);
  });
}
