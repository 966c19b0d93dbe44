/** The perceptual loss's refusals, each with its field and reason: paired runs only, and a ready classifier on the targets' dataset (the dataset itself on the fly, task.datasetB for stored pairs). */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src-main/common/config-resolve';
import type { DatasetClassifier } from '../../../src-main/common/classifier';
import { TrainingConfig } from '../../../src-main/common/training-config';
import { perceptualDatasetId, translationDataProblem, type DatasetShapeFacts } from '../../../src-main/common/translation';

const ready: DatasetClassifier = {
  status: 'ready',
  network: 'in-domain-cnn64-abc',
  accuracy: 0.9,
  classAccuracy: [0.9, 0.9],
  heldOutImages: 100,
  featureScale: 0.1,
  trainImages: 900,
  epochs: 1,
  steps: 10,
  seconds: 1,
  backend: 'wasm',
  trainedAt: '2026-01-01T00:00:00Z',
};

function facts(id: string, over: Partial<DatasetShapeFacts> = {}): DatasetShapeFacts {
  return { id, size: 28, channels: 1, count: 1000, classes: ['0', '1'], heldOut: 100, classifier: ready, ...over };
}

const paired = (task: Record<string, unknown> = {}) => TrainingConfig.parse({ task: { kind: 'paired', perceptualWeight: 2, ...task } });

describe('task.perceptualWeight', () => {
  it('defaults to 0 (off), takes 0 to 1000 and refuses a negative weight', () => {
    expect(TrainingConfig.parse({}).task.perceptualWeight).toBe(0);
    expect(TrainingConfig.safeParse({ task: { kind: 'paired', perceptualWeight: 1000 } }).success).toBe(true);
    const r = resolveConfig({ config: { task: { kind: 'paired', perceptualWeight: -1 } } });
    expect(r.ok ? [] : r.issues.map((i) => i.path)).toEqual(['task.perceptualWeight']);
  });

  it('is refused on an unpaired run, which has no target to compare with', () => {
    const r = resolveConfig({ config: { task: { kind: 'unpaired', datasetB: 'b', perceptualWeight: 1 } } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues).toEqual([{ path: 'task.perceptualWeight', message: expect.stringContaining('paired runs') }]);
    expect(resolveConfig({ config: { task: { kind: 'unpaired', datasetB: 'b', perceptualWeight: 0 } } }).ok).toBe(true);
  });

  it("asks nothing of the dataset's classifier when off", () => {
    expect(translationDataProblem(paired({ perceptualWeight: 0 }), facts('a', { classifier: null }), null)).toBeNull();
    expect(translationDataProblem(paired(), facts('a'), null)).toBeNull();
  });

  it("names the dataset and the classifier's state when it is not ready", () => {
    const at = (a: DatasetShapeFacts) => translationDataProblem(paired(), a, null);
    const path = 'config.task.perceptualWeight';
    expect(at(facts('digits', { classifier: null, classes: [] }))).toEqual({ path, message: expect.stringMatching(/dataset digits has no classifier: the dataset has no classes/) });
    expect(at(facts('digits', { classifier: null, heldOut: 0 }))).toEqual({ path, message: expect.stringMatching(/dataset digits has no classifier: the dataset has no held-out split/) });
    expect(at(facts('digits', { classifier: null }))?.message).toMatch(/dataset digits has no trained classifier yet: train it first/);
    expect(at(facts('digits', { classifier: { status: 'training', startedAt: 'now' } }))?.message).toMatch(/dataset digits's classifier is still training/);
    expect(at(facts('digits', { classifier: { status: 'failed', error: 'out of memory', at: 'now' } }))?.message).toMatch(/classifier failed \(out of memory\)/);
    // Facts without the classifier's fields read as a dataset without one.
    expect(at({ id: 'bare', size: 28, channels: 1, count: 10 })?.message).toMatch(/dataset bare has no classifier: the dataset has no classes/);
  });

  it("reads stored pairs' targets dataset (task.datasetB), not the inputs'", () => {
    const config = paired({ source: 'pairs', datasetB: 'targets' });
    expect(translationDataProblem(config, facts('inputs', { classifier: null }), facts('targets'))).toBeNull();
    expect(translationDataProblem(config, facts('inputs'), facts('targets', { classifier: null }))).toEqual({
      path: 'config.task.perceptualWeight',
      message: expect.stringContaining('dataset targets has no trained classifier yet'),
    });
  });

  it("names the dataset whose classifier the trainer is given: the run's on the fly, the targets' for stored pairs, none when off", () => {
    expect(perceptualDatasetId(paired(), 'run_ds')).toBe('run_ds');
    expect(perceptualDatasetId(paired({ source: 'pairs', datasetB: 'targets' }), 'inputs')).toBe('targets');
    expect(perceptualDatasetId(paired({ perceptualWeight: 0 }), 'run_ds')).toBeNull();
    expect(perceptualDatasetId(TrainingConfig.parse({}), 'run_ds')).toBeNull();
  });
});
