/** The layout of the data directory, and the one check that keeps every served path inside it. */
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { WorkbenchError } from '../common/errors';

/** The SQLite database's file name inside the data directory. */
export const DATABASE_FILE = 'workbench.sqlite';

export class DataDir {
  readonly root: string;

  /** `create: false` (read-only use) refuses a folder that does not exist instead of making it. */
  constructor(root: string, opts: { create?: boolean } = {}) {
    if (opts.create === false) {
      if (!existsSync(root)) throw new WorkbenchError('NOT_FOUND', `there is no data directory at ${resolve(root)}`);
      this.root = realpathSync(resolve(root));
      return;
    }
    mkdirSync(root, { recursive: true });
    this.root = realpathSync(resolve(root));
    mkdirSync(join(this.root, 'datasets'), { recursive: true });
    mkdirSync(join(this.root, 'runs'), { recursive: true });
  }

  get database(): string {
    return join(this.root, DATABASE_FILE);
  }

  dataset(id: string): string {
    return join(this.root, 'datasets', id);
  }

  run(id: string): string {
    return join(this.root, 'runs', id);
  }

  /** Path relative to the root with forward slashes, as stored in the database and sent to the UI. */
  relative(absolute: string): string {
    return relative(this.root, absolute).split(sep).join('/');
  }

  /**
   * Resolves a data-relative path for serving a file. Refuses anything that escapes the root,
   * lexically or through a symlink.
   */
  resolveInside(relativePath: string): string {
    const refuse = () => new WorkbenchError('PATH_OUTSIDE_DATA_DIR', `path is outside the data directory: ${relativePath}`);
    if (relativePath.includes('\0') || isAbsolute(relativePath)) throw refuse();
    const lexical = resolve(this.root, relativePath);
    if (!isInside(this.root, lexical)) throw refuse();
    let real: string;
    try {
      real = realpathSync(lexical);
    } catch {
      throw new WorkbenchError('NOT_FOUND', `no such file: ${relativePath}`);
    }
    if (!isInside(this.root, real)) throw refuse();
    return real;
  }
}

function isInside(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}
