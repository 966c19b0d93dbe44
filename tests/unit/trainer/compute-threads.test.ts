/** Which thread count a run trains on: --threads (its environment variable) over the run's compute.threads, else every core. */
import { describe, expect, it } from 'vitest';
import { THREADS_ENV } from '../../../src-main/common/trainer-protocol';
import { TrainingConfig } from '../../../src-main/common/training-config';
import { defaultThreadCount } from '../../../src-main/engine/backends/wasm-threads';
import { threadsOverride, trainingThreads } from '../../../src-main/utility/compute-threads';

describe('trainingThreads', () => {
  const auto = TrainingConfig.parse({}).compute;
  const three = TrainingConfig.parse({ compute: { threads: 3 } }).compute;

  it('uses every core by default, the config when it names a count, and the override above both', () => {
    expect(auto.threads).toBeNull();
    expect(trainingThreads(auto, {})).toBe(defaultThreadCount());
    expect(trainingThreads(three, {})).toBe(3);
    expect(trainingThreads(three, { [THREADS_ENV]: '1' })).toBe(1);
    expect(trainingThreads(null, { [THREADS_ENV]: '5' })).toBe(5);
    expect(threadsOverride({ [THREADS_ENV]: ' ' })).toBeNull();
  });

  it('refuses a malformed override instead of ignoring it', () => {
    for (const bad of ['0', '65', '2.5', 'all']) {
      expect(() => trainingThreads(three, { [THREADS_ENV]: bad })).toThrow(`${THREADS_ENV} must be a whole number from 1 to 64, got "${bad}"`);
    }
  });

  it('is a config field with bounds: null (every core) or 1–64', () => {
    expect(TrainingConfig.safeParse({ compute: { threads: 0 } }).success).toBe(false);
    expect(TrainingConfig.safeParse({ compute: { threads: 65 } }).success).toBe(false);
    expect(TrainingConfig.safeParse({ compute: { threads: 1.5 } }).success).toBe(false);
    expect(TrainingConfig.safeParse({ compute: { threads: 64 } }).success).toBe(true);
  });
});
