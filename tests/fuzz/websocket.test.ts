/** Fuzzing the WebSocket API of a headless server in its own process: any message gets one answer under its id, any frame ends at most its own socket. */
import fc from 'fast-check';
import type { Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src-main/common/errors';
import { ApiSocket, rawWebSocket } from '../fixtures/wire';
import { apiMessage, frames } from './arbitraries';
import { FuzzTarget } from './fuzz-target';
import { fuzzParameters } from './fuzz-run';

const target = new FuzzTarget();
afterAll(() => target.stop());

/** The id a message must be answered under: its own when it has a finite number there, else null. */
function expectedId(text: string): number | null {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return null;
  const id = (msg as { id?: unknown }).id;
  // JSON has no -0 on the way back: + 0 makes it 0.
  return typeof id === 'number' && Number.isFinite(id) ? id + 0 : null;
}

function closed(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server kept the socket open after the client ended it')), 60_000);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('fuzzing the WebSocket API', () => {
  it('answers every message once, under its id, with a result or a typed error that is never INTERNAL', async () => {
    const fuzzed: { socket: ApiSocket | null } = { socket: null };
    await fc.assert(
      fc.asyncProperty(apiMessage, async (text) => {
        const server = await target.ready();
        // A new connection after a restart, or when a case closed the last one.
        if (!fuzzed.socket || fuzzed.socket.closed || !fuzzed.socket.ws.url.includes(`:${server.port}/`)) fuzzed.socket = await ApiSocket.open(server.port, server.token);
        const reply = await fuzzed.socket.exchange(text);
        expect(reply.id).toBe(expectedId(text));
        expect(typeof reply.ok).toBe('boolean');
        if (!reply.ok) {
          expect(ErrorCode.options).toContain(reply.error?.code);
          expect(reply.error?.code, reply.error?.message).not.toBe('INTERNAL');
          expect(reply.error?.message).not.toBe('');
        }
        await target.expectUnharmed();
      }),
      fuzzParameters('websocket messages'),
    );
    fuzzed.socket?.close();
  });

  it('survives any frames after the handshake: protocol errors close only that socket', async () => {
    await fc.assert(
      fc.asyncProperty(frames, async (bytes) => {
        const server = await target.ready();
        const raw = await rawWebSocket(server.port, server.token);
        const done = closed(raw);
        // FIN after the frames: the server closes once it has read them all, so the check below comes after.
        raw.end(bytes);
        await done;
        await target.expectUnharmed();
      }),
      fuzzParameters('websocket frames'),
    );
  });
});
