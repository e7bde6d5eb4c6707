/**
 * Next.js's onRequestError hook (instrumentation.ts): one `error` line for every unexpected error
 * Next catches while serving a request — a render, a route handler, a Server Action or proxy.ts.
 * It names the route, never the request: the route's pattern (`/invite/[token]`, not the token;
 * no query string), the method, the route and router kind, the request id and the error's digest
 * (the number the error page shows). Never headers, cookies, a body or an address
 * (docs/security/README.md "Audit and privacy").
 *
 * A Server Action call whose arguments React could not decode, before any action of ours started
 * (lib/http/action-call-context.ts), is the client's fault and is answered 400 by the server
 * (lib/server/malformed-action-call.ts): it is one short `warn` line, the error's type and message
 * without its stack, not an error (an attacker's retest, issue 16: each such call wrote two
 * error-level lines with React's stack).
 */
import 'server-only';
import { actionCallContext } from '../http/action-call-context';
import { logger as processLogger, serializeError, type Logger } from './index';
import { requestIdFrom, type HeaderSource } from './request';

/** What Next passes about the request (the `request` argument of onRequestError). */
export type ErroredRequest = { path: string; method: string; headers: HeaderSource };
/** What Next passes about the route (the `context` argument of onRequestError). */
export type ErroredRoute = { routerKind: string; routePath: string; routeType: string; renderSource?: string; revalidateReason?: string };

/** A path without its query string or fragment. */
export function withoutQuery(path: string): string {
  return path.split(/[?#]/, 1)[0] ?? '';
}

/**
 * Log one unexpected request error.
 * @param error what was thrown (serialised by serializeError: name, message, stack, digest)
 * @param request Next's request summary: only the method and the request id header are read
 * @param context Next's route summary: routePath (a pattern), routeType, routerKind
 */
export function logRequestError(error: unknown, request: ErroredRequest, context: ErroredRoute, log: Logger = processLogger): void {
  if (isMalformedActionCall()) {
    const err = serializeError(error);
    log.warn(
      {
        event: 'malformedActionCall',
        requestId: requestIdFrom(request.headers),
        method: request.method,
        route: withoutQuery(context.routePath),
        err: typeof err === 'string' ? err : { type: err.type, message: err.message },
      },
      'malformed Server Action call answered 400',
    );
    return;
  }
  const digest = error !== null && typeof error === 'object' && typeof (error as { digest?: unknown }).digest === 'string' ? (error as { digest: string }).digest : null;
  log.error(
    {
      event: 'onRequestError',
      requestId: requestIdFrom(request.headers),
      method: request.method,
      route: withoutQuery(context.routePath),
      routeType: context.routeType,
      routerKind: context.routerKind,
      ...(context.renderSource ? { renderSource: context.renderSource } : {}),
      digest,
      err: serializeError(error),
    },
    'unexpected error while serving a request',
  );
}

/**
 * True while serving a Server Action call in which none of our actions has started
 * (lib/http/action-call-context.ts): an error now is React's decoder refusing the arguments, and
 * the server answers 400 (lib/server/malformed-action-call.ts).
 */
export function isMalformedActionCall(): boolean {
  const state = actionCallContext.getStore();
  return state !== undefined && state.actionCall && !state.actionStarted;
}
