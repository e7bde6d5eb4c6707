/**
 * Cross-site request refusal for mutating requests (SECURITY.md "Input and output"). Route
 * Handlers call this themselves; proxy.ts also applies it to every POST (Server Actions included).
 */

/**
 * True when a request comes from our own pages.
 * - Browsers send `Sec-Fetch-Site`; only `same-origin` (or `none`: typed or bookmarked) passes.
 * - Without it (older browsers, non-browser clients), an `Origin` header must name our host.
 *   Note: with `Referrer-Policy: no-referrer` browsers send `Origin: null` even for same-origin
 *   form posts, which is why `Sec-Fetch-Site` decides first.
 */
export function isSameOriginRequest(request: Request): boolean {
  const site = request.headers.get('sec-fetch-site');
  if (site) return site === 'same-origin' || site === 'none';
  const origin = request.headers.get('origin');
  if (!origin) return true;
  if (origin === 'null') return false;
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
