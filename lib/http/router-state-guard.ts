/**
 * The `Next-Router-State-Tree` check, for the app's own HTTP server (server.ts,
 * lib/server/http-server.ts) to run before it hands a request to Next.js (issue 16 item 11;
 * docs/security/README.md "Request limits").
 *
 * Why not in proxy.ts with the other guards: Next.js removes its router headers (`RSC`,
 * `Next-Router-State-Tree`, `Next-Router-Prefetch`, …) from the request the proxy sees and puts them
 * back afterwards, so the proxy cannot read this header; Next then parses it for every client-side
 * navigation and answers 500 when it cannot. The server is the one place that sees it first.
 * No 'server-only' import: server.ts loads this outside Next's bundle.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseAndValidateFlightRouterState } from 'next/dist/server/app-render/parse-and-validate-flight-router-state';
import { checkRouterStateHeader, type GuardVerdict } from './request-guard';

/** Next.js's own check of a router-state value: false (or a throw) when Next would refuse it. */
export function isValidRouterState(value: string): boolean {
  return parseAndValidateFlightRouterState(value) !== undefined;
}

/**
 * The verdict on a request's `Next-Router-State-Tree` header (absent passes).
 * @param value `req.headers['next-router-state-tree']` (Node joins repeated copies into one string)
 */
export function checkRouterStateOf(value: string | string[] | undefined): GuardVerdict {
  if (Array.isArray(value)) return { ok: false, status: 400, reason: 'malformed router state header' };
  return checkRouterStateHeader(value ?? null, isValidRouterState);
}

/**
 * For the HTTP server: answer a malformed `Next-Router-State-Tree` with a plain-text 400
 * (`Cache-Control: no-store`) and return true; return false, having written nothing, otherwise.
 * Usage, first thing in the request handler: `if (refuseMalformedRouterState(req, res)) return;`
 */
export function refuseMalformedRouterState(req: IncomingMessage, res: ServerResponse): boolean {
  const verdict = checkRouterStateOf(req.headers['next-router-state-tree']);
  if (verdict.ok) return false;
  res.writeHead(verdict.status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`Malformed request: ${verdict.reason}.`);
  return true;
}
