/** Every number of the training config has an upper bound, refused one past it with the field's path and a message naming the field and the bound. */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src-main/common/config-resolve';
import { StoredTrainingConfig, TrainingConfig } from '../../../src-main/common/training-config';
import { configFields, setAt } from '../../../src-renderer/lib/config-schema';

const numeric = configFields().filter((f) => f.kind === 'integer' || f.kind === 'number');

function issuesAt(path: string, value: number) {
  const r = resolveConfig({ config: setAt({}, path, value) });
  return r.ok ? [] : r.issues.filter((i) => i.path === path);
}

describe('caps on the training config', () => {
  it('leaves no number field without a maximum', () => {
    expect(numeric.length).toBeGreaterThan(40);
    expect(numeric.filter((f) => f.max === undefined).map((f) => f.path)).toEqual([]);
  });

  it.each(numeric.map((f) => [f.path, f.max!] as const))('%s refuses its maximum + 1 and takes its maximum', (path, max) => {
    expect(issuesAt(path, max + 1)).toContainEqual({ path, message: `${path} must be at most ${max}` });
    expect(issuesAt(path, max).filter((i) => i.message.includes('at most'))).toEqual([]);
  });

  it('gives the caps that were missing sensible values', () => {
    const max = (path: string) => numeric.find((f) => f.path === path)?.max;
    expect(max('loss.gpWeight')).toBe(1000);
    expect(max('loss.clipValue')).toBe(1);
    expect(max('optimizerG.gradClip')).toBe(1000);
    expect(max('intervals.checkpointEvery')).toBe(max('steps'));
    expect(max('stabilizers.ema.startStep')).toBe(max('steps'));
    expect(max('augment.ada.speedImages')).toBe(10_000_000);
    expect(max('task.perceptualWeight')).toBe(max('task.l1Weight'));
  });

  it('reads a config stored before the caps without them, and refuses it as a new config', () => {
    const old = { loss: { gpWeight: 5000 }, intervals: { sampleEvery: 50_000_000 } };
    expect(StoredTrainingConfig.parse(old)).toMatchObject(old);
    const refused = TrainingConfig.safeParse(old);
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['intervals.sampleEvery', 'loss.gpWeight']);
    // Bounds older versions had still hold when reading.
    expect(StoredTrainingConfig.safeParse({ batchSize: 4096 }).success).toBe(false);
  });
});
