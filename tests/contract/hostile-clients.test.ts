/** The headless server, run as its own process, survives what broken or hostile clients send: each case here once killed it. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ServerProcess } from '../fixtures/server-process';
import { ApiSocket, closeCode, frame, httpRequest, parseHead, rawExchange, rawWebSocket } from '../fixtures/wire';

let server: ServerProcess;
let api: ApiSocket;

beforeAll(async () => {
  server = await ServerProcess.start();
  api = await ApiSocket.open(server.port, server.token);
});
afterAll(async () => {
  api?.close();
  await server?.stop();
});

afterEach(async () => {
  // Every case must leave the process alive and answering; a dead one is restarted so the next case is judged alone.
  const alive = server.alive();
  if (!alive) {
    const why = server.output();
    server = await ServerProcess.start();
    api = await ApiSocket.open(server.port, server.token);
    expect.fail(`the server died:\n${why}`);
  }
  expect((await server.appInfo()).dataDir).toBe(server.dataDir);
});

const SECURITY_HEADERS = ['content-security-policy', 'x-content-type-options', 'referrer-policy', 'x-frame-options'];

function expectSecurityHeaders(headers: Record<string, string>) {
  for (const h of SECURITY_HEADERS) expect(headers, `header ${h}`).toHaveProperty(h);
}

const upgradeHeaders = (host: string) => ({
  Host: host,
  Upgrade: 'websocket',
  Connection: 'Upgrade',
  'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
  'Sec-WebSocket-Version': '13',
});

describe('HTTP', () => {
  it('answers a target that does not decode with 400, and under /files/ asks for the token first', async () => {
    const answer = async (target: string) => {
      const a = await rawExchange(server.port, httpRequest(target, { Host: server.host }));
      expectSecurityHeaders(a.headers);
      return a.status;
    };
    expect(await answer('/%E0%A4%A')).toBe(400);
    expect(await answer('/files/%E0%A4%A.png')).toBe(401);
    expect(await answer(`/files/%E0%A4%A.png?token=${server.token}`)).toBe(400);
  });

  it('answers an absolute target it cannot parse with 400, on requests and on upgrades', async () => {
    const plain = await rawExchange(server.port, httpRequest('http://[', { Host: server.host }));
    expect(plain.status).toBe(400);
    expectSecurityHeaders(plain.headers);
    const upgrade = await rawExchange(server.port, `GET http://[ HTTP/1.1\r\n${Object.entries(upgradeHeaders(server.host)).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
    expect(upgrade.status).toBe(400);
  });

  it('checks Host and Origin before it reads the target', async () => {
    expect((await rawExchange(server.port, httpRequest('/%E0%A4%A', { Host: 'attacker.example' }))).status).toBe(403);
    expect((await rawExchange(server.port, httpRequest('/%E0%A4%A', { Host: server.host, Origin: 'http://attacker.example' }))).status).toBe(401);
    const upgrade = await rawExchange(
      server.port,
      `GET http://[ HTTP/1.1\r\n${Object.entries({ ...upgradeHeaders(server.host), Origin: 'http://attacker.example' }).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`,
    );
    expect(upgrade.status).toBe(401);
  });

  it('answers a request without Host with 403, and CONNECT with 405, both with the security headers', async () => {
    const hostless = await rawExchange(server.port, 'GET / HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect(hostless.status).toBe(403);
    expectSecurityHeaders(hostless.headers);
    const tunnel = await rawExchange(server.port, httpRequest('example.com:443', { Host: server.host }, 'CONNECT'));
    expect(tunnel.status).toBe(405);
    expectSecurityHeaders(tunnel.headers);
  });

  it('answers what the HTTP parser refuses with 400 and the security headers', async () => {
    const answer = await rawExchange(server.port, `GET / HTTP/1.1\r\nHost: ${server.host}\r\nno colon here\r\n\r\n`);
    expect(answer.status).toBe(400);
    expectSecurityHeaders(answer.headers);
  });
});

describe('WebSocket frames that break the protocol close only their own socket', () => {
  const cases = [
    { name: 'a frame over the 16 MiB limit', bytes: () => frame({ opcode: 1, payload: Buffer.alloc(0), declaredLength: 17 * 1024 * 1024 }), code: 1009 },
    { name: 'a reserved opcode', bytes: () => frame({ opcode: 3, payload: Buffer.from('{}') }), code: 1002 },
    { name: 'an unmasked frame', bytes: () => frame({ opcode: 1, payload: Buffer.from('{}'), masked: false }), code: 1002 },
    { name: 'a text frame of invalid UTF-8', bytes: () => frame({ opcode: 1, payload: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) }), code: 1007 },
  ];
  it.each(cases)('$name', async ({ bytes, code }) => {
    const socket = await rawWebSocket(server.port, server.token);
    const closed = closeCode(socket);
    socket.write(bytes());
    expect(await closed).toBe(code);
    // The other connection, opened before, still works.
    expect((await api.call('app.info', {})).ok).toBe(true);
  });
});

describe('WebSocket messages that are not requests', () => {
  it.each(['null', '[]', '"app.info"', '42', 'true', 'not json', '{"method":"app.info"}', '{"id":"7","method":"app.info"}', '{"id":null}'])(
    '%s gets INVALID_REQUEST under id null',
    async (text) => {
      const reply = await api.exchange(text);
      expect(reply).toMatchObject({ id: null, ok: false, error: { code: 'INVALID_REQUEST' } });
      expect(reply.error!.message).toMatch(/JSON object|numeric id/);
    },
  );

  it('a request with an id gets its error back under that id', async () => {
    expect(await api.exchange('{"id":7,"method":{"toString":1,"valueOf":1}}')).toMatchObject({ id: 7, ok: false, error: { code: 'UNKNOWN_METHOD' } });
    const payload = await api.exchange('{"id":8,"method":"app.info","payload":"x"}');
    expect(payload).toMatchObject({ id: 8, ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(payload.error!.message).toBe('invalid app.info request: the payload must be an object, not a string');
    expect(await api.exchange('{"id":9,"method":"datasets.get","payload":[1]}')).toMatchObject({ id: 9, error: { code: 'INVALID_REQUEST' } });
    expect(await api.exchange('{"id":10,"method":"__proto__","payload":{}}')).toMatchObject({ id: 10, error: { code: 'UNKNOWN_METHOD' } });
  });
});

describe('/files/', () => {
  it('answers 404 for a directory named like an image', async () => {
    mkdirSync(join(server.dataDir, 'runs', 'x.png'), { recursive: true });
    const answer = await rawExchange(server.port, httpRequest(`/files/runs/x.png?token=${server.token}`, { Host: server.host }));
    expect(answer.status).toBe(404);
    expectSecurityHeaders(answer.headers);
  });

  it.skipIf(process.platform === 'win32')('answers 404 for a named pipe named like an image, without waiting on it', async () => {
    execFileSync('mkfifo', [join(server.dataDir, 'pipe.png')]);
    const answer = await rawExchange(server.port, httpRequest(`/files/pipe.png?token=${server.token}`, { Host: server.host }));
    expect(answer.status).toBe(404);
  });

  it('finishes sending a file deleted while it is being sent, and survives a client that leaves mid-file', async () => {
    const file = join(server.dataDir, 'big.png');
    const size = 8 * 1024 * 1024;
    writeFileSync(file, Buffer.alloc(size, 7));
    const request = httpRequest(`/files/big.png?token=${server.token}`, { Host: server.host });
    const received = await new Promise<Buffer>((resolve) => {
      const socket = connect(server.port, '127.0.0.1');
      const chunks: Buffer[] = [];
      socket.once('data', () => rmSync(file));
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('close', () => resolve(Buffer.concat(chunks)));
      socket.write(request);
    });
    const head = parseHead(received);
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBe(size);
    expect(received.length - received.indexOf('\r\n\r\n') - 4).toBe(size);

    writeFileSync(file, Buffer.alloc(size, 7));
    await new Promise<void>((resolve) => {
      const socket = connect(server.port, '127.0.0.1');
      socket.once('data', () => socket.destroy());
      socket.on('close', () => resolve());
      socket.write(request);
    });
  });
});

describe('POST /upload', () => {
  it('survives a client that vanishes in the middle of the body', async () => {
    await new Promise<void>((resolve) => {
      const socket = connect(server.port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.on('close', () => resolve());
      socket.write(
        `POST /upload?token=${server.token}&session=vanishing-01&path=a.png HTTP/1.1\r\nHost: ${server.host}\r\nContent-Length: 1000000\r\n\r\n`,
      );
      socket.write(Buffer.alloc(1000, 1), () => socket.destroy());
    });
  });
});
