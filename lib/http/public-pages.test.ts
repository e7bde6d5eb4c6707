import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCacheablePublicPath, isOutsideScriptAreas, isScriptFreePublicPage, PUBLIC_PAGE_CSP, SCRIPT_AREA_SEGMENTS } from './public-pages';

/** The URL paths of app/'s files named `name` (route groups dropped), e.g. '/editor/reports/[id]'. */
function appPathsOf(name: string): string[] {
  const root = path.resolve(__dirname, '..', '..', 'app');
  const found: string[] = [];
  const walk = (dir: string, segments: string[]) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (entry.name.startsWith('_')) continue;
        walk(path.join(dir, entry.name), /^\(.*\)$/.test(entry.name) ? segments : [...segments, entry.name]);
      } else if (entry.name === name) found.push(`/${segments.join('/')}`);
    }
  };
  walk(root, []);
  return found;
}

describe('script-free public pages', () => {
  it('are /, /reports, /reports/<id> and /stats only', () => {
    for (const path of ['/', '/reports', '/reports/AAAAAAAAAAAAAAAA', '/reports/anything', '/stats']) expect(isScriptFreePublicPage(path), path).toBe(true);
    for (const path of ['/reports/a/b', '/stats/x', '/sign-in', '/partner', '/editor/reports/1', '/exports/reports.csv', '/feed.xml', '/reportsx', '//reports']) {
      expect(isScriptFreePublicPage(path), path).toBe(false);
    }
  });

  it('with the exports, the feed and public photos are the cacheable answers; internal photo ids are not', () => {
    for (const path of ['/', '/stats', '/feed.xml', '/exports/reports.csv', '/exports/reports.json', '/exports/reports.schema.json', '/exports/official-trade.csv', '/exports/official-trade.json', '/exports/official-trade.schema.json', '/photos/AAAAAAAAAAAAAAAA']) {
      expect(isCacheablePublicPath(path), path).toBe(true);
    }
    for (const path of ['/photos/12', '/photos/AAAAAAAAAAAAAAAA/x', '/editor/export', '/admin/audit/export', '/sign-in', '/exports/other.csv']) expect(isCacheablePublicPath(path), path).toBe(false);
  });

  it('carry a static policy with no script and the floor directives, no nonce', () => {
    const directives = new Map(PUBLIC_PAGE_CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(directives.get('script-src')).toBe("'none'");
    expect(directives.get('default-src')).toBe("'none'");
    expect(directives.get('object-src')).toBe("'none'");
    expect(directives.get('base-uri')).toBe("'none'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(directives.get('form-action')).toBe("'self'");
    expect(PUBLIC_PAGE_CSP).not.toMatch(/nonce|strict-dynamic|unsafe-eval/);
  });

  it('every page of the app (they run scripts) lies in an area with scripts; unknown paths and the public answers lie outside', () => {
    const pages = appPathsOf('page.tsx');
    expect(pages.length).toBeGreaterThan(20);
    for (const page of pages) expect(isOutsideScriptAreas(page), `${page} runs scripts: its first segment belongs in SCRIPT_AREA_SEGMENTS`).toBe(false);
    for (const path of ['/no-such-page', '/reports/a/b', '/stats/x', '/wp-login.php', '/', '/reports', '/stats', '/feed.xml', '/exports/reports.csv', '/photos/AAAAAAAAAAAAAAAA', '/welcome']) {
      expect(isOutsideScriptAreas(path), path).toBe(true);
    }
    // No entry names a segment the app has no route under (a stale entry would keep a nonce policy on unknown paths).
    const firstSegments = new Set([...pages, ...appPathsOf('route.ts')].map((p) => p.split('/')[1]));
    for (const segment of SCRIPT_AREA_SEGMENTS) if (segment !== '_next') expect(firstSegments.has(segment), segment).toBe(true);
  });
});
