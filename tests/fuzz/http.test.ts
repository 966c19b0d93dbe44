/** Fuzzing HTTP on a headless server in its own process: malformed targets and headers over raw sockets, with and without the token. */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { rawExchange } from '../fixtures/wire';
import { httpBytes, httpCase } from './arbitraries';
import { FuzzTarget, SECURITY_HEADERS } from './fuzz-target';
import { fuzzParameters } from './fuzz-run';

const target = new FuzzTarget();
afterAll(() => target.stop());

describe('fuzzing HTTP', () => {
  it('answers every whole request with a status under 500 and the security headers, and stays up', async () => {
    await fc.assert(
      fc.asyncProperty(httpCase(), async (c) => {
        const server = await target.ready();
        const answer = await rawExchange(server.port, httpBytes(c, server));
        expect(answer.status, 'an answer to a whole request').not.toBeNull();
        if (answer.status !== 101) {
          expect(answer.status).toBeLessThan(500);
          for (const h of SECURITY_HEADERS) expect(answer.headers, `header ${h} on a ${answer.status}`).toHaveProperty(h);
        }
        await target.expectUnharmed();
      }),
      fuzzParameters('http requests'),
    );
  });

  it('survives any bytes on a connection', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 1024 }), async (bytes) => {
        const server = await target.ready();
        await rawExchange(server.port, Buffer.from(bytes), { halfClose: true });
        await target.expectUnharmed();
      }),
      fuzzParameters('http bytes'),
    );
  });
});
