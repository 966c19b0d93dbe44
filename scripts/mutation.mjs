#!/usr/bin/env node
// Mutation testing, one folder at a time (npm run test:mutation -- <folder>|all): StrykerJS with the
// vitest runner, each folder with the tests that cover it, incrementally (reports/mutation/<folder>.json).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

/** Pure-math folders first: they are quick, and what they compute is what every run trusts. */
export const FOLDERS = {
  objectives: { mutate: ['src-main/engine/objectives/**/*.ts'], tests: ['tests/unit/engine/objectives/**/*.test.ts', 'tests/unit/engine/session/wiring.test.ts'] },
  stabilizers: { mutate: ['src-main/engine/stabilizers/**/*.ts'], tests: ['tests/unit/engine/stabilizers/**/*.test.ts', 'tests/unit/engine/session/techniques.test.ts'] },
  augment: { mutate: ['src-main/engine/augment/**/*.ts'], tests: ['tests/unit/engine/augment/**/*.test.ts', 'tests/unit/engine/session/optim-augment.test.ts', 'tests/unit/engine/session/wiring.test.ts'] },
  common: {
    mutate: ['src-main/common/**/*.ts', '!src-main/common/client/**', '!src-main/common/contract.ts'],
    tests: [
      'tests/unit/common/**/*.test.ts',
      'tests/unit/config/**/*.test.ts',
      'tests/unit/diagnostics/**/*.test.ts',
      'tests/unit/settings/**/*.test.ts',
      // The estimates against the nets the engine really builds, and the renderer's pure libraries over common/.
      'tests/unit/engine/nets/net-size.test.ts',
      'tests/unit/renderer/model-size-estimate.test.ts',
      'tests/unit/renderer/experiment-libs.test.ts',
      'tests/unit/transport/renderer-url.test.ts',
    ],
  },
  nets: { mutate: ['src-main/engine/nets/**/*.ts'], tests: ['tests/unit/engine/nets/**/*.test.ts'] },
  // The session's and the loop's tests train real nets: a narrow selection of the tests that check numbers keeps
  // a run under an hour. Left out: the smoke tests (presets matrix, resume process, memory estimate) and the long
  // runs (leaks.test.ts's 200 steps, whose checks disposal.test.ts makes in a few; ema-warmup's 500).
  session: {
    mutate: ['src-main/engine/session/**/*.ts'],
    tests: [
      'tests/unit/engine/session/wiring.test.ts',
      'tests/unit/engine/session/basics.test.ts',
      'tests/unit/engine/session/state.test.ts',
      'tests/unit/engine/session/techniques.test.ts',
      'tests/unit/engine/session/feature-layer.test.ts',
      'tests/unit/engine/session/optim-augment.test.ts',
      'tests/unit/engine/session/disposal.test.ts',
      'tests/unit/engine/session/technique-flags.test.ts',
      'tests/unit/engine/session/metrics-streams.test.ts',
      'tests/unit/engine/session/grids-render.test.ts',
      'tests/unit/engine/session/state-refusals.test.ts',
      'tests/unit/engine/session/ema-steps.test.ts',
    ],
  },
  // A mutant that leaves the loop waiting (for a resume, a stop) would hold each of its tests for the default minute.
  loop: { mutate: ['src-main/engine/loop/**/*.ts'], tests: ['tests/unit/engine/loop/**/*.test.ts'], timeoutMS: 5000 },
  store: {
    mutate: ['src-main/core/store/**/*.ts'],
    tests: [
      'tests/unit/store/**/*.test.ts',
      'tests/unit/settings/**/*.test.ts',
      // The store under the services that use it (no trainer is started): evaluations, start-up recovery, datasets.
      'tests/unit/quality/run-evaluations.test.ts',
      'tests/unit/recovery/startup-recovery.test.ts',
      'tests/unit/datasets/dataset-service.test.ts',
    ],
  },
};

const wanted = process.argv[2];
if (!wanted || (wanted !== 'all' && !(wanted in FOLDERS))) {
  console.error(`usage: npm run test:mutation -- <${Object.keys(FOLDERS).join('|')}|all>`);
  process.exit(2);
}
mkdirSync('reports/mutation', { recursive: true });
let failed = false;
for (const name of wanted === 'all' ? Object.keys(FOLDERS) : [wanted]) {
  const { mutate, tests, timeoutMS } = FOLDERS[name];
  const started = Date.now();
  console.log(`--- mutation: ${name} (${mutate.join(', ')})`);
  const r = spawnSync(
    'npx',
    ['stryker', 'run', 'stryker.config.mjs', '--mutate', mutate.join(','), '--incrementalFile', `reports/mutation/${name}.json`, ...(timeoutMS ? ['--timeoutMS', String(timeoutMS)] : [])],
    { stdio: 'inherit', env: { ...process.env, MUTATION_TESTS: tests.join(',') } },
  );
  console.log(`--- mutation: ${name} took ${((Date.now() - started) / 60000).toFixed(1)} min`);
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
