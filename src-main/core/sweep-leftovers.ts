/**
 * The start-up sweep: removes what interrupted writes leave in the data directory (temp folders and
 * files, datasets and runs whose row never committed). It removes only names we make, in the places
 * we make them, and leaves anything else in the data directory alone.
 */
import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DataDir } from './data-dir';
import { IMAGES_FILE, LABELS_FILE, MANIFEST_FILE, THUMBS_DIR } from './datasets/packed-format';
import { PARTIAL_MARKER } from './datasets/packed-writer';
import { TEMP_PREFIX } from './durable-files';
import { isIdOf, type IdPrefix } from './ids';
import type { Store } from './store/store';

/** What a dataset folder holds (packed-format.ts). */
const DATASET_ENTRIES = new Set([MANIFEST_FILE, IMAGES_FILE, LABELS_FILE, THUMBS_DIR]);
/** What a run folder holds: config.json (runs), grow.json (a grown run's report), samples/ and checkpoints/ (trainer), exports/ and generated/ (on demand), evaluations/ (the closest pairs of evaluated checkpoints). */
const RUN_ENTRIES = new Set(['config.json', 'grow.json', 'samples', 'checkpoints', 'exports', 'generated', 'evaluations']);
/** Inside a run: folders whose leftovers have a name of their own (a sample, its raw G grid or a picture written as `<file>.tmp`). */
const RUN_TEMP_FILES: Record<string, RegExp> = {
  samples: /^\d+(-raw)?\.png\.tmp$/,
  generated: /^[a-z]+-\d+-[0-9a-f]+\.png\.tmp$/,
  exports: new RegExp(`^step-\\d+${escape(PARTIAL_MARKER)}[A-Za-z0-9]+$`),
  checkpoints: new RegExp(`^${escape(TEMP_PREFIX)}`),
  // A step's folder being written, or the one it replaces (core/quality/nearest-files.ts).
  evaluations: new RegExp(`^${escape(TEMP_PREFIX)}`),
};

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** A real folder, not a symlink to one: the sweep never follows a link out of the data directory. */
function isFolder(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** `<id>.partial-XXXXXX`, the temporary sibling an import, a fork or a new run is built in. */
function isPartialOf(prefix: IdPrefix, name: string): boolean {
  const at = name.indexOf(PARTIAL_MARKER);
  return at > 0 && isIdOf(prefix, name.slice(0, at)) && /^[A-Za-z0-9]+$/.test(name.slice(at + PARTIAL_MARKER.length));
}

/** A folder named like our ids with no row: removed only when it holds nothing but what we put in such a folder. */
function isOurOrphan(path: string, allowed: Set<string>): boolean {
  return isFolder(path) && entries(path).every((e) => allowed.has(e) || e.startsWith(TEMP_PREFIX));
}

export interface SweepReport {
  /** Paths removed, relative to the data directory. */
  removed: string[];
  /** Folders named like ours without a row that hold something else: left in place for a person to look at. */
  kept: string[];
}

export function sweepLeftovers(store: Store, dataDir: DataDir): SweepReport {
  const report: SweepReport = { removed: [], kept: [] };
  const remove = (path: string) => {
    rmSync(path, { recursive: true, force: true, maxRetries: 3 });
    report.removed.push(dataDir.relative(path));
  };
  const kinds = [
    { folder: 'datasets', prefix: 'ds', rows: new Set(store.datasets.list().map((d) => d.id)), holds: DATASET_ENTRIES },
    { folder: 'runs', prefix: 'run', rows: new Set(store.runs.list().map((r) => r.id)), holds: RUN_ENTRIES },
  ] as const;
  for (const kind of kinds) {
    const parent = join(dataDir.root, kind.folder);
    for (const name of entries(parent)) {
      const path = join(parent, name);
      if (isPartialOf(kind.prefix, name) && isFolder(path)) remove(path);
      else if (isIdOf(kind.prefix, name) && !kind.rows.has(name)) {
        if (isOurOrphan(path, kind.holds)) remove(path);
        else if (isFolder(path)) report.kept.push(dataDir.relative(path));
      } else if (kind.prefix === 'run' && kind.rows.has(name) && isFolder(path)) {
        for (const e of entries(path)) if (e.startsWith(TEMP_PREFIX)) remove(join(path, e));
        for (const [folder, pattern] of Object.entries(RUN_TEMP_FILES)) {
          for (const e of entries(join(path, folder))) if (pattern.test(e)) remove(join(path, folder, e));
        }
      }
    }
  }
  report.removed.sort();
  return report;
}
