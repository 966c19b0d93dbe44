/** Asks a short-lived trainer process which compute backend it gets here, and why not the others. */
import type { BackendReport } from '../../common/domain';
import type { TrainerLauncher } from './launcher';
import { runOneShot } from './one-shot';

export function probeBackend(launcher: TrainerLauncher, backend?: string): Promise<BackendReport> {
  return runOneShot({
    launcher,
    what: 'report its compute backend',
    message: { type: 'probe', ...(backend ? { backend } : {}) },
    answer: (m) => (m.type !== 'probed' ? undefined : m.backend ?? new Error(m.error ?? 'no compute backend is available')),
  });
}
