// `npm test`: runs every suite in order (stopping at the first failure) and prints how long each took.
import { spawnSync } from 'node:child_process';

/** Each suite is an npm script; the slow full-count versions (test:faults, test:fuzz, test:webgpu…) are not here. */
const SUITES = ['typecheck', 'lint', 'test:unit', 'test:quality', 'test:e2e', 'test:electron-security'];

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const timings = [];
let failed = null;
for (const suite of SUITES) {
  const started = performance.now();
  const result = spawnSync(npm, ['run', '--silent', suite], { stdio: 'inherit' });
  const seconds = (performance.now() - started) / 1000;
  timings.push([suite, seconds, result.status === 0 ? 'ok' : `FAILED (${result.status ?? result.signal})`]);
  if (result.status !== 0) {
    failed = suite;
    break;
  }
}
const total = timings.reduce((s, [, t]) => s + t, 0);
console.log('\nsuite                      time      result');
for (const [suite, seconds, result] of timings) console.log(`${suite.padEnd(26)} ${`${seconds.toFixed(0)} s`.padStart(7)}   ${result}`);
console.log(`${'total'.padEnd(26)} ${`${total.toFixed(0)} s`.padStart(7)}${failed ? `   stopped at ${failed}` : ''}`);
process.exitCode = failed ? 1 : 0;
