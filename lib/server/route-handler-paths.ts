/**
 * The app's Route Handlers (app/**\/route.ts), as route patterns, and a test of a request path
 * against them (issue 16 item 11; docs/security/README.md "Request limits"). A Route Handler is
 * never a Server Action call, whatever headers or fields a request brings, so the server's 400
 * for malformed action calls (lib/server/malformed-action-call.ts) leaves their answers alone: a
 * 500 there is a bug of ours and must stay visible. lib/server/route-handler-paths.test.ts derives
 * the list from the files under app/, so a new route handler that is missing here fails it. No
 * 'server-only' import: server.ts loads this outside Next's bundle.
 */

/** Route patterns of app/**\/route.ts, route groups `(…)` left out: `[x]` one segment, `[...x]` one or more. */
export const ROUTE_HANDLER_ROUTES: readonly string[] = [
  '/',
  '/[...unknown]',
  '/admin/audit/export',
  '/api/auth/[...nextauth]',
  '/api/health',
  '/app.webmanifest',
  '/editor/export',
  '/exports/official-trade.csv',
  '/exports/official-trade.json',
  '/exports/official-trade.schema.json',
  '/exports/reports.csv',
  '/exports/reports.json',
  '/exports/reports.schema.json',
  '/feed.xml',
  '/partner/reports/[id]/photos/upload',
  '/partner/serwist/[path]',
  '/photos/[photoId]',
  '/reports',
  '/reports/[publicId]',
  '/sign-in/kept',
  '/sign-out',
  '/stats',
  '/unseal',
  '/welcome',
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One pattern as a regular expression over a decoded path (no trailing slash). */
function routeRegExp(route: string): RegExp {
  const source = route
    .split('/')
    .map((segment) => {
      if (/^\[\[\.\.\.[^\]]+\]\]$/.test(segment)) return '(?:/.*)?';
      if (/^\[\.\.\.[^\]]+\]$/.test(segment)) return '/.+';
      if (/^\[[^\]]+\]$/.test(segment)) return '/[^/]+';
      return segment === '' ? '' : `/${escapeRegExp(segment)}`;
    })
    .join('');
  return new RegExp(`^${source}/?$`);
}

/**
 * The root catch-all (app/(public)/[...unknown]/route.ts, the not-found page of every path nothing
 * else serves) matches any path as a pattern, but serves none that a page serves: matching it
 * here would take every page's malformed action call for a Route Handler's. It is left out; it
 * parses nothing and answers 404 itself, so it has no 500 to keep visible.
 */
const ROOT_CATCH_ALL = '/[...unknown]';
const ROUTE_HANDLER_PATTERNS = ROUTE_HANDLER_ROUTES.filter((route) => route !== ROOT_CATCH_ALL).map(routeRegExp);

/**
 * True when a request path is served by one of the app's Route Handlers.
 * @param url the request target as received (`/api/auth/signin?callbackUrl=…`): query and
 *   fragment are ignored, percent-escapes decoded (a path that does not decode matches nothing;
 *   proxy.ts refuses it with 400 anyway)
 */
export function isRouteHandlerPath(url: string): boolean {
  const raw = url.split(/[?#]/, 1)[0] ?? '';
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return false;
  }
  return ROUTE_HANDLER_PATTERNS.some((pattern) => pattern.test(path));
}
