/** Who may talk to the headless server: its Host and Origin (checked before anything else is read) and its token. */
import type { IncomingMessage } from 'node:http';
import { timingSafeEqual } from 'node:crypto';

export interface RequestGuard {
  /** The status to refuse a request with before reading its target (403 foreign Host, 401 foreign Origin), or null. */
  refusal(req: IncomingMessage): 403 | 401 | null;
  /** The request target as a URL, or null when it cannot be parsed. */
  target(req: IncomingMessage): URL | null;
  tokenOk(candidate: string | null): boolean;
}

/** `port` is read on every request: the server knows it only once it listens. */
export function createRequestGuard(opts: { host: string; port: () => number; token: string }): RequestGuard {
  const expected = Buffer.from(opts.token);
  const ours = () => [`${opts.host}:${opts.port()}`, `localhost:${opts.port()}`];
  return {
    refusal(req) {
      // A DNS-rebinding page reaches us under its own name: refuse any other Host.
      if (!ours().includes(req.headers.host ?? '')) return 403;
      // A browser sends Origin on cross-site requests; only our own page may call the API, upload or load scripts.
      const origin = req.headers.origin;
      if (origin !== undefined && !ours().some((h) => origin === `http://${h}`)) return 401;
      return null;
    },
    target(req) {
      try {
        return new URL(req.url ?? '/', `http://${opts.host}:${opts.port()}`);
      } catch {
        return null;
      }
    },
    tokenOk(candidate) {
      if (!candidate) return false;
      const given = Buffer.from(candidate);
      // Constant time: how much of a guess matches must not show in how long the refusal takes.
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}

/** decodeURIComponent that answers null for malformed percent-encoding instead of throwing. */
export function decodePath(encoded: string): string | null {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return null;
  }
}
