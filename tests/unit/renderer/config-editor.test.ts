/** The schema-driven editor: every field explained in both languages, presets fill every field, the schema's messages block a start, the diff lists exactly what changed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { effectScope } from 'vue';
import { TrainingConfig } from '../../../src-main/common/training-config';
import { PRESETS, PRESET_NAMES } from '../../../src-main/common/presets';
import { issuesOf } from '../../../src-main/common/errors';
import { useConfigDraft } from '../../../src-renderer/composables/use-config-draft';
import { configFields, getAt, groupOf } from '../../../src-renderer/lib/config-schema';
import { diffConfigs, diffMany, patchOf, showValue } from '../../../src-renderer/lib/config-diff';
import { configFieldsEn } from '../../../src-renderer/i18n/config-fields.en';
import { configFieldsZhCN } from '../../../src-renderer/i18n/config-fields.zh-CN';
import { setupRealStores } from './workbench-transport';

/** Every leaf of the schema, walked the other way round: from a parsed config, not from the JSON Schema. */
function leafPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
}

describe('config schema → editor fields', () => {
  const fields = configFields();

  it('has one field per leaf of the config, each with a type the editor can show', () => {
    expect(fields.map((f) => f.path).sort()).toEqual(leafPaths(TrainingConfig.parse({})).sort());
    for (const f of fields) expect(['integer', 'number', 'boolean', 'enum', 'string', 'multi', 'rows']).toContain(f.kind);
    expect(fields.find((f) => f.path === 'loss.type')).toMatchObject({ kind: 'enum', group: 'loss', default: 'non-saturating' });
    expect(fields.find((f) => f.path === 'batchSize')).toMatchObject({ kind: 'integer', min: 2, max: 1024 });
    expect(fields.find((f) => f.path === 'optimizerG.lr')).toMatchObject({ kind: 'number', above: 0, max: 1 });
    expect(fields.find((f) => f.path === 'model.depth')).toMatchObject({ nullable: true, default: null });
    expect(fields.find((f) => f.path === 'augment.diffAugment')).toMatchObject({ kind: 'multi', options: ['color', 'translation', 'cutout'] });
  });

  it('has the evaluation interval and N in the schedule, off by default, within quality.evaluate’s bounds, and says evaluation slows training on 2 cores', () => {
    expect(fields.find((f) => f.path === 'evaluation.everyCheckpoints')).toMatchObject({ kind: 'integer', group: 'schedule', default: 0, min: 0 });
    expect(fields.find((f) => f.path === 'evaluation.n')).toMatchObject({ kind: 'integer', group: 'schedule', default: 500, min: 50, max: 10_000 });
    expect(fields.some((f) => f.path.startsWith('bestMetric'))).toBe(false);
    expect(configFieldsEn['evaluation.everyCheckpoints']!.when).toMatch(/2 cores it slows training while it runs/);
    expect(configFieldsZhCN['evaluation.everyCheckpoints']!.when).toMatch(/2 个核心.*拖慢训练/);
  });

  it('puts every field in one of the seven groups', () => {
    expect(fields.filter((f) => groupOf(f.path) === 'other').map((f) => f.path)).toEqual([]);
    expect(new Set(fields.map((f) => f.group))).toEqual(new Set(['data', 'model', 'loss', 'stabilizers', 'optimization', 'growth', 'schedule']));
  });

  it('offers progressive growing in its own group, its per-size rows as a table of nullable numbers, and pixel norm and equalized lr with the model', () => {
    expect(fields.filter((f) => f.group === 'growth').map((f) => f.path)).toEqual([
      'progressive.enabled',
      'progressive.startSize',
      'progressive.phaseImages',
      'progressive.fadeImages',
      'progressive.firstPhaseImages',
      'progressive.phases',
    ]);
    const phases = fields.find((f) => f.path === 'progressive.phases')!;
    expect(phases).toMatchObject({ kind: 'rows', default: [] });
    expect(phases.columns?.map((c) => [c.path, c.kind, c.nullable])).toEqual([
      ['size', 'integer', false],
      ['batchSize', 'integer', true],
      ['lrG', 'number', true],
      ['lrD', 'number', true],
    ]);
    expect(fields.find((f) => f.path === 'progressive.firstPhaseImages')).toMatchObject({ kind: 'integer', nullable: true, default: null });
    expect(fields.find((f) => f.path === 'model.pixelNorm')).toMatchObject({ kind: 'boolean', group: 'model', default: false });
    expect(fields.find((f) => f.path === 'model.equalizedLr')).toMatchObject({ kind: 'boolean', group: 'model', default: false });
  });

  it.each([
    ['en', configFieldsEn],
    ['zh-CN', configFieldsZhCN],
  ])('explains every field in %s: a label, what it does and when it helps', (_, texts) => {
    const missing = fields.filter((f) => !texts[f.path]?.label || !texts[f.path]?.what || !texts[f.path]?.when).map((f) => f.path);
    expect(missing).toEqual([]);
    // No explanation of a field that no longer exists.
    expect(Object.keys(texts).filter((k) => !fields.some((f) => f.path === k))).toEqual([]);
  });
});

describe('config diff', () => {
  const base = TrainingConfig.parse({});
  const changed = TrainingConfig.parse({ loss: { type: 'lsgan' }, optimizerD: { lr: 1e-4 }, augment: { diffAugment: ['color'] } });

  it('lists exactly the changed leaves, and the patch that makes them', () => {
    expect(diffConfigs(base, changed).map((c) => c.path)).toEqual(['loss.type', 'augment.diffAugment', 'optimizerD.lr']);
    expect(patchOf(base, changed)).toEqual({ loss: { type: 'lsgan' }, augment: { diffAugment: ['color'] }, optimizerD: { lr: 1e-4 } });
    expect(diffConfigs(base, base)).toEqual([]);
  });

  it('shows a list of records (progressive growing’s per-size rows) record by record', () => {
    expect(showValue([{ size: 16, batchSize: 32, lrG: null, lrD: null }])).toBe('{"size":16,"batchSize":32,"lrG":null,"lrD":null}');
    expect(showValue(['color', 'cutout'])).toBe('color, cutout');
    expect(showValue([])).toBe('[]');
  });

  it('across several configs keeps the keys on which any of them disagrees', () => {
    const third = TrainingConfig.parse({ steps: 10 });
    expect(diffMany([base, changed, third]).map((r) => r.path)).toEqual(['steps', 'loss.type', 'augment.diffAugment', 'optimizerD.lr']);
    expect(diffMany([base, base])).toEqual([]);
  });
});

describe('config draft over the real contract', () => {
  let stores: { close(): void };
  const scope = effectScope();
  beforeAll(() => {
    stores = setupRealStores();
  });
  afterAll(() => {
    scope.stop();
    stores.close();
  });
  const draft = () => scope.run(() => useConfigDraft({ preset: 'dcgan' }))!;

  it.each(PRESET_NAMES)('preset %s fills every field with its resolved value', async (name) => {
    const d = draft();
    await d.ready();
    d.applyPreset(name);
    expect(await d.validate()).toBe(true);
    const expected = TrainingConfig.parse(PRESETS[name].config);
    for (const f of d.fields) {
      expect(d.get(f.path), f.path).not.toBeUndefined();
      expect(d.get(f.path), f.path).toEqual(getAt(expected, f.path));
    }
    expect(d.changes.value).toEqual([]);
  });

  it('advises a WGAN chosen by hand, stays valid, and following the advice sets the paper’s values and clears it', async () => {
    const d = draft();
    await d.ready();
    expect(d.advice.value).toEqual([]);
    d.set('loss.type', 'wgan');
    expect(await d.validate()).toBe(true);
    expect(d.advice.value.map((a) => a.code)).toEqual(['critic-optimizer', 'critic-steps']);
    for (const a of [...d.advice.value]) d.follow(a);
    expect(await d.validate()).toBe(true);
    expect(d.advice.value).toEqual([]);
    expect([d.get('optimizerD.type'), d.get('optimizerG.lr'), d.get('loss.nCritic')]).toEqual(['rmsprop', 5e-5, 5]);
  });

  it('shows the schema’s own message for an invalid value, and is not valid until it is fixed', async () => {
    const d = draft();
    await d.ready();
    d.set('batchSize', 1);
    expect(d.valid.value).toBe(false);
    await d.validate();
    const schemaSays = issuesOf(TrainingConfig.safeParse({ batchSize: 1 }).error!).find((i) => i.path === 'batchSize')!.message;
    expect(d.issueAt('batchSize')).toBe(schemaSays);
    expect(d.valid.value).toBe(false);
    // A cross-field rule of the schema lands on its field too.
    d.set('batchSize', 16);
    d.set('stabilizers.labelSmoothing.mode', 'one-sided');
    d.set('loss.type', 'hinge');
    await d.validate();
    expect(d.issueAt('batchSize')).toBeUndefined();
    expect(d.issueAt('stabilizers.labelSmoothing.mode')).toContain('label smoothing needs a BCE loss');
    d.set('loss.type', 'non-saturating');
    expect(await d.validate()).toBe(true);
    expect(d.valid.value).toBe(true);
  });

  it('lists exactly the keys changed from the preset, and sends only those', async () => {
    const d = draft();
    await d.ready();
    d.applyPreset('wgan-gp');
    d.set('optimizerD.lr', 3e-4);
    d.set('steps', 40);
    d.set('model.gWidth', 16);
    d.set('model.gWidth', 64);
    await d.validate();
    expect(d.changes.value.map((c) => c.path).sort()).toEqual(['optimizerD.lr', 'steps']);
    expect(d.patch.value).toEqual({ steps: 40, optimizerD: { lr: 3e-4 } });
  });
});
