// @ts-check
/** StrykerJS for npm run test:mutation (scripts/mutation.mjs sets --mutate and the tests per folder). */
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  coverageAnalysis: 'perTest',
  incremental: true,
  concurrency: 2,
  timeoutMS: 60_000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/last-run.json' },
  thresholds: { high: 90, low: 80, break: null },
  ignorePatterns: ['out', 'test-results', 'reports', '.stryker-tmp', 'bench/results', '*.log'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
