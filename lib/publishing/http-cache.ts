/**
 * HTTP caching of public output (issue 16 item 12 for public photos; written so issue 20 item 2 —
 * public pages, exports and the feed — can use the same header and validators).
 *
 * The rule (docs/security/README.md "Public output"): browsers revalidate every use
 * (`max-age=0, must-revalidate`), a shared cache (a reverse proxy or CDN) may answer for at most
 * SHARED_CACHE_MAX_AGE_SECONDS without asking, and every answer carries a strong `ETag` and a
 * `Last-Modified` that change whenever what is public changes (publish, republish, retraction),
 * so a conditional request is answered 304 while nothing changed and the new state (or 404) once
 * something did. Anything not public is `no-store`.
 *
 * Pure (no database, no server-only import): the callers decide the validators from their data.
 */
import crypto from 'node:crypto';

/**
 * How long a shared cache may serve a public answer without revalidating, in seconds. The promise
 * (issue 20; docs/architecture.md "Public caching") is that a retraction reaches readers of any
 * well-behaved cache within 60 s: 50 leaves 10 s for what a cache adds — nginx counts whole seconds
 * and serves its copy through the second it expires in (≤ 51 s measured from storing), then the
 * revalidation itself. Measured (bench 7c, quick run on 2026-12-07 with s-maxage=60): nginx served
 * a retracted report's old page until 60.7 s after the retraction.
 */
export const SHARED_CACHE_MAX_AGE_SECONDS = 50;

/** Cache-Control of public output: browsers revalidate on every use, shared caches after ≤ 50 s. */
export const PUBLIC_REVALIDATE_CACHE_CONTROL = `public, max-age=0, s-maxage=${SHARED_CACHE_MAX_AGE_SECONDS}, must-revalidate`;

/** Cache-Control of answers no cache may keep (errors, 404s, retracted or withdrawn public URLs). */
export const NO_STORE_CACHE_CONTROL = 'no-store';

/** Cache-Control of signed-in (private) answers. */
export const PRIVATE_NO_STORE_CACHE_CONTROL = 'private, no-store';

/** What a conditional request is compared with. */
export type Validators = {
  /** A strong entity tag, quoted (from `strongEtag`). */
  etag: string;
  /** When the public state last changed, UTC ms (sent rounded down to the second). */
  lastModified: number;
};

/**
 * A strong entity tag (RFC 9110 §8.8.3) for the representation described by `parts`: a quoted
 * base64url SHA-256 of their JSON, 22 characters (132 bits). Callers pass everything the bytes
 * depend on (which stored file, which variant, which publication state), so any change gives a
 * new tag; the tag reveals none of them.
 */
export function strongEtag(parts: readonly (string | number)[]): string {
  return `"${crypto.createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22)}"`;
}

/** An IMF-fixdate (RFC 9110 §5.6.7), e.g. "Sun, 06 Nov 1994 08:49:37 GMT", for `ms` (UTC ms). */
export function httpDate(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toUTCString();
}

/** The opaque tags of an If-None-Match value ('*' alone gives ['*']); weak prefixes are dropped. */
function entityTagsOf(value: string): string[] {
  if (value.trim() === '*') return ['*'];
  return [...value.matchAll(/(?:W\/)?("[\x21\x23-\x7e\x80-\xff]*")/g)].map((match) => match[1]!);
}

/**
 * Whether a GET or HEAD may be answered 304 Not Modified (RFC 9110 §13.2.2): when If-None-Match is
 * present, only it counts (weak comparison, `*` matches anything that exists); otherwise a valid
 * If-Modified-Since at or after `lastModified` (to the second) matches. An invalid date is ignored.
 */
export function isNotModified(requestHeaders: Headers, validators: Validators): boolean {
  const ifNoneMatch = requestHeaders.get('if-none-match');
  if (ifNoneMatch !== null) {
    return entityTagsOf(ifNoneMatch).some((tag) => tag === '*' || tag === validators.etag);
  }
  const ifModifiedSince = requestHeaders.get('if-modified-since');
  if (ifModifiedSince === null) return false;
  const since = Date.parse(ifModifiedSince);
  if (Number.isNaN(since)) return false;
  return Math.floor(validators.lastModified / 1000) <= Math.floor(since / 1000);
}

/** The caching headers of a public answer: Cache-Control, ETag and Last-Modified. */
export function publicCacheHeaders(validators: Validators): Record<string, string> {
  return {
    'Cache-Control': PUBLIC_REVALIDATE_CACHE_CONTROL,
    ETag: validators.etag,
    'Last-Modified': httpDate(validators.lastModified),
  };
}

/**
 * 304 Not Modified with the headers the 200 would have carried that RFC 9110 §15.4.5 requires
 * (Cache-Control, ETag; Last-Modified too, which caches use to refresh their copy) and `extra`
 * (e.g. Vary); no body.
 */
export function notModifiedResponse(validators: Validators, extra: Record<string, string> = {}): Response {
  return new Response(null, { status: 304, headers: { ...publicCacheHeaders(validators), ...extra } });
}
