/** The editor's config store validates in the renderer with the resolver main uses on create: same messages, no request per edit. */
import { beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src-main/common/config-resolve';
import { PRESET_NAMES } from '../../../src-main/common/presets';
import { useConfigStore } from '../../../src-renderer/stores/config';
import { setupStores, type FakeTransport } from './fake-transport';

describe('useConfigStore', () => {
  let transport: FakeTransport;

  beforeEach(() => {
    ({ transport } = setupStores());
  });

  it('validates an edit with the schema’s own messages and field paths, without asking the server', async () => {
    const store = useConfigStore();
    const edit = { loss: { type: 'hinge' }, stabilizers: { labelSmoothing: { mode: 'one-sided' } }, optimizerG: { lr: -1 } };
    const r = await store.resolve(edit, 'dcgan');
    expect(r.ok).toBe(false);
    expect(r).toEqual(resolveConfig({ preset: 'dcgan', config: edit }));
    expect(r.ok ? [] : r.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['optimizerG.lr']));
    const fine = await store.resolve({ batchSize: 32 }, 'wgan-gp');
    expect(fine).toMatchObject({ ok: true, config: { batchSize: 32, loss: { type: 'wgan-gp' } } });
    expect(transport.calls).toEqual([]);
  });

  it('offers every preset with its whole config, and the defaults', async () => {
    const store = useConfigStore();
    await store.load();
    expect(store.presets.map((p) => p.name)).toEqual(PRESET_NAMES);
    expect(store.presetConfig('sngan-hinge')).toMatchObject({ loss: { type: 'hinge' }, model: { arch: 'resnet' } });
    expect(store.defaults?.batchSize).toBe(64);
    expect(transport.calls).toEqual([]);
  });
});
