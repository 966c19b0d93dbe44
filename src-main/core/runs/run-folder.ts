/** A new run's folder (config.json, samples/, checkpoints/, a fork's starting checkpoint and a grown run's grow.json), built beside its place and renamed in whole. */
import { mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TrainingConfig } from '../../common/training-config';
import { verifyCheckpointSync } from '../checkpoints/checkpoint-format';
import type { DataDir } from '../data-dir';
import { PARTIAL_MARKER } from '../datasets/packed-writer';
import { copyFolderDurably, fsyncDir, writeNewFileSync } from '../durable-files';

/**
 * Writes `runs/<id>/` so that it appears complete or not at all: a failed copy leaves nothing, and
 * a kill leaves only a `.partial-` folder for the start-up sweep. The caller inserts the run's row
 * after this returns and removes the folder if that insert fails.
 */
export function createRunFolder(dataDir: DataDir, id: string, config: TrainingConfig, start?: { dir: string; step: number }, files: Record<string, string> = {}): string {
  const runDir = dataDir.run(id);
  const tmp = mkdtempSync(`${runDir}${PARTIAL_MARKER}`);
  try {
    writeNewFileSync(join(tmp, 'config.json'), JSON.stringify(config, null, 2));
    for (const [name, text] of Object.entries(files)) writeNewFileSync(join(tmp, name), text);
    mkdirSync(join(tmp, 'samples'));
    mkdirSync(join(tmp, 'checkpoints'));
    if (start) {
      const copy = join(tmp, 'checkpoints', String(start.step));
      copyFolderDurably(start.dir, copy);
      // The source verified before the copy; this catches a copy cut short (a full disk).
      verifyCheckpointSync(copy, 'structure', start.step);
      fsyncDir(join(tmp, 'checkpoints'));
    }
    fsyncDir(tmp);
    renameSync(tmp, runDir);
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
  fsyncDir(dirname(runDir));
  return runDir;
}
