/**
 * The app's own HTTP server around Next's request handler (server.ts; docs/architecture.md "The
 * server", docs/decisions/0003-own-http-server.md). It does three things `next start` does not:
 *
 * 1. Client address (issue 16 item 7): every request gets `x-fr-client-address`, worked out from
 *    the socket and TRUSTED_PROXIES (lib/server/resolve-client-address.ts); a copy sent by the
 *    client is deleted first. Request code reads it with lib/http/client-address.ts.
 * 2. Request id: every request gets a fresh random `x-request-id` (a UUID), replacing any the client
 *    sent, for log lines of one request to share (never an address or anything the client chose).
 * 3. Drain (issue 16 item 16): `drain()` stops accepting connections, closes idle keep-alive
 *    sockets at once, answers requests in flight with `Connection: close`, and waits for them for
 *    at most `graceMs`; then it cuts the connections still open.
 * 4. Body length (issue 16 item 9): a body declared over the limit (413) or of undeclared length
 *    (411) is refused before Next reads a byte of it ({@link bodyLengthRefusal}).
 *
 * It listens on `host` (default 127.0.0.1, issue 16 item 17). No 'server-only' import: server.ts
 * loads this outside Next's bundle.
 */
import crypto from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { CLIENT_ADDRESS_HEADER } from '../http/client-address';
import { checkContentLength } from '../http/request-guard';
import { DEFAULT_HOST, DEFAULT_PORT } from './config';
import { resolveClientAddress } from './resolve-client-address';
import type { TrustedProxies } from './trusted-proxies';

/** The header that carries a request's id (set here; read by the logger). */
export const REQUEST_ID_HEADER = 'x-request-id';

/** Next's `app.getRequestHandler()` or a stub with its shape. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export type DrainResult = {
  /** requests that were in flight when the drain began */
  inFlightAtStart: number;
  /** requests whose connection was cut when the grace ran out (0 when every one finished) */
  cutOff: number;
  /** how long the drain took, in milliseconds */
  ms: number;
};

export type FieldReportsServer = {
  server: http.Server;
  /** Start listening on host:port; resolves with the address actually bound (port 0 = any free one). */
  listen(): Promise<{ host: string; port: number }>;
  /** Requests being answered now. */
  inFlight(): number;
  /** Stop accepting, let requests in flight finish (≤ graceMs), close every connection. Idempotent. */
  drain(): Promise<DrainResult>;
};

/**
 * Replace the headers only this server may set: `x-fr-client-address` (null: removed, so request
 * code counts the request under 'unknown') and `x-request-id`, in both `req.headers` and
 * `req.rawHeaders`, whatever case or how many copies the client sent.
 */
export function setServerHeaders(req: IncomingMessage, { clientAddress, requestId }: { clientAddress: string | null; requestId: string }): void {
  const ours = new Set([CLIENT_ADDRESS_HEADER, REQUEST_ID_HEADER]);
  const headers = req.headers; // computed from rawHeaders on first access; edited in place
  for (const name of ours) delete headers[name];
  if (clientAddress) headers[CLIENT_ADDRESS_HEADER] = clientAddress;
  headers[REQUEST_ID_HEADER] = requestId;
  const raw: string[] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    if (!ours.has(req.rawHeaders[i]!.toLowerCase())) raw.push(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  }
  if (clientAddress) raw.push(CLIENT_ADDRESS_HEADER, clientAddress);
  raw.push(REQUEST_ID_HEADER, requestId);
  req.rawHeaders = raw;
}

/** Methods whose requests carry a body: without a Content-Length they are refused with 411. */
const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback (::ffff:127.x.x.x). */
export function isLoopbackPeer(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || /^(::ffff:)?127\./.test(address);
}

/**
 * Why a request's body is refused before anything reads it, or null when it may pass:
 * - Content-Length over REQUEST_LIMITS.bodyBytes (12 MiB) → 413, malformed → 400
 *   (lib/http/request-guard.ts checkContentLength);
 * - a body of undeclared length — `Transfer-Encoding` (chunked), or a POST, PUT or PATCH with no
 *   Content-Length at all → 411 Length Required. Browsers send a length with every form post and
 *   fetch body, and our pages never stream one; a chunked body is what let a 15 MB post past the
 *   declared-size check, to be cut silently at 12 MB by Next's proxy buffer and processed (issue 16
 *   item 9: 200 from /sign-in, 302 from next-auth's sign-in callback).
 *
 * One exception: Next itself re-sends a Server Action call that reached a page without that action
 * to a page that has it (its "forwarded" call: `x-action-forwarded: 1`, the body streamed by
 * fetch, chunked) to this same server over loopback. Such a call from a loopback peer keeps its
 * undeclared length; Next's own Server Action body limit (12 MiB) still applies to it. A client
 * cannot use this from outside: directly it is not a loopback peer, and behind the reference
 * reverse proxy its body arrives with a Content-Length (nginx buffers request bodies).
 * @param req the request, headers only (its body is not touched)
 * @param fromLoopback whether the socket's peer is a loopback address
 * @returns the status and a short reason, or null
 */
export function bodyLengthRefusal(req: Pick<IncomingMessage, 'method' | 'headers'>, fromLoopback = false): { status: 400 | 411 | 413; reason: string } | null {
  const declared = req.headers['content-length'];
  const isNextForwardedCall = fromLoopback && req.headers['x-action-forwarded'] === '1' && req.method === 'POST' && declared === undefined;
  if (!isNextForwardedCall && (req.headers['transfer-encoding'] !== undefined || (declared === undefined && METHODS_WITH_BODY.has(req.method ?? '')))) {
    return { status: 411, reason: 'a request body needs a Content-Length' };
  }
  const verdict = checkContentLength(declared ?? null);
  return verdict.ok ? null : { status: verdict.status, reason: verdict.reason };
}

/**
 * Make the server (not yet listening).
 * @param handler Next's request handler; a rejection becomes a 500 (or a cut connection when the
 *   answer had begun), logged without the URL or any header
 * @param host address to listen on (default 127.0.0.1)
 * @param port default 3000; 0 = any free port
 * @param trustProxies parsed TRUSTED_PROXIES
 * @param graceMs how long `drain()` waits for requests in flight, in milliseconds
 * @param logError where unexpected handler failures go (default console.error)
 */
export function createFieldReportsServer({
  handler,
  host = DEFAULT_HOST,
  port = DEFAULT_PORT,
  trustProxies,
  graceMs,
  logError = (message, error) => console.error(message, error),
}: {
  handler: RequestHandler;
  host?: string;
  port?: number;
  trustProxies: TrustedProxies;
  graceMs: number;
  logError?: (message: string, error: unknown) => void;
}): FieldReportsServer {
  const active = new Set<ServerResponse>();
  let draining = false;
  // Upgraded connections (in development, Next's hot-reload websocket) are no request in flight:
  // the drain closes them at once. They are watched once Next has added its own 'upgrade'
  // listener (on its first request): a listener of ours alone would make Node hand every
  // `Connection: Upgrade` request to nobody instead of treating it as a plain request.
  const upgraded = new Set<Duplex>();
  let watchingUpgrades = false;
  const watchUpgrades = () => {
    if (watchingUpgrades || server.listenerCount('upgrade') === 0) return;
    watchingUpgrades = true;
    server.prependListener('upgrade', (_req: IncomingMessage, socket: Duplex) => {
      if (draining) {
        socket.destroy();
        return;
      }
      upgraded.add(socket);
      socket.once('close', () => upgraded.delete(socket));
    });
  };

  const server = http.createServer((req, res) => {
    watchUpgrades();
    setServerHeaders(req, { clientAddress: resolveClientAddress(req, trustProxies.trust), requestId: crypto.randomUUID() });
    active.add(res);
    res.once('close', () => {
      active.delete(res);
      // A keep-alive socket whose answer went out before the drain began is idle now: close it.
      if (draining) server.closeIdleConnections();
    });
    if (draining) res.setHeader('Connection', 'close');
    const refusal = bodyLengthRefusal(req, isLoopbackPeer(req.socket.remoteAddress));
    if (refusal) {
      // Node reads and discards the unread body after the answer, keeping the connection usable.
      res.writeHead(refusal.status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(`${refusal.status === 400 ? 'Malformed request' : refusal.status === 411 ? 'Length required' : 'Request too large'}: ${refusal.reason}.`);
      return;
    }
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((error: unknown) => {
        logError('[field-reports] A request failed in the server (answered 500).', error);
        if (res.headersSent) res.destroy();
        else {
          res.statusCode = 500;
          res.setHeader('Content-Type', 'text/plain; charset=utf-8');
          res.end('Internal Server Error');
        }
      });
  });

  // Every socket, so the grace's end can close them all, whatever state they are in.
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  let drainPromise: Promise<DrainResult> | null = null;

  return {
    server,
    listen() {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          resolve({ host: address.address, port: address.port });
        });
      });
    },
    inFlight: () => active.size,
    drain() {
      drainPromise ??= new Promise<DrainResult>((resolve) => {
        draining = true;
        const started = performance.now();
        const inFlightAtStart = active.size;
        let cutOff = 0;
        // Answers not yet begun tell the client this connection ends with them.
        for (const res of active) if (!res.headersSent) res.setHeader('Connection', 'close');
        let finished = false;
        const finish = () => {
          if (finished) return;
          finished = true;
          clearTimeout(timer);
          resolve({ inFlightAtStart, cutOff, ms: Math.round(performance.now() - started) });
        };
        // The bound: whatever is still open when the grace ends is cut, and the drain is over.
        const timer = setTimeout(() => {
          cutOff = active.size;
          server.closeAllConnections();
          for (const socket of sockets) socket.destroy();
          finish();
        }, graceMs);
        for (const socket of upgraded) socket.destroy();
        // close(): no new connections; its callback runs once every connection has ended.
        if (server.listening) server.close(() => finish());
        else finish();
        server.closeIdleConnections();
      });
      return drainPromise;
    },
  };
}
