/** What the fuzz tests throw at the server: API messages shaped like the contract's and not, HTTP requests with malformed targets and headers, WebSocket frames. */
import fc from 'fast-check';
import { methods, type MethodName } from '../../src-main/common/contract';
import { frame, type FrameSpec } from '../fixtures/wire';

const METHOD_NAMES = Object.keys(methods) as MethodName[];

/**
 * A `path` (an evaluation's `source.folder`) names any folder on the server's machine, and these
 * methods read it by design: a fuzzer that happens on "/" walks the whole disk. That is slow, not
 * wrong, so those keys are left out.
 */
const NOT_FUZZED: Partial<Record<MethodName, string[]>> = { 'datasets.import': ['path'], 'datasets.importPaired': ['path'], 'datasets.scan': ['path'], 'quality.evaluate': ['source'] };

function requestKeys(method: MethodName): string[] {
  const schema = methods[method].request as unknown as { shape?: Record<string, unknown> };
  const skip = NOT_FUZZED[method] ?? [];
  return Object.keys(schema.shape ?? {}).filter((k) => !skip.includes(k));
}

/** Values near the contract's edges (ids, bounds, caps) mixed with any JSON. */
const fieldValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom('run_missing0', 'ds_missing00', 'session-0001', 'import-0001', '', '..', '../..', '/etc/passwd', 'x'.repeat(5000)),
  fc.constantFrom(0, 1, 2, -1, 0.5, 255, 256, 10_000, 2 ** 31, Number.MAX_SAFE_INTEGER, -0),
  fc.array(fc.string(), { maxLength: 300 }),
  fc.array(fc.constantFrom('run_missing0', 'run_missing1', 'run_missing2'), { maxLength: 8 }),
);

/** Method names, prototype names and noise. */
const methodName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...METHOD_NAMES) },
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'app', 'app.info ', 'APP.INFO'),
  fc.string(),
  fc.jsonValue({ maxDepth: 2 }),
  // Objects that String() cannot print: { toString: 1 } throws "Cannot convert object to primitive value".
  fc.dictionary(fc.constantFrom('toString', 'valueOf', 'length', '__proto__'), fc.jsonValue({ maxDepth: 1 }), { minKeys: 1 }),
);

/** A payload for one method: its own keys with edge values, unknown keys, or not an object at all. */
function payloadFor(method: unknown): fc.Arbitrary<unknown> {
  const keys = typeof method === 'string' && Object.hasOwn(methods, method) ? requestKeys(method as MethodName) : [];
  const ownKeys = keys.length > 0 ? fc.dictionary(fc.constantFrom(...keys), fieldValue, { maxKeys: keys.length }) : fc.constant({});
  return fc.oneof(
    { weight: 5, arbitrary: ownKeys },
    fc.dictionary(fc.oneof(fc.constantFrom(...keys, '__proto__', 'constructor'), fc.string()), fieldValue, { maxKeys: 6 }),
    fc.jsonValue({ maxDepth: 3 }),
    fc.constant(undefined),
  );
}

/** A request envelope `{ id, method, payload }` with any of its parts missing or of the wrong type. */
const envelope = methodName.chain((method) =>
  fc.record(
    {
      id: fc.oneof({ weight: 5, arbitrary: fc.integer() }, fc.double(), fc.jsonValue({ maxDepth: 1 })),
      method: fc.constant(method),
      payload: payloadFor(method),
    },
    { requiredKeys: [] },
  ),
);

/** The text of one WebSocket message: mostly requests, some any JSON, some not JSON at all. */
export const apiMessage: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: envelope.map((e) => JSON.stringify(e)) },
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null'),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('{', '{"id":1,', '{"id":1e999,"method":"app.info"}', '{"id":1,"method":"app.info","payload":{"__proto__":{"x":1}}}'),
);

/** One IPC call as a renderer could make it: any method value and any payload structured clone can carry. */
export const ipcCall = methodName.chain((method) =>
  fc.record({
    method: fc.constant(method),
    payload: fc.oneof(
      { weight: 3, arbitrary: payloadFor(method) },
      fc.anything({ maxDepth: 3, withMap: true, withSet: true, withBigInt: true, withDate: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true, withBoxedValues: true }),
    ),
  }),
);

/** Request framing and connection headers are left to the request builder: a wrong Content-Length only makes the server wait. */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection', 'upgrade', 'expect', 'keep-alive', 'host', 'origin']);

export interface HttpCase {
  method: string;
  target: string;
  headers: [string, string][];
  body: Uint8Array | null;
}

/**
 * HTTP requests: real routes with hostile paths and queries, any target, foreign or missing Host and
 * Origin, with and without the token. The server's address and token are written $HOST, $PORT and
 * $TOKEN, filled in when sent, so that a case still means the same after the server is restarted.
 */
export function httpCase(): fc.Arbitrary<HttpCase> {
  const server = { host: '$HOST', port: '$PORT', token: '$TOKEN' };
  const percent = fc.tuple(fc.constantFrom(...'0123456789abcdefABCDEFgz%'.split('')), fc.constantFrom(...'0123456789abcdefABCDEFgz/'.split(''))).map(([a, b]) => `%${a}${b}`);
  const segment = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('..', '.', '%2e%2e', '..%2f..', '%2F', '%00', '%E0%A4%A', '%C0%AE', 'x.png', 'workbench.sqlite', 'index.html', 'uploads', 'runs', 'datasets'),
    fc.array(percent, { minLength: 1, maxLength: 4 }).map((p) => p.join('')),
  );
  const path = fc.array(segment, { maxLength: 6 }).map((s) => s.join('/'));
  const param = fc.oneof(
    fc.constantFrom(`token=${server.token}`, 'token=wrong', 'token=', `token=${server.token}x`, `token=${server.token}%00`),
    fc.tuple(fc.constantFrom('session', 'path', 'tooLarge', 'token', 'x'), fc.oneof(path, fc.string({ maxLength: 12 }), fc.integer().map(String))).map(([k, v]) => `${k}=${v}`),
  );
  const query = fc.option(fc.array(param, { maxLength: 4 }).map((ps) => `?${ps.join('&')}`), { nil: '' });
  // Routes with the token and the fields they read, so that cases get past the checks into the routes.
  const session = fc.oneof({ weight: 3, arbitrary: fc.constantFrom('fuzz-session-1', 'session-0001') }, segment);
  const routed = fc.oneof(
    path.map((p) => `/files/${p}?token=${server.token}`),
    fc
      .tuple(session, fc.oneof(fc.constantFrom('a.png', 'cats/b.jpg', 'c'), path), fc.option(fc.oneof(fc.nat().map(String), fc.constantFrom('268435457', '-1', 'x')), { nil: undefined, freq: 3 }))
      .map(([sess, p, tooLarge]) => `/upload?token=${server.token}&session=${sess}&path=${p}${tooLarge === undefined ? '' : `&tooLarge=${tooLarge}`}`),
    fc.constant(`/api?token=${server.token}`),
  );
  const target = fc.oneof(
    { weight: 6, arbitrary: routed },
    { weight: 6, arbitrary: fc.tuple(fc.constantFrom('/', '/files/', '/files/runs/', '/upload', '/api', '/assets/', '//', '/index.html/'), path, query).map((p) => p.join('')) },
    fc.constantFrom('http://[', 'http://127.0.0.1/', `http://${server.host}/files/x.png`, '*', '//evil.example/', 'http://a:b@[::1]:99999/', '/%', '/?%'),
    fc.string({ minLength: 1, maxLength: 40 }),
  );
  const hostHeader = fc.oneof(
    { weight: 16, arbitrary: fc.constant<[string, string][]>([['Host', server.host]]) },
    fc.constantFrom<[string, string][]>([['Host', `localhost:${server.port}`]], [['Host', 'attacker.example']], [], [['Host', server.host], ['Host', 'attacker.example']]),
    fc.string({ maxLength: 20 }).map((h): [string, string][] => [['Host', h]]),
  );
  const originHeader = fc.oneof(
    { weight: 16, arbitrary: fc.constant<[string, string][]>([]) },
    fc.constantFrom<[string, string][]>([['Origin', `http://${server.host}`]], [['Origin', 'http://attacker.example']], [['Origin', 'null']]),
    fc.string({ maxLength: 20 }).map((o): [string, string][] => [['Origin', o]]),
  );
  const upgrade = fc.oneof(
    { weight: 5, arbitrary: fc.constant<[string, string][]>([]) },
    fc.record({
      key: fc.oneof({ weight: 4, arbitrary: fc.constant('dGhlIHNhbXBsZSBub25jZQ==') }, fc.string({ maxLength: 30 })),
      version: fc.oneof({ weight: 4, arbitrary: fc.constant('13') }, fc.constantFrom('8', '12', 'x')),
    }).map(
      ({ key, version }): [string, string][] => [
        ['Upgrade', 'websocket'],
        ['Connection', 'Upgrade'],
        ['Sec-WebSocket-Key', key],
        ['Sec-WebSocket-Version', version],
      ],
    ),
  );
  const extra = fc.array(
    fc.tuple(
      fc.oneof(fc.constantFrom('Accept', 'Cookie', 'Range', 'If-None-Match', 'Content-Type', 'Sec-WebSocket-Protocol', 'Sec-WebSocket-Extensions'), fc.stringMatching(/^[A-Za-z-]{1,20}$/)),
      fc.string({ maxLength: 40 }),
    ).filter(([name]) => !FRAMING.has(name.toLowerCase())),
    { maxLength: 4 },
  );
  return fc.record({
    method: fc.oneof({ weight: 5, arbitrary: fc.constantFrom('GET', 'HEAD', 'POST') }, fc.constantFrom('PUT', 'DELETE', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE'), fc.stringMatching(/^[A-Z]{1,8}$/)),
    target,
    headers: fc.tuple(hostHeader, originHeader, upgrade, extra).map((parts) => parts.flat()),
    body: fc.option(fc.uint8Array({ maxLength: 2048 }), { nil: null }),
  });
}

/** The bytes of an HttpCase: complete and framed (Content-Length matches the body), so the server always has all it waits for. */
export function httpBytes(c: HttpCase, server: { host: string; port: number; token: string }): Buffer {
  const fill = (text: string) => text.replaceAll('$HOST', server.host).replaceAll('$PORT', String(server.port)).replaceAll('$TOKEN', server.token);
  const upgrading = c.headers.some(([k]) => k === 'Upgrade');
  const lines = [`${c.method} ${fill(c.target)} HTTP/1.1`, ...c.headers.map(([k, v]) => `${k}: ${fill(v)}`)];
  if (!upgrading) lines.push('Connection: close');
  if (c.body) lines.push(`Content-Length: ${c.body.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), Buffer.from(c.body ?? [])]);
}

/** Frames a client may send after the handshake: any opcode, flags, masking and claimed length. */
export const frames: fc.Arbitrary<Buffer> = fc.oneof(
  fc
    .array(
      fc.record({
        opcode: fc.nat(15),
        payload: fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.string().map((s) => new TextEncoder().encode(s))).map((p) => Buffer.from(p)),
        fin: fc.boolean(),
        rsv: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, fc.nat(7)),
        masked: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, fc.constant(false)),
        declaredLength: fc.option(fc.oneof(fc.nat(300), fc.constantFrom(65_535, 65_536, 16 * 1024 * 1024 + 1, 2 ** 53 - 1)), { nil: undefined }),
      }) as fc.Arbitrary<FrameSpec>,
      { minLength: 1, maxLength: 4 },
    )
    .map((specs) => Buffer.concat(specs.map(frame))),
  fc.uint8Array({ minLength: 1, maxLength: 300 }).map((b) => Buffer.from(b)),
);
