/**
 * How many cases a fuzz property runs and from which seed: FUZZ_RUNS (1,000 in npm test, 10,000 in
 * npm run test:fuzz), FUZZ_SEED to replay a run, and FUZZ_PATH (the `path` of a failure report) to go
 * straight to its counterexample.
 */
import type fc from 'fast-check';

export function fuzzParameters(name: string): fc.Parameters<unknown> {
  const numRuns = Number(process.env.FUZZ_RUNS ?? 1000);
  const seed = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
  if (!Number.isSafeInteger(numRuns) || numRuns < 1) throw new Error(`FUZZ_RUNS must be a positive integer, not ${process.env.FUZZ_RUNS}`);
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, not ${process.env.FUZZ_SEED}`);
  // Printed before the run, so that even a run that never returns can be replayed.
  console.log(`[fuzz] ${name}: ${numRuns} cases, seed ${seed} (replay with FUZZ_SEED=${seed})`);
  const path = process.env.FUZZ_PATH;
  // A crash makes every shrinking step restart the server: stop shrinking in time to report the case found.
  return { numRuns, seed, ...(path ? { path } : {}), interruptAfterTimeLimit: numRuns * 400, markInterruptAsFailure: true };
}
