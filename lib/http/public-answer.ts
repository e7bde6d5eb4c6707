/**
 * The answer of every public, cacheable URL (issue 20 item 2; docs/decisions/0014-script-free-public-pages.md):
 * the public pages, the exports, the feed. Public photos keep their own validators
 * (app/photos/[photoId]/route.ts), made before the file is decrypted.
 *
 * - `Cache-Control: public, max-age=0, s-maxage=50, must-revalidate` (lib/publishing/http-cache.ts):
 *   browsers revalidate every use, a shared cache answers for at most 50 s without asking (a
 *   retraction reaches every reader within 60 s).
 * - A strong `ETag`: a hash of the exact bytes sent (and their type). Whatever the page shows —
 *   a publication, a republication, a retraction notice, a renamed agency, a new translation —
 *   changes the tag, so it is never wrong, whatever changed.
 * - `Last-Modified`: the caller's time of the last change of what it shows (a report's publication
 *   or retraction; for lists, statistics, exports and the feed the site's last publication change,
 *   `lastPublicChangeAt`). If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2), so a
 *   client that sends both is judged by the hash alone.
 * - 304 with no body when the request's validators match.
 *
 * proxy.ts replaces Cache-Control with `private, no-store` when the request carries a session
 * cookie: such an answer is never stored by a shared cache.
 */
import crypto from 'node:crypto';
import { isNotModified, notModifiedResponse, NO_STORE_CACHE_CONTROL, publicCacheHeaders, type Validators } from '@/lib/publishing/http-cache';

/**
 * The validators of a body: a strong tag (quoted base64url SHA-256 of type and bytes, 22
 * characters) and the given last change.
 */
export function validatorsOfBody(body: string | Uint8Array<ArrayBuffer>, contentType: string, lastModified: number): Validators {
  const hash = crypto.createHash('sha256').update(contentType).update('\n').update(body).digest('base64url').slice(0, 22);
  return { etag: `"${hash}"`, lastModified };
}

/**
 * A public answer: `body` with the caching headers above, or 304 when the request already holds it.
 * @param status 200 for content; a 404 (unknown id) is sent `no-store` and never answered 304
 * @param headers more headers (e.g. Content-Security-Policy, Content-Disposition)
 */
export function publicAnswer(
  request: Request,
  body: string | Uint8Array<ArrayBuffer>,
  { contentType, lastModified, status = 200, headers = {} }: { contentType: string; lastModified: number; status?: 200 | 404; headers?: Record<string, string> },
): Response {
  if (status !== 200) {
    return new Response(body, { status, headers: { ...headers, 'Content-Type': contentType, 'Cache-Control': NO_STORE_CACHE_CONTROL } });
  }
  const validators = validatorsOfBody(body, contentType, lastModified);
  if (isNotModified(request.headers, validators)) return notModifiedResponse(validators, headers);
  return new Response(body, { status: 200, headers: { ...headers, 'Content-Type': contentType, ...publicCacheHeaders(validators) } });
}

/**
 * A public answer whose body is streamed (the CSV export, too large to hash before sending): the
 * caller gives validators made from the state the body is built from (e.g. `strongEtag` over the
 * query, the language, the export's format and the site's last publication change), and `body()`
 * is called only when the answer is not 304.
 */
export function publicStreamAnswer(
  request: Request,
  body: () => ReadableStream<Uint8Array>,
  { contentType, validators, headers = {} }: { contentType: string; validators: Validators; headers?: Record<string, string> },
): Response {
  if (isNotModified(request.headers, validators)) return notModifiedResponse(validators, headers);
  return new Response(body(), { status: 200, headers: { ...headers, 'Content-Type': contentType, ...publicCacheHeaders(validators) } });
}
