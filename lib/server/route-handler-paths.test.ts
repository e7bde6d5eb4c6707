import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRouteHandlerPath, ROUTE_HANDLER_ROUTES } from './route-handler-paths';

/** Every app/**\/route.ts as a route pattern: route groups and parallel-route slots left out. */
function routeHandlersInSource(): string[] {
  const appDir = path.resolve(__dirname, '../../app');
  const files = readdirSync(appDir, { recursive: true, encoding: 'utf8' }).filter((file) => /(^|\/)route\.(ts|tsx|js)$/.test(file));
  return files
    .map((file) => `/${path.dirname(file).split(path.sep).filter((segment) => segment !== '.' && !/^\(.*\)$/.test(segment) && !segment.startsWith('@')).join('/')}`)
    .sort();
}

describe('route handler paths', () => {
  it('lists every route handler under app/ (a new route.ts must be added)', () => {
    const found = routeHandlersInSource();
    expect(found.length).toBeGreaterThan(5);
    expect([...ROUTE_HANDLER_ROUTES].sort()).toEqual(found);
  });

  it('matches the paths those handlers serve and no page', () => {
    for (const url of ['/api/auth/signin?callbackUrl=%E2%82%AC', '/api/auth/callback/credentials', '/api/health', '/photos/abc', '/exports/reports.csv', '/feed.xml', '/unseal', '/sign-out', '/partner/reports/12/photos/upload', '/api/%68ealth', '/', '/reports?place=x', '/reports/AAAAAAAAAAAAAAAA', '/stats']) {
      expect(isRouteHandlerPath(url), url).toBe(true);
    }
    // The root catch-all is not counted: it would match every page (route-handler-paths.ts).
    for (const url of ['/sign-in', '/partner/reports/new', '/reports/a/b', '/partner/reports/12', '/photos', '/api/auth', '/exports/reportsXcsv', '/%FF', '/editor', '/admin/accounts/3']) {
      expect(isRouteHandlerPath(url), url).toBe(false);
    }
  });
});
