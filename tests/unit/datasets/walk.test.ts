/** The walk: sorted output, hidden and system entries passed over, symlinks followed without loops. */
import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assignClasses } from '../../../src-main/core/datasets/classes';
import { walkFolder } from '../../../src-main/core/datasets/walk';
import { tempDirs } from './temp-dir';

const newDir = tempDirs();

async function touch(root: string, rel: string): Promise<void> {
  await mkdir(join(root, rel, '..'), { recursive: true });
  await writeFile(join(root, rel), rel);
}

describe('walkFolder', () => {
  it('lists files sorted by relative path with their first-level folder', async () => {
    const root = await newDir();
    for (const rel of ['b/2.png', 'b/10.png', 'a/z/deep.png', 'top.png', 'B/x.png', 'é/1.png']) await touch(root, rel);
    const { files, skipped } = await walkFolder(root);
    expect(files.map((f) => f.rel)).toEqual(['B/x.png', 'a/z/deep.png', 'b/10.png', 'b/2.png', 'top.png', 'é/1.png']);
    expect(files.map((f) => f.topDir)).toEqual(['B', 'a', 'b', 'b', null, 'é']);
    expect(files.every((f) => f.abs.startsWith(root) && f.size > 0)).toBe(true);
    expect(skipped).toEqual([]);
  });

  it('passes over hidden and system entries, loops and broken links', async () => {
    const root = await newDir();
    for (const rel of ['ok/a.png', '.git/objects/x', 'ok/.thumb.png', 'desktop.ini', 'ok/THUMBS.DB', '__MACOSX/._a.png']) await touch(root, rel);
    await symlink('..', join(root, 'ok', 'up'));
    await symlink('.', join(root, 'ok', 'self'));
    await symlink(join(root, 'gone'), join(root, 'dangling'));
    const { files, skipped } = await walkFolder(root);
    expect(files.map((f) => f.rel)).toEqual(['ok/a.png']);
    expect(skipped).toEqual([
      { file: '.git', reason: 'hidden' },
      { file: '__MACOSX', reason: 'system file' },
      { file: 'dangling', reason: 'broken symlink' },
      { file: 'desktop.ini', reason: 'system file' },
      { file: 'ok/.thumb.png', reason: 'hidden' },
      { file: 'ok/THUMBS.DB', reason: 'system file' },
      { file: 'ok/self', reason: 'symlink loop' },
      { file: 'ok/up', reason: 'symlink loop' },
    ]);
  });

  it('follows symlinked files and folders outside the root, each real folder once', async () => {
    const outside = await newDir();
    await touch(outside, 'shared/s.png');
    await touch(outside, 'single.png');
    const root = await newDir();
    await touch(root, 'own/o.png');
    await symlink(join(outside, 'shared'), join(root, 'linked'));
    await symlink(join(outside, 'shared'), join(root, 'linked-again'));
    await symlink(join(outside, 'single.png'), join(root, 'own', 'file-link.png'));
    // A link to the root's parent would pull in the root's neighbours: treated as a loop.
    await symlink(join(root, '..'), join(root, 'parent'));
    const { files, skipped } = await walkFolder(root);
    expect(files.map((f) => f.rel)).toEqual(['linked/s.png', 'own/file-link.png', 'own/o.png']);
    expect(skipped).toEqual([
      { file: 'linked-again', reason: 'folder already included through another path' },
      { file: 'parent', reason: 'symlink loop' },
    ]);
  });

  it('skips FIFOs, which would block a reader forever', async () => {
    const root = await newDir();
    await touch(root, 'a.png');
    try {
      execFileSync('mkfifo', [join(root, 'pipe.png')]);
    } catch {
      return; // no mkfifo on this platform
    }
    const { files, skipped } = await walkFolder(root);
    expect(files.map((f) => f.rel)).toEqual(['a.png']);
    expect(skipped).toEqual([{ file: 'pipe.png', reason: 'not a regular file' }]);
  });

  it('throws NOT_FOUND for a missing folder and IMPORT_FAILED for a file', async () => {
    const root = await newDir();
    await touch(root, 'f.png');
    await expect(walkFolder(join(root, 'missing'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(walkFolder(join(root, 'f.png'))).rejects.toMatchObject({ code: 'IMPORT_FAILED' });
  });
});

describe('assignClasses', () => {
  it('makes sorted classes of the first-level folders of packed images; root images get none', () => {
    const a = assignClasses(['dogs', null, 'cats', 'dogs']);
    expect(a.classes).toEqual(['cats', 'dogs']);
    expect(a.classIndices).toEqual([1, -1, 0, 1]);
    expect([...a.labels]).toEqual([1, 255, 0, 1]);
    expect(a.histogram).toEqual([1, 2]);
    expect(a.unlabelled).toBe(1);
    expect(a.warnings).toEqual([]);
  });

  it('imports without classes when they would not fit a label byte', () => {
    const dirs = Array.from({ length: 256 }, (_, i) => `c${i}`);
    const a = assignClasses(dirs);
    expect(a.classes).toEqual([]);
    expect(a.unlabelled).toBe(256);
    expect(a.warnings).toHaveLength(1);
  });
});
