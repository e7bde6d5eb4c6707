/**
 * The server's answer to a Server Action call that Next would answer with 500 before any action
 * ran (lib/server/malformed-action-call.ts), with stub handlers in place of Next's that answer the
 * way Next does: status, headers, then its payload in pieces.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { actionCallContext, markActionCall, markActionStarted } from '../http/action-call-context';
import { answerMalformedActionCallWith400, MALFORMED_ACTION_CALL_BODY } from './malformed-action-call';

/** Next's own compression middleware (router-server.js runs it on every answer). */
const compression = createRequire(import.meta.url)('next/dist/compiled/compression') as () => (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

type Stub = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function serve(stub: Stub, { compress = false } = {}): Promise<number> {
  const compressor = compression();
  const server = http.createServer((req, res) =>
    answerMalformedActionCallWith400(req, res, async () => {
      if (compress) compressor(req, res, () => {});
      await stub(req, res);
    }),
  );
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

function request(port: number, { method = 'POST', headers = {}, path = '/sign-in' }: { method?: string; headers?: Record<string, string>; path?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const body = res.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(raw) : raw;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: body.toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(method === 'POST' ? '["$Q1"]' : undefined);
  });
}

const NEXT_ERROR_PAYLOAD = `0:{"a":"$@1","b":"build-id"}\n1:E{"digest":"2847592","stack":"${'x'.repeat(2_000)}"}\n`;

/** Next's answer to an action call whose decoding threw: 500, its own headers, a payload written in pieces. */
const nextDecoderError: Stub = async (_req, res) => {
  res.statusCode = 500;
  res.setHeader('Content-Type', 'text/x-component');
  res.setHeader('Vary', 'rsc, next-router-state-tree');
  res.setHeader('x-nextjs-cache', 'MISS');
  res.setHeader('X-Frame-Options', 'DENY');
  await new Promise((resolve) => setImmediate(resolve));
  res.write(NEXT_ERROR_PAYLOAD.slice(0, 20));
  res.end(NEXT_ERROR_PAYLOAD.slice(20));
};

const ACTION_CALL = { 'next-action': '7f12e67bdd3b3e7ba1f9ba85682c1defc0e1c0c8e3', 'content-type': 'text/plain;charset=UTF-8' };

describe('a Server Action call that fails before any action ran', () => {
  it("is answered 400 'Malformed Server Action call.': Next's status, body and content headers are replaced, its security headers kept", async () => {
    const port = await serve(nextDecoderError);
    const answer = await request(port, { headers: ACTION_CALL });
    expect(answer.status).toBe(400);
    expect(answer.body).toBe(MALFORMED_ACTION_CALL_BODY);
    expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.headers['x-nextjs-cache']).toBeUndefined();
    expect(answer.headers.vary).toBeUndefined();
    expect(answer.headers['x-frame-options']).toBe('DENY');
  });

  it('is answered 400 however Next sends its 500: writeHead with headers, or end alone', async () => {
    const explicit = await serve(async (_req, res) => {
      res.writeHead(500, { 'content-type': 'text/html', 'content-length': '11' });
      res.end('Server Err!');
    });
    const endOnly = await serve(async (_req, res) => {
      res.statusCode = 500;
      res.end();
    });
    for (const port of [explicit, endOnly]) {
      const answer = await request(port, { headers: ACTION_CALL });
      expect({ status: answer.status, body: answer.body, type: answer.headers['content-type'] }).toEqual({ status: 400, body: MALFORMED_ACTION_CALL_BODY, type: 'text/plain; charset=utf-8' });
    }
  });

  it("is answered 400 through Next's gzip compression, as plain text", async () => {
    const headers = { ...ACTION_CALL, 'accept-encoding': 'gzip' };
    const port = await serve(nextDecoderError, { compress: true });
    const answer = await request(port, { headers });
    expect(answer.status).toBe(400);
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(answer.body).toBe(MALFORMED_ACTION_CALL_BODY);
    // The control: the same answer after an action started is compressed, and passes as it is.
    const started = await serve(
      async (req, res) => {
        markActionStarted();
        await nextDecoderError(req, res);
      },
      { compress: true },
    );
    const kept = await request(started, { headers });
    expect({ status: kept.status, encoding: kept.headers['content-encoding'], body: kept.body }).toEqual({ status: 500, encoding: 'gzip', body: NEXT_ERROR_PAYLOAD });
  });

  it('is a no-script form post marked by proxy.ts (a $ACTION_ field) just the same', async () => {
    const port = await serve(async (req, res) => {
      markActionCall();
      await nextDecoderError(req, res);
    });
    const answer = await request(port, { headers: { 'content-type': 'multipart/form-data; boundary=q' } });
    expect(answer.status).toBe(400);
    expect(answer.body).toBe(MALFORMED_ACTION_CALL_BODY);
  });
});

describe('what stays as Next answered it', () => {
  it("a 500 behind a Next-Action header that is no action id ('x', a URL): not taken for a malformed call", async () => {
    const port = await serve(nextDecoderError);
    for (const nextAction of ['x', 'https://evil.example/x?token=LEAK', '7f12e67bdd3b3e7ba1f9ba85682c1defc0e1c0c8e3z', 'a']) {
      const answer = await request(port, { headers: { ...ACTION_CALL, 'next-action': nextAction } });
      expect({ nextAction, status: answer.status }).toEqual({ nextAction, status: 500 });
    }
  });

  it("a Route Handler's 500, whatever action-like headers or fields the request carries", async () => {
    const port = await serve(async (req, res) => {
      markActionCall();
      await nextDecoderError(req, res);
    });
    for (const path of ['/api/auth/signin?callbackUrl=%E2%82%AC', '/api/auth/callback/credentials', '/partner/reports/1/photos/upload', '/unseal', '/sign-out']) {
      const answer = await request(port, { path, headers: ACTION_CALL });
      expect({ path, status: answer.status, body: answer.body }).toEqual({ path, status: 500, body: NEXT_ERROR_PAYLOAD });
    }
    // The control: the same handler at a page's path is a malformed call.
    expect((await request(port, { path: '/partner/reports/new', headers: ACTION_CALL })).status).toBe(400);
  });

  it('a 500 after one of our actions started (a bug of ours stays visible), with its payload', async () => {
    const port = await serve(async (req, res) => {
      await new Promise((resolve) => setImmediate(resolve));
      markActionStarted();
      await nextDecoderError(req, res);
    });
    const answer = await request(port, { headers: ACTION_CALL });
    expect(answer.status).toBe(500);
    expect(answer.body).toBe(NEXT_ERROR_PAYLOAD);
  });

  it('a 500 to a post that is no action call, to a GET, and every answer that is not a 500', async () => {
    const port = await serve(nextDecoderError);
    expect((await request(port, { headers: { 'content-type': 'multipart/form-data; boundary=q' } })).status).toBe(500);
    expect((await request(port, { method: 'GET', headers: ACTION_CALL })).status).toBe(500);
    const fine = await serve(async (_req, res) => {
      res.setHeader('Content-Type', 'text/x-component');
      res.end('0:{"a":"$@1"}\n');
    });
    const answer = await request(fine, { headers: ACTION_CALL });
    expect({ status: answer.status, body: answer.body, type: answer.headers['content-type'] }).toEqual({ status: 200, body: '0:{"a":"$@1"}\n', type: 'text/x-component' });
  });
});

describe('one state for the whole process', () => {
  it("is shared by every copy of the module (Next's bundles hold their own copies; server.ts loads another)", async () => {
    vi.resetModules();
    const copy = await import('../http/action-call-context');
    expect(copy.actionCallContext).toBe(actionCallContext);
    const state = { actionCall: true, actionStarted: false };
    actionCallContext.run(state, () => copy.markActionStarted());
    expect(state.actionStarted).toBe(true);
  });
});
