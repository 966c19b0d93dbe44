// Compiles better-sqlite3 once for Electron's ABI into node_modules/.electron-native/, leaving the
// Node build in place for the CLI, serve mode and the tests. The desktop app loads this copy.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const root = join(dirname(new URL(import.meta.url).pathname), '..');
const outDir = join(root, 'node_modules', '.electron-native');
const target = join(outDir, 'better_sqlite3.node');
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const stamp = join(outDir, `electron-${electronVersion}`);

if (existsSync(target) && existsSync(stamp)) process.exit(0);

const gyp = process.env.npm_config_node_gyp;
if (!gyp) {
  console.error('run this through npm (npm start), which provides node-gyp');
  process.exit(1);
}
console.log(`compiling better-sqlite3 for Electron ${electronVersion} (once)…`);
const src = dirname(require.resolve('better-sqlite3/package.json'));
const work = join(outDir, 'build-better-sqlite3');
rmSync(work, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
cpSync(src, work, { recursive: true, filter: (p) => !p.includes(`${'/'}build${'/'}`) });
const env = { ...process.env };
// This machine's npm may point node-gyp at Node's own headers; Electron needs its own.
delete env.npm_config_nodedir;
execFileSync(
  process.execPath,
  [gyp, 'rebuild', `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers', '--release'],
  { cwd: work, env, stdio: 'inherit' },
);
cpSync(join(work, 'build', 'Release', 'better_sqlite3.node'), target);
cpSync(target, stamp);
rmSync(work, { recursive: true, force: true });
console.log(`wrote ${target}`);
