/**
 * Per-request logging: a child of the process logger carrying the request id that server.ts puts
 * in the `x-request-id` header (a fresh random value for every request), so the lines one request
 * causes can be found together. Nothing else about the request is bound (docs/architecture.md
 * "Logging").
 */
import 'server-only';
import { logger, type Logger } from './index';

/** The header the server sets on every request it forwards to Next. */
export const REQUEST_ID_HEADER = 'x-request-id';
/** What a request id may look like (a UUID, base64url or hex value); anything else is not logged. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Request headers in any of the shapes the app meets: fetch Headers, Node's, or Next's onRequestError record. */
export type HeaderSource = Headers | Readonly<Record<string, string | string[] | undefined>> | null | undefined;

/**
 * The request id of a request, or null when there is none or it is not a plain token (a header
 * a client could have forged is never logged as it came).
 */
export function requestIdFrom(headers: HeaderSource): string | null {
  if (!headers) return null;
  const raw = typeof (headers as Headers).get === 'function' ? (headers as Headers).get(REQUEST_ID_HEADER) : (headers as Record<string, string | string[] | undefined>)[REQUEST_ID_HEADER];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' && REQUEST_ID.test(value) ? value : null;
}

/**
 * A logger whose every line carries `requestId` (null when the request has none).
 * @param headers the request's headers (`request.headers` in a route handler, `await headers()` in a page or action)
 */
export function requestLogger(headers: HeaderSource, parent: Logger = logger): Logger {
  return parent.child({ requestId: requestIdFrom(headers) });
}
