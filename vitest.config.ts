/** Test projects: fast unit tests, the contract suite over both transports, the MNIST quality test, the webgpu technique matrix, and end-to-end tests in Chromium. */
import { resolve } from 'node:path';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/** Protocol fuzzing (tests/fuzz): 1,000 cases per property in npm test, 10,000 in npm run test:fuzz; FUZZ_RUNS and FUZZ_SEED override. */
function fuzzProject(name: string, defaultRuns: number): TestProjectInlineConfiguration {
  const runs = Number(process.env.FUZZ_RUNS ?? defaultRuns);
  return {
    extends: true,
    test: {
      name,
      include: ['tests/fuzz/**/*.test.ts'],
      environment: 'node',
      env: { FUZZ_RUNS: String(runs) },
      testTimeout: runs * 600,
      hookTimeout: 120_000,
    },
  };
}

/** Fault injection (tests/faults): kills the built server and its trainers at seeded moments; 20 kills in npm test, 500 in npm run test:faults. */
function faultsProject(name: string, defaultKills: number): TestProjectInlineConfiguration {
  return {
    extends: true,
    test: {
      name,
      include: ['tests/faults/**/*.test.ts'],
      environment: 'node',
      env: { FAULTS: process.env.FAULTS ?? String(defaultKills) },
      fileParallelism: false,
      testTimeout: 6 * 3_600_000,
      hookTimeout: 180_000,
    },
  };
}

export default defineConfig({
  // Component tests mount single-file components (in happy-dom, chosen per file).
  plugins: [vue()],
  resolve: { alias: { '@common': resolve(import.meta.dirname, 'src-main/common') } },
  test: {
    // Every trainer process a test starts computes on one thread, so parallel test files do not
    // oversubscribe the cores; the threading tests ask for more explicitly.
    env: { WORKBENCH_THREADS: '1' },
    // A loaded 2-core machine can take seconds to render what a poll waits for; 1 s (vitest's default) flakes.
    expect: { poll: { timeout: 15_000 } },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'contract',
          include: ['tests/contract/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      fuzzProject('fuzz', 1000),
      fuzzProject('fuzz-long', 10_000),
      {
        // Minutes, not seconds: a DCGAN trained on real MNIST by a trainer process, its export scored by quality.evaluate, and a classifier's second opinion (npm run test:quality).
        extends: true,
        test: {
          name: 'quality',
          include: ['tests/quality/**/*.test.ts'],
          environment: 'node',
          testTimeout: 900_000,
          hookTimeout: 300_000,
        },
      },
      faultsProject('faults', 20),
      faultsProject('faults-long', 500),
      {
        // Every technique on webgpu against the cpu backend (npm run test:webgpu); minutes on SwiftShader.
        extends: true,
        test: {
          name: 'webgpu',
          include: ['tests/webgpu/**/*.test.ts'],
          environment: 'node',
          testTimeout: 600_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
