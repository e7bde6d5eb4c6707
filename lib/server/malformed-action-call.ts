/**
 * Never a 500 for a malformed Server Action call (issue 16 item 11; docs/security/README.md
 * "Request limits"). React's decoder reads a call's arguments before any action runs and throws on
 * references that do not resolve (`["$Q1"]` without its part, `["$K1","$Q2","$@3"]`, `["$Sfoo"]`,
 * a chain of 1,500 references …); Next.js answers that with 500. Rather than re-implement React's
 * format to refuse those first, the server watches the answer: Next's handler runs inside
 * lib/http/action-call-context.ts, our Server Action wrappers (lib/http/server-action.ts) mark the
 * start of an action first thing, and when Next is about to answer a Server Action call with 500
 * and no action has started, the answer becomes a plain-text 400 "Malformed Server Action call."
 * Next's status, headers and body (its error payload) are replaced, nothing of them is sent. A 500
 * after an action started stays a 500: that is a bug of ours and must stay visible.
 *
 * A Server Action call is a POST to a page with a `Next-Action` header shaped like an action id
 * (hex, lib/http/request-guard.ts isActionIdShaped; scripts on), or a multipart post with a
 * `$ACTION_ID_<hex>` or `$ACTION_REF_<n>` field (a form sent with scripts off), which proxy.ts
 * marks once its guard has scanned the body. Nothing else is: `Next-Action: x` or a field named
 * `$ACTION_x` does not turn a 500 into this 400, and a Route Handler's answer
 * (lib/server/route-handler-paths.ts) is never touched — those 500s are bugs of ours (an
 * attacker's retest, issue 16: next-auth's 500 behind `Next-Action: x` read as a malformed call).
 * No 'server-only' import: server.ts loads this outside Next's bundle.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { actionCallContext, type ActionCallState } from '../http/action-call-context';
import { isActionIdShaped } from '../http/request-guard';
import { isRouteHandlerPath } from './route-handler-paths';

/** The body of the 400 that replaces Next's 500. */
export const MALFORMED_ACTION_CALL_BODY = 'Malformed Server Action call.';

/**
 * Headers of Next's answer kept on the 400: the security headers (next.config.js) and the
 * server's `Connection: close` while it drains. Everything else described Next's 500 and its body
 * (type, length, encoding, caching, Next's own headers) and is removed.
 */
const KEPT_HEADERS = new Set(['connection', 'content-security-policy', 'x-content-type-options', 'referrer-policy', 'x-frame-options', 'cross-origin-opener-policy', 'permissions-policy']);

/**
 * Run `handle` (Next's request handler) for one request; for a POST to anything but a Route
 * Handler, inside a fresh {@link ActionCallState}, with the response watched as described above.
 * Other methods and Route Handlers pass through untouched.
 * @param req the request (a `Next-Action` header shaped like an action id makes a POST an action call from the start)
 * @param res its response, whose writeHead, write and end are wrapped for this request only
 * @param handle calls Next's handler with `req` and `res`
 * @returns what `handle` returns
 */
export function answerMalformedActionCallWith400<T>(req: IncomingMessage, res: ServerResponse, handle: () => T): T {
  if (req.method !== 'POST' || isRouteHandlerPath(req.url ?? '/')) return handle();
  const nextAction = req.headers['next-action'];
  const state: ActionCallState = { actionCall: typeof nextAction === 'string' && isActionIdShaped(nextAction), actionStarted: false };
  const writeHead = res.writeHead;
  const write = res.write;
  const end = res.end;
  // Decided once, when the status line is about to go out: Next's own answer, or our 400.
  let decided = false;
  let replaced = false;

  const sendMalformed = () => {
    for (const name of res.getHeaderNames()) if (!KEPT_HEADERS.has(name)) res.removeHeader(name);
    const headers: OutgoingHttpHeaders = {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
      'content-length': Buffer.byteLength(MALFORMED_ACTION_CALL_BODY),
    };
    writeHead.call(res, 400, headers);
  };
  const decide = (statusCode: number): boolean => {
    if (!decided) {
      decided = true;
      replaced = statusCode === 500 && state.actionCall && !state.actionStarted;
      if (replaced) sendMalformed();
    }
    return replaced;
  };

  // Node calls writeHead itself (with res.statusCode) on the first write or end.
  res.writeHead = function (this: ServerResponse, statusCode: number, ...rest: unknown[]) {
    if (decide(statusCode)) return this;
    return (writeHead as (...args: unknown[]) => ServerResponse).call(this, statusCode, ...rest);
  } as ServerResponse['writeHead'];
  res.write = function (this: ServerResponse, ...args: unknown[]) {
    if (!this.headersSent) decide(this.statusCode);
    if (replaced) {
      const callback = args.find((arg): arg is () => void => typeof arg === 'function');
      if (callback) process.nextTick(callback);
      return true;
    }
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as ServerResponse['write'];
  res.end = function (this: ServerResponse, ...args: unknown[]) {
    if (!this.headersSent) decide(this.statusCode);
    if (replaced) {
      const callback = args.find((arg): arg is () => void => typeof arg === 'function');
      if (this.writableEnded) {
        if (callback) process.nextTick(callback);
        return this;
      }
      return (end as (...a: unknown[]) => ServerResponse).call(this, MALFORMED_ACTION_CALL_BODY, ...(callback ? [callback] : []));
    }
    return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse['end'];

  return actionCallContext.run(state, handle);
}
