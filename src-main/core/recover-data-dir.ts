/** Start-up recovery of a data directory: sweep the leftovers of interrupted writes, then make the checkpoints table match the disk. */
import { reconcileRunCheckpoints, type ReconcileReport } from './checkpoints/reconcile-checkpoints';
import type { DataDir } from './data-dir';
import type { Store } from './store/store';
import { sweepLeftovers, type SweepReport } from './sweep-leftovers';

export interface RecoveryReport extends SweepReport {
  /** Runs whose checkpoint rows changed. */
  checkpoints: ReconcileReport[];
}

/**
 * Call once at start-up, before anything else writes to the data directory (and, with several
 * processes, only while holding its lock): a sweep cannot tell an interrupted write from a running one.
 */
export function recoverDataDir(store: Store, dataDir: DataDir, log?: (message: string) => void): RecoveryReport {
  const sweep = sweepLeftovers(store, dataDir);
  const checkpoints = store.runs
    .list()
    .map((run) => reconcileRunCheckpoints(store, dataDir, run.id))
    .filter((r) => r.removed.length > 0 || r.added.length > 0);
  if (sweep.removed.length > 0) log?.(`removed ${sweep.removed.length} leftover(s) of interrupted writes: ${sweep.removed.join(', ')}`);
  for (const path of sweep.kept) log?.(`${path} has no row but holds files the workbench did not write there; left in place`);
  for (const r of checkpoints) {
    log?.(`run ${r.runId}: checkpoint rows ${[...r.removed.map((x) => `-${x.step} (${x.problem})`), ...r.added.map((s) => `+${s}`)].join(', ')}`);
  }
  return { ...sweep, checkpoints };
}
