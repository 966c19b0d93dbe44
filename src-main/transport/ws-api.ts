/** One API connection over WebSocket: each message `{ id, method, payload }` is answered under its id, whatever else arrives. */
import type { WebSocket } from 'ws';
import type { CallResult } from '../common/contract';
import { WorkbenchError } from '../common/errors';
import { failure, kindOf, type Router } from './router';

/** Requests one connection may have unanswered; more are refused at once instead of queuing without bound. */
export const MAX_REQUESTS_IN_FLIGHT = 64;

type Envelope = { id: number; method: unknown; payload: unknown } | { id: number | null; refused: WorkbenchError };

export function serveApiSocket(ws: WebSocket, router: Router): void {
  let inFlight = 0;
  // Oversized frames, bad opcodes, unmasked frames, invalid UTF-8: ws reports them here; they end this connection only.
  ws.on('error', () => ws.terminate());
  ws.on('message', (data) => {
    const request = readEnvelope(String(data));
    if ('refused' in request) return send(request.id, failure(request.refused));
    if (inFlight >= MAX_REQUESTS_IN_FLIGHT) {
      return send(
        request.id,
        failure(new WorkbenchError('TOO_MANY_REQUESTS', `${MAX_REQUESTS_IN_FLIGHT} requests are already waiting on this connection; send more as they are answered`)),
      );
    }
    inFlight++;
    void router
      .dispatch(request.method, request.payload)
      .catch(() => failure(new WorkbenchError('INTERNAL', 'internal error')))
      .then((result) => {
        inFlight--;
        send(request.id, result);
      });
  });

  function send(id: number | null, result: CallResult): void {
    if (ws.readyState !== ws.OPEN) return;
    try {
      ws.send(JSON.stringify({ id, ...result }));
    } catch {
      ws.terminate();
    }
  }
}

function readEnvelope(text: string): Envelope {
  const expected = 'a message must be a JSON object { id, method, payload }';
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return { id: null, refused: new WorkbenchError('INVALID_REQUEST', `${expected}; this one is not JSON`) };
  }
  if (kindOf(msg) !== 'an object') return { id: null, refused: new WorkbenchError('INVALID_REQUEST', `${expected}, not ${kindOf(msg)}`) };
  const { id, method, payload } = msg as Record<string, unknown>;
  // JSON turns 1e999 into Infinity, which would go back as null: such an id is no id.
  if (typeof id !== 'number' || !Number.isFinite(id)) {
    return { id: null, refused: new WorkbenchError('INVALID_REQUEST', 'a request needs a numeric id to be answered under') };
  }
  return { id, method, payload };
}
