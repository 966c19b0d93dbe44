/**
 * Keeps the checkpoints table true to the disk: after a kill or a power cut a row may name a folder
 * that is gone or damaged, and a whole folder may have no row. Also the one check a checkpoint row
 * passes before fork or export uses its files.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { WorkbenchError } from '../../common/errors';
import type { DataDir } from '../data-dir';
import type { NewCheckpoint } from '../store/samples-repo';
import type { Store } from '../store/store';
import { DamagedCheckpoint, STATE_FILE, checkpointSteps, verifyCheckpointSync } from './checkpoint-format';

export interface ReconcileReport {
  runId: string;
  /** Rows removed, with what was wrong with their folder. */
  removed: { step: number; problem: string }[];
  /** Steps of verified folders that had no row. */
  added: number[];
}

function checkpointsDirOf(dataDir: DataDir, runId: string): string {
  return join(dataDir.run(runId), 'checkpoints');
}

/**
 * Compares a run's rows with its checkpoint folders and fixes the rows in one durable transaction.
 * `structure` (start-up, run start) catches torn and truncated writes; `checksum` also reads every blob.
 */
export function reconcileRunCheckpoints(store: Store, dataDir: DataDir, runId: string, depth: 'structure' | 'checksum' = 'structure'): ReconcileReport {
  const dir = checkpointsDirOf(dataDir, runId);
  const rows = new Map(store.checkpoints.list(runId).map((c) => [c.step, c]));
  const onDisk = new Set(checkpointSteps(dir));
  const verified = new Set<number>();
  const removed: ReconcileReport['removed'] = [];
  for (const step of new Set([...rows.keys(), ...onDisk])) {
    try {
      if (!onDisk.has(step)) throw new DamagedCheckpoint(join(dir, String(step)), 'its folder is missing');
      verifyCheckpointSync(join(dir, String(step)), depth, step);
      verified.add(step);
    } catch (e) {
      if (!(e instanceof DamagedCheckpoint)) throw e;
      if (rows.has(step)) removed.push({ step, problem: e.problem });
    }
  }
  const add: NewCheckpoint[] = [...verified]
    .filter((step) => !rows.has(step))
    .map((step) => ({
      runId,
      step,
      path: dataDir.relative(join(dir, String(step))),
      createdAt: statSync(join(dir, String(step), STATE_FILE)).mtime.toISOString(),
    }));
  // Which checkpoint is best follows from the rows and the evaluations when they are read: no flag to fix.
  if (removed.length > 0 || add.length > 0) store.checkpoints.reconcile(runId, { remove: removed.map((r) => r.step), add });
  for (const r of removed) store.events.insert(runId, 'warn', `checkpoint at step ${r.step} removed from the run's list: ${r.problem}`);
  for (const c of add) store.events.insert(runId, 'recovered', `checkpoint at step ${c.step} was on disk without a row: added to the run's list`);
  return { runId, removed, added: add.map((c) => c.step) };
}

/**
 * The folder of a checkpoint row, after verifying it. A row whose folder is gone or damaged is
 * removed (and the run's log says why), and the caller gets a NOT_FOUND it can show. `structure` when
 * a trainer loads it next (it checks the checksum itself), `checksum` when the files are copied.
 */
export function soundCheckpointDir(store: Store, dataDir: DataDir, checkpoint: NewCheckpoint, depth: 'structure' | 'checksum'): string {
  const dir = join(checkpointsDirOf(dataDir, checkpoint.runId), String(checkpoint.step));
  try {
    verifyCheckpointSync(dir, depth, checkpoint.step);
    return dir;
  } catch (e) {
    if (!(e instanceof DamagedCheckpoint)) throw e;
    const problem = checkpointSteps(checkpointsDirOf(dataDir, checkpoint.runId)).includes(checkpoint.step) ? e.problem : 'its folder is missing';
    store.checkpoints.reconcile(checkpoint.runId, { remove: [checkpoint.step], add: [] });
    store.events.insert(checkpoint.runId, 'warn', `checkpoint at step ${checkpoint.step} removed from the run's list: ${problem}`);
    throw new WorkbenchError('NOT_FOUND', `the checkpoint at step ${checkpoint.step} of run ${checkpoint.runId} cannot be used: ${problem}; it was removed from the run's checkpoints`, {
      runId: checkpoint.runId,
      step: checkpoint.step,
      problem,
    });
  }
}
