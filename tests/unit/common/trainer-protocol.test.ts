/** What the host tells a trainer process about its compute: only the choices made, so that nothing absent overrides a message's own fields. */
import { describe, expect, it } from 'vitest';
import { THREADS_ENV, computeFields } from '../../../src-main/common/trainer-protocol';

describe('computeFields', () => {
  it('keeps only the backend and adapter that are set', () => {
    expect(computeFields({ backend: 'webgpu', adapter: 'nvidia' })).toStrictEqual({ backend: 'webgpu', adapter: 'nvidia' });
    expect(computeFields({ backend: 'wasm' })).toStrictEqual({ backend: 'wasm' });
    expect(computeFields({ adapter: 'intel' })).toStrictEqual({ adapter: 'intel' });
  });

  it('leaves out undefined and empty choices instead of spreading them as keys', () => {
    expect(computeFields({ backend: undefined, adapter: undefined })).toStrictEqual({});
    expect(computeFields({ backend: '', adapter: '' })).toStrictEqual({});
    // Spread over a message that names its own backend, an absent choice leaves it alone.
    expect({ type: 'probe', backend: 'cpu', ...computeFields({}) }).toStrictEqual({ type: 'probe', backend: 'cpu' });
  });
});

describe('THREADS_ENV', () => {
  it('is WORKBENCH_THREADS, the variable the README documents and the CLI sets for --threads', () => {
    expect(THREADS_ENV).toBe('WORKBENCH_THREADS');
  });
});
