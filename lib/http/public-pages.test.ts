import { describe, expect, it } from 'vitest';
import { isCacheablePublicPath, isScriptFreePublicPage, PUBLIC_PAGE_CSP } from './public-pages';

describe('script-free public pages', () => {
  it('are /, /reports, /reports/<id> and /stats only', () => {
    for (const path of ['/', '/reports', '/reports/AAAAAAAAAAAAAAAA', '/reports/anything', '/stats']) expect(isScriptFreePublicPage(path), path).toBe(true);
    for (const path of ['/reports/a/b', '/stats/x', '/sign-in', '/partner', '/editor/reports/1', '/exports/reports.csv', '/feed.xml', '/reportsx', '//reports']) {
      expect(isScriptFreePublicPage(path), path).toBe(false);
    }
  });

  it('with the exports, the feed and public photos are the cacheable answers; internal photo ids are not', () => {
    for (const path of ['/', '/stats', '/feed.xml', '/exports/reports.csv', '/exports/reports.json', '/exports/reports.schema.json', '/photos/AAAAAAAAAAAAAAAA']) {
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
});
