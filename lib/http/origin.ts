/**
 * Cross-site request refusal for mutating requests (docs/security/README.md "Input and output"). Route
 * Handlers call this themselves; proxy.ts also applies it to every POST (Server Actions included).
 */

/**
 * True when a request comes from our own pages.
 * - Browsers send `Sec-Fetch-Site`; only `same-origin` (or `none`: typed or bookmarked) passes.
 * - An `Origin` header that names a host must name ours (x-forwarded-host, else host), whatever
 *   `Sec-Fetch-Site` says — the two never disagree in a browser, so a request where they do is
 *   not from one of our pages.
 * - Without `Sec-Fetch-Site` (older browsers, non-browser clients), `Origin: null` is refused; no
 *   `Origin` at all passes (nothing a cross-site page can make a browser send).
 *   Note: with `Referrer-Policy: no-referrer` browsers send `Origin: null` even for same-origin
 *   form posts, which is why `Sec-Fetch-Site` decides that case.
 */
export function isSameOriginRequest(request: Request): boolean {
  const site = request.headers.get('sec-fetch-site');
  const origin = request.headers.get('origin');
  if (origin && origin !== 'null' && !originIsOurs(request, origin)) return false;
  if (site) return site === 'same-origin' || site === 'none';
  return origin !== 'null';
}

function originIsOurs(request: Request, origin: string): boolean {
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
