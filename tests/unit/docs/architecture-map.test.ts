/** docs/architecture.md is the project's one map: every source and test folder is named in it; it and CONTRIBUTING.md name only paths that exist. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../fixtures/workbench';

const MAP = readFileSync(join(repoRoot, 'docs', 'architecture.md'), 'utf8');

/** Repository-relative paths under `root`: its folders, or with `files` its files too; `depth` levels deep. */
function entries(root: string, { files = false, depth = Infinity } = {}): string[] {
  const found: string[] = [];
  const walk = (dir: string, level: number) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory() || files) found.push(relative(repoRoot, full).split('\\').join('/'));
      if (entry.isDirectory() && level < depth) walk(full, level + 1);
    }
  };
  walk(join(repoRoot, root), 1);
  return found;
}

/** How the map may name a folder: by its full path, or by its path inside its layer (`core/datasets/`), or as `name/` in its parent's row. */
function named(folder: string): boolean {
  const parts = folder.split('/');
  const candidates = [folder, parts.slice(1).join('/')].filter((c) => c !== '').map((c) => `${c}/`);
  if (candidates.some((c) => MAP.includes(c))) return true;
  // A subfolder listed by its own name in the paragraph or table row of its parent: `nets/` in engine's row.
  const leaf = `\`${parts[parts.length - 1]}/\``;
  const parent = parts.slice(1, -1).join('/') || parts[0]!;
  return MAP.split('\n').some((line) => line.includes(leaf) && line.includes(`${parent}/`));
}

describe('docs/architecture.md', () => {
  it.each([
    ['src-main', Infinity],
    ['src-renderer', Infinity],
    // tests/unit/ mirrors the source folders; the map names the suites.
    ['tests', 1],
  ] as const)('names every folder under %s/', (root, depth) => {
    const missing = entries(root, { depth }).filter((f) => !named(f));
    expect(missing, `folders not named in docs/architecture.md: ${missing.join(', ')}`).toEqual([]);
  });

  it.each(['docs/architecture.md', 'CONTRIBUTING.md'])('%s names only files and folders that exist', (doc) => {
    const text = readFileSync(join(repoRoot, doc), 'utf8');
    // Backticked paths (`core/trainer/one-shot.ts`, `nets/`, `eslint.config.js`): the end of some real path of the repository.
    const all = ['src-main', 'src-renderer', 'src-preload', 'tests', 'bench', 'scripts', 'docs'].flatMap((r) => [r, ...entries(r, { files: true })]);
    const paths = [...text.matchAll(/`([a-z][\w.-]*\/[\w./-]*|[\w.-]+\.(?:ts|js|md))`/g)].map((m) => m[1]!.replace(/\/$/, ''));
    const unresolved = paths.filter((p) => {
      if (existsSync(join(repoRoot, p))) return false;
      return !all.some((a) => [a, a.replace(/\.ts$/, '')].some((c) => c === p || c.endsWith(`/${p}`)));
    });
    expect(unresolved, `paths in ${doc} that do not exist: ${unresolved.join(', ')}`).toEqual([]);
    expect(paths.length).toBeGreaterThan(15);
  });

  it('is the map the README links to', () => {
    expect(readFileSync(join(repoRoot, 'README.md'), 'utf8')).toContain('docs/architecture.md');
  });
});
