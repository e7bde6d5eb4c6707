/**
 * Which paths are the script-free public pages (issue 20 item 1; docs/decisions/0014-script-free-public-pages.md)
 * and the one Content-Security-Policy they carry. Pure: used by proxy.ts and the tests.
 */

/**
 * The policy of every script-free public page: no script of any kind (`script-src 'none'`,
 * inherited by everything else through `default-src 'none'`), the inlined stylesheet and style
 * attributes (`'unsafe-inline'` for styles only, as in decisions/0007: a hash would switch it off
 * for the style attributes the charts and tables use, and styles cannot run code), images (photos,
 * the icon) from this site, forms (the filters) to this site, never framed, no plugins, no `<base>`.
 * The same bytes for every request: no nonce.
 */
export const PUBLIC_PAGE_CSP =
  "default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

const PUBLIC_PAGE_PATH = /^\/(?:reports(?:\/[^/]+)?|stats)?$/;
/** The other cacheable public answers: the exports, the feed, public photos (16-character public ids). */
const PUBLIC_FILE_PATH = /^\/(?:feed\.xml|exports\/(?:reports|official-trade)\.(?:csv|json|schema\.json)|photos\/[A-Za-z0-9_-]{16})$/;

/** Whether `pathname` is one of `/`, `/reports`, `/reports/<id>`, `/stats` (rendered without scripts). */
export function isScriptFreePublicPage(pathname: string): boolean {
  return PUBLIC_PAGE_PATH.test(pathname);
}

/**
 * Whether `pathname` is answered for shared caches (lib/http/public-answer.ts): the script-free
 * pages, the exports, the feed and public photos. proxy.ts gives them all PUBLIC_PAGE_CSP — the
 * same header on every response, so a cache keeps nothing per request (the nonce policy would
 * differ each time; for data files a `default-src 'none'` policy is the strictest anyway).
 */
export function isCacheablePublicPath(pathname: string): boolean {
  return PUBLIC_PAGE_PATH.test(pathname) || PUBLIC_FILE_PATH.test(pathname);
}

/**
 * The first path segments under which the app has pages or answers that run scripts or carry
 * their own policy: the signed-in areas, sign-in and its steps, invitations, the unseal page, the
 * API, the web manifest and Next's own files. Kept in step with app/ by lib/http/public-pages.test.ts.
 */
export const SCRIPT_AREA_SEGMENTS: ReadonlySet<string> = new Set([
  'account',
  'admin',
  'editor',
  'partner',
  'sign-in',
  'sign-out',
  'invite',
  'unseal',
  'api',
  'app.webmanifest',
  '_next',
]);

/**
 * Whether `pathname` lies outside every area with scripts (SCRIPT_AREA_SEGMENTS): a public page, a
 * public file, or a path the app does not know, which the catch-all app/(public)/[...unknown]/route.ts
 * answers with the script-free not-found page. proxy.ts gives all of these the static
 * PUBLIC_PAGE_CSP (issue 20 item 1: the public errors carry no script and no nonce either).
 */
export function isOutsideScriptAreas(pathname: string): boolean {
  const first = pathname.split('/')[1] ?? '';
  return !SCRIPT_AREA_SEGMENTS.has(first);
}
