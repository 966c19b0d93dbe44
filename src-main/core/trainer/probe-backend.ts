/** Asks a short-lived trainer process which compute backend it gets here, and why not the others. */
import type { BackendReport } from '../../common/domain';
import { computeFields, type ComputeChoice } from '../../common/trainer-protocol';
import type { TrainerLauncher } from './launcher';
import { runOneShot } from './one-shot';

export function probeBackend(launcher: TrainerLauncher, compute: ComputeChoice = {}): Promise<BackendReport> {
  return runOneShot({
    launcher,
    what: 'report its compute backend',
    message: { type: 'probe', ...computeFields(compute) },
    answer: (m) => (m.type !== 'probed' ? undefined : m.backend ?? new Error(m.error ?? 'no compute backend is available')),
  });
}
