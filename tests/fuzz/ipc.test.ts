/** Fuzzing the IPC adapter with the real router and core: any method value and any payload structured clone can carry, from trusted and untrusted frames. */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src-main/common/errors';
import { Sandbox } from '../fixtures/sandbox';
import { makeWorkbench, tempDir } from '../fixtures/workbench';
import { connectIpc, TRUSTED_URL } from '../contract/transports';
import { ipcCall } from './arbitraries';
import { fuzzParameters } from './fuzz-run';

const sandbox = new Sandbox();
const wb = makeWorkbench(sandbox.dataDir);
const conn = connectIpc(wb.workbench.handlers, wb.hub, (rel) => wb.workbench.dataDir.resolveInside(rel), tempDir('renderer'));
afterAll(async () => {
  await conn.close();
  wb.workbench.close();
  sandbox.remove();
});

const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort();

describe('fuzzing the IPC adapter', () => {
  it('answers every call with a result or a typed error, never INTERNAL, never pollutes Object.prototype, and keeps answering', async () => {
    const cleanPrototype = prototypeKeys();
    await fc.assert(
      fc.asyncProperty(ipcCall, fc.boolean(), async ({ method, payload }, trusted) => {
        const reply = await conn.ipc.invoke(trusted ? TRUSTED_URL : 'https://attacker.example/', method as string, payload);
        expect(typeof reply.ok).toBe('boolean');
        if (!trusted) expect(reply).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
        if (!reply.ok) {
          expect(ErrorCode.options).toContain(reply.error.code);
          expect(reply.error.code, reply.error.message).not.toBe('INTERNAL');
        }
        expect(prototypeKeys()).toEqual(cleanPrototype);
        expect(await conn.ipc.invoke(TRUSTED_URL, 'app.info', {})).toMatchObject({ ok: true, result: { dataDir: sandbox.dataDir } });
        expect(sandbox.strayPaths()).toEqual([]);
      }),
      fuzzParameters('ipc calls'),
    );
  });
});
