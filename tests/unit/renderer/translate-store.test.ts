/** useTranslateStore: Try it sends the file as base64 with the chosen checkpoint, mode and direction, and keeps the result, or the refused fields for the form to show beside each. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Translated } from '../../../src-main/common/domain';
import { ApiError } from '../../../src-main/common/client/transport-port';
import { useTranslateStore } from '../../../src-renderer/stores/translate';
import { setupStores, type FakeTransport } from './fake-transport';

const file = (bytes: number[], name = 'cat.png') => Object.assign(new Blob([new Uint8Array(bytes)], { type: 'image/png' }), { name });
const answer: Translated = {
  runId: 'run_0001',
  step: 20,
  mode: 'resize',
  direction: 'ab',
  width: 28,
  height: 28,
  input: 'runs/run_0001/translated/20-resize-ab-abc-input.png',
  output: 'runs/run_0001/translated/20-resize-ab-abc-output.png',
  outputPng: 'iVBORw0KGgo=',
};

describe('useTranslateStore', () => {
  let transport: FakeTransport;

  beforeEach(() => {
    ({ transport } = setupStores({ 'runs.translate': () => answer }));
  });

  it('sends the file as base64 with its name, the mode and direction, and no step for the newest checkpoint', async () => {
    const store = useTranslateStore();
    const result = await store.translate('run_0001', { file: file([1, 2, 3, 250]), mode: 'resize', direction: 'ab' });
    expect(result).toEqual(answer);
    expect(store.results['run_0001']).toEqual(answer);
    expect(transport.callsOf('runs.translate')).toEqual([{ id: 'run_0001', image: { name: 'cat.png', data: Buffer.from([1, 2, 3, 250]).toString('base64') }, mode: 'resize', direction: 'ab' }]);
    expect(store.busy['run_0001']).toBe(false);
  });

  it('sends a chosen checkpoint', async () => {
    const store = useTranslateStore();
    await store.translate('run_0001', { file: file([9]), step: 10, mode: 'tile', direction: 'ba' });
    expect(transport.callsOf('runs.translate')[0]).toMatchObject({ step: 10, mode: 'tile', direction: 'ba' });
  });

  it('keeps a refusal’s fields for the form, and a failure without a field as a message', async () => {
    const store = useTranslateStore();
    transport.handlers['runs.translate'] = () => {
      throw new ApiError('INVALID_REQUEST', 'mode: inpainting fills holes', { issues: [{ path: 'mode', message: 'inpainting fills holes' }] });
    };
    expect(await store.translate('run_0001', { file: file([1]), mode: 'tile', direction: 'ab' })).toBeNull();
    expect(store.issues['run_0001']).toEqual([{ path: 'mode', message: 'inpainting fills holes' }]);
    expect(store.failures['run_0001']).toBeNull();

    transport.handlers['runs.translate'] = () => {
      throw new ApiError('TRAINER_FAILED', 'the worker crashed');
    };
    await store.translate('run_0001', { file: file([1]), mode: 'resize', direction: 'ab' });
    expect(store.issues['run_0001']).toEqual([]);
    expect(store.failures['run_0001']).toBe('the worker crashed');
  });
});
