/** What the TrainerHost needs from a trainer process, whichever way it was started. */
import type { HostToTrainer, TrainerToHost } from '../../common/trainer-protocol';

export interface TrainerProcess {
  send(message: HostToTrainer): void;
  onMessage(listener: (message: TrainerToHost) => void): void;
  /** Called once when the process is gone, for any reason. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(): void;
  readonly pid: number | undefined;
}

export type TrainerLauncher = () => TrainerProcess;
