/** The test run StrykerJS drives (npm run test:mutation): one plain project over the test files that cover the folder being mutated (MUTATION_TESTS). */
import { resolve } from 'node:path';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

const tests = (process.env.MUTATION_TESTS ?? '').split(',').filter(Boolean);
if (tests.length === 0) throw new Error('MUTATION_TESTS names no test files: run `npm run test:mutation -- <folder>`');

export default defineConfig({
  plugins: [vue()],
  resolve: { alias: { '@common': resolve(import.meta.dirname, 'src-main/common') } },
  test: {
    include: tests,
    environment: 'node',
    env: { WORKBENCH_THREADS: '1' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
