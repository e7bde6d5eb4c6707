/**
 * The real server wrapper (lib/server/http-server.ts) on a free loopback port with a stub in place
 * of Next's handler: what address the app is told, and how a shutdown drains (issue 16 items 7, 16, 17).
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { clientAddressFrom } from '../http/client-address';
import { bodyLengthRefusal, isLoopbackPeer, createFieldReportsServer, type FieldReportsServer, type RequestHandler } from './http-server';
import { parseTrustedProxies } from './trusted-proxies';
import { tryConnect } from '../testing/net';

const started: FieldReportsServer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.drain()));
});

/** What the stub handler saw of each request: the headers Next would get. */
type Seen = { clientAddress: string | null; requestId: string | undefined; rawHeaders: string[] };

async function startServer({ trustedProxies = '', graceMs = 1000, handler }: { trustedProxies?: string; graceMs?: number; handler?: RequestHandler } = {}) {
  const seen: Seen[] = [];
  const record: RequestHandler = (req, res) => {
    seen.push({ clientAddress: clientAddressFrom(toHeaders(req)), requestId: req.headers['x-request-id'] as string | undefined, rawHeaders: req.rawHeaders });
    res.end('ok');
  };
  const server = createFieldReportsServer({ handler: handler ?? record, port: 0, trustProxies: parseTrustedProxies(trustedProxies), graceMs });
  started.push(server);
  const { port } = await server.listen();
  return { server, port, seen };
}

/** The request's headers as a fetch Headers (what `headers()` gives a Server Action). */
function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  return headers;
}

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** One request (on a connection of its own unless `agent` keeps one); `headers` may repeat a name ([name, value] pairs, sent as raw headers, so Host is added here). */
function request(port: number, { headers = [], agent = false, method = 'GET' }: { headers?: [string, string][]; agent?: http.Agent | false; method?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/', method, agent, headers: [['Host', `127.0.0.1:${port}`], ...headers].flat() as unknown as http.OutgoingHttpHeaders });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** A handler that holds each request until released, announcing when it has one. */
function heldHandler() {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let announce: () => void = () => {};
  const holding = new Promise<void>((resolve) => (announce = resolve));
  const handler: RequestHandler = async (_req: IncomingMessage, res: ServerResponse) => {
    announce();
    await released;
    res.end('finished');
  };
  return { handler, holding, release };
}

describe('client address (x-fr-client-address)', () => {
  it('comes from the socket when no proxy is trusted: 0 of 40 rotated X-Forwarded-For addresses are believed', async () => {
    const { port, seen } = await startServer();
    const rotated = Array.from({ length: 40 }, (_, i) => `198.51.100.${i + 1}`);
    for (const address of rotated) await request(port, { headers: [['X-Forwarded-For', address], ['X-Real-IP', address]] });
    const told = seen.map((s) => s.clientAddress);
    expect(told).toHaveLength(40);
    expect(told.filter((a) => a !== null && rotated.includes(a))).toHaveLength(0);
    expect(new Set(told)).toEqual(new Set(['127.0.0.1']));
  });

  it('TRUSTED_PROXIES=1: the last X-Forwarded-For entry (the one our proxy appended) is the client; what the client prepended is not', async () => {
    const { port, seen } = await startServer({ trustedProxies: '1' });
    await request(port, { headers: [['X-Forwarded-For', '203.0.113.66, 198.51.100.7']] });
    await request(port); // straight to the server, no header: the socket's peer
    expect(seen.map((s) => s.clientAddress)).toEqual(['198.51.100.7', '127.0.0.1']);
  });

  it('TRUSTED_PROXIES=loopback: the walk goes back through trusted hops only, to the last untrusted entry', async () => {
    const { port, seen } = await startServer({ trustedProxies: 'loopback' });
    // The client 198.51.100.7 sent "192.0.2.1"; a proxy appended 198.51.100.7, a second one on
    // loopback appended 127.0.0.1: walking back from the socket over loopback hops only, the first
    // other entry is the client.
    await request(port, { headers: [['X-Forwarded-For', '192.0.2.1, 198.51.100.7, 127.0.0.1']] });
    // An entry that is not an address is never the answer: the hop that wrote it is.
    await request(port, { headers: [['X-Forwarded-For', 'garbage']] });
    expect(seen.map((s) => s.clientAddress)).toEqual(['198.51.100.7', '127.0.0.1']);
  });

  it('a client-sent x-fr-client-address (any case, repeated) is replaced, and x-request-id is a fresh random id per request', async () => {
    const { port, seen } = await startServer();
    const forged: [string, string][] = [
      ['X-FR-Client-Address', '6.6.6.6'],
      ['x-fr-client-address', '7.7.7.7'],
      ['X-Request-Id', 'chosen-by-the-client'],
    ];
    await request(port, { headers: forged });
    await request(port, { headers: forged });
    expect(seen.map((s) => s.clientAddress)).toEqual(['127.0.0.1', '127.0.0.1']);
    for (const s of seen) {
      expect(s.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const raw = s.rawHeaders.join('\n');
      expect(raw).not.toMatch(/6\.6\.6\.6|7\.7\.7\.7|chosen-by-the-client/);
    }
    expect(seen[0]!.requestId).not.toBe(seen[1]!.requestId);
  });

  it('listens on 127.0.0.1 unless told otherwise', async () => {
    const server = createFieldReportsServer({ handler: (_req, res) => void res.end(), port: 0, trustProxies: parseTrustedProxies(''), graceMs: 100 });
    started.push(server);
    expect((await server.listen()).host).toBe('127.0.0.1');
  });

  it('a handler that throws becomes a 500, and the server keeps serving', async () => {
    let calls = 0;
    const { port } = await startServer({
      handler: (_req, res) => {
        if (++calls === 1) throw new Error('boom');
        res.end('ok');
      },
    });
    const logged = console.error;
    console.error = () => {};
    try {
      expect((await request(port)).status).toBe(500);
    } finally {
      console.error = logged;
    }
    expect((await request(port)).body).toBe('ok');
  });
});

/** A raw request whose body is never finished: its headers (and for 'chunked' a first chunk); resolves with the server's answer. */
function sendBody(port: number, { method = 'POST', headers = {}, body }: { method?: string; headers?: Record<string, string>; body: 'chunked' | 'headers-only' }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/sign-in?secret-query=x', method, agent: false, headers });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text });
        req.destroy();
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error)));
    if (body === 'chunked') {
      // The first 64 KiB chunk of a body with no Content-Length (Node sends Transfer-Encoding:
      // chunked); the rest never comes, so only an answer from the headers arrives.
      req.write(Buffer.alloc(64 * 1024, 0x61));
    } else {
      req.flushHeaders(); // headers only: the server must answer from them alone
    }
  });
}

describe('request body length (before Next reads a byte)', () => {
  it('a chunked body (no Content-Length) is refused with 411 Length Required from its headers and never reaches the handler', async () => {
    const { port, seen } = await startServer();
    const answer = await sendBody(port, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'chunked' });
    expect(answer.status).toBe(411);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(seen).toEqual([]);
  });

  it('a POST, PUT or PATCH without Content-Length is refused with 411; GET and a POST with Content-Length: 0 pass', async () => {
    const { port, seen } = await startServer();
    for (const method of ['POST', 'PUT', 'PATCH']) {
      expect((await sendBody(port, { method, headers: { 'transfer-encoding': 'chunked' }, body: 'headers-only' })).status, method).toBe(411);
    }
    expect(bodyLengthRefusal({ method: 'POST', headers: {} })).toEqual({ status: 411, reason: 'a request body needs a Content-Length' });
    expect(bodyLengthRefusal({ method: 'POST', headers: { 'content-length': '0' } })).toBeNull();
    expect(bodyLengthRefusal({ method: 'GET', headers: {} })).toBeNull();
    expect(seen).toEqual([]);
    // Next's own re-sent ("forwarded") Server Action call over loopback streams its body: it passes,
    // but the same header from a peer that is not loopback does not.
    const forwarded = { method: 'POST', headers: { 'transfer-encoding': 'chunked', 'x-action-forwarded': '1' } };
    expect(bodyLengthRefusal(forwarded, true)).toBeNull();
    expect(bodyLengthRefusal(forwarded, false)).toMatchObject({ status: 411 });
    expect(bodyLengthRefusal({ method: 'POST', headers: { 'x-action-forwarded': '1', 'content-length': String(13 * 1024 * 1024) } }, true)).toMatchObject({ status: 413 });
    expect(isLoopbackPeer('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackPeer('203.0.113.9')).toBe(false);
    expect((await request(port, { method: 'POST', headers: [['Content-Length', '0']] })).status).toBe(200);
    expect((await request(port)).status).toBe(200);
    expect(seen).toHaveLength(2);
    expect((await sendBody(port, { method: 'POST', headers: { 'transfer-encoding': 'chunked', 'x-action-forwarded': '1' }, body: 'headers-only' })).status).toBe(200);
    expect(seen).toHaveLength(3);
  });

  it('a body declared over 12 MiB is refused with 413 from its headers alone, before a byte of it is sent', async () => {
    const { port, seen } = await startServer();
    const answer = await sendBody(port, { headers: { 'content-length': String(12 * 1024 * 1024 + 1), 'content-type': 'multipart/form-data; boundary=q' }, body: 'headers-only' });
    expect(answer.status).toBe(413);
    expect(answer.body).toBe('Request too large: request body too large.');
    expect(seen).toEqual([]);
    expect(bodyLengthRefusal({ method: 'POST', headers: { 'content-length': String(12 * 1024 * 1024) } })).toBeNull();
  });
});

describe('drain (SIGTERM)', () => {
  it('a slow request in flight completes with 200 while new connections are refused', async () => {
    const held = heldHandler();
    const { server, port } = await startServer({ handler: held.handler, graceMs: 5000 });
    const inFlight = request(port);
    await held.holding;
    const drained = server.drain();
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
    held.release();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('finished');
    expect(answer.headers.connection).toBe('close');
    expect(await drained).toMatchObject({ inFlightAtStart: 1, cutOff: 0 });
  });

  it('idle keep-alive connections are closed at once (the drain does not wait for their timeout)', async () => {
    const { server, port } = await startServer({ graceMs: 60_000 });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    await request(port, { agent });
    const socket = Object.values(agent.freeSockets).flat()[0]!;
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const result = await server.drain();
    await closed;
    expect(result).toMatchObject({ inFlightAtStart: 0, cutOff: 0 });
    expect(result.ms).toBeLessThan(5000); // far below the 60 s grace and Node's 5 s keep-alive timeout
    agent.destroy();
  });

  it("an upgraded connection (development's hot-reload websocket) does not hold the drain", async () => {
    // Like Next: its 'upgrade' listener appears with its first request, and keeps the socket open.
    let server: FieldReportsServer | null = null;
    const handler: RequestHandler = (_req, res) => {
      if (server!.server.listenerCount('upgrade') === 0) {
        server!.server.on('upgrade', (_r: IncomingMessage, socket: Duplex) => socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'));
      }
      res.end('page');
    };
    const started = await startServer({ handler, graceMs: 60_000 });
    server = started.server;
    await request(started.port);
    await request(started.port);
    const socket = net.connect({ host: '127.0.0.1', port: started.port });
    const switched = new Promise<string>((resolve) => socket.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1'))));
    socket.write(`GET /_next/webpack-hmr HTTP/1.1\r\nHost: 127.0.0.1:${started.port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`);
    expect(await switched).toMatch(/^HTTP\/1\.1 101/);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const result = await server.drain();
    await closed;
    expect(result).toMatchObject({ inFlightAtStart: 0, cutOff: 0 });
    expect(result.ms).toBeLessThan(5000); // not the 60 s grace
  });

  it('is bounded by the grace time: a request that never finishes is cut off and the drain ends', async () => {
    const { handler, holding } = heldHandler(); // never released
    const { server, port } = await startServer({ handler, graceMs: 150 });
    const inFlight = request(port).then(
      () => 'answered',
      (error: NodeJS.ErrnoException) => error.code,
    );
    await holding;
    const result = await server.drain();
    expect(result).toMatchObject({ inFlightAtStart: 1, cutOff: 1 });
    expect(result.ms).toBeGreaterThanOrEqual(140);
    expect(result.ms).toBeLessThan(5000);
    expect(await inFlight).toBe('ECONNRESET');
  });
});
