/**
 * The reference nginx configuration (deploy/nginx/field-reports.conf) says what its README and
 * docs/architecture.md promise, and the bench runs that very file (bench/nginx.ts).
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isCacheablePublicPath } from '@/lib/http/public-pages';
import { REQUEST_LIMITS } from '@/lib/http/request-guard';
import { benchMainConfig, benchSiteConfig, NGINX_SITE_FILE } from './nginx';

const site = fs.readFileSync(NGINX_SITE_FILE, 'utf8');
const directives = (name: string) => [...site.matchAll(new RegExp(`^\\s*${name}\\s+([^;]+);`, 'gm'))].map((m) => m[1]!.trim());

/** The regular expression of the one cached location, as a JavaScript RegExp (same syntax here). */
function cachedLocation(): RegExp {
  const match = /location ~ "([^"]+)" \{/.exec(site);
  if (!match) throw new Error('no cached location');
  return new RegExp(match[1]!);
}

/** The session-cookie map's patterns, as JavaScript RegExps. */
function signedInPatterns(): RegExp[] {
  const map = /map \$http_cookie \$field_reports_signed_in \{([\s\S]*?)\n\}/.exec(site)?.[1] ?? '';
  return [...map.matchAll(/"~([^"]+)" 1;/g)].map((m) => new RegExp(m[1]!));
}

describe('deploy/nginx/field-reports.conf', () => {
  it('caches the public site and nothing else', () => {
    const cached = cachedLocation();
    for (const path of ['/', '/reports', '/reports/AAAAAAAAAAAAAAAA', '/stats', '/feed.xml', '/exports/reports.csv', '/exports/reports.json', '/exports/reports.schema.json', '/photos/AAAAAAAAAAAAAAAA']) {
      expect(cached.test(path), path).toBe(true);
    }
    for (const path of ['/partner', '/partner/reports/new', '/editor', '/editor/reports/1', '/admin', '/account/security', '/api/auth/session', '/sign-in', '/sign-out', '/invite/x', '/unseal', '/photos/12', '/welcome', '/reports/a/b']) {
      expect(cached.test(path), path).toBe(false);
    }
    // The same paths as the app answers for shared caches (lib/http/public-pages.ts).
    for (const path of ['/exports/official-trade.csv', '/exports/official-trade.json', '/exports/official-trade.schema.json', '/exports/other.csv', '/no-such-page', '/stats/x', '/feed.xml/x', '/photos/AAAA']) {
      expect(cached.test(path), path).toBe(isCacheablePublicPath(path));
    }
    // Only that location and the build's immutable files name the cache.
    expect(directives('proxy_cache')).toEqual(['field_reports', 'field_reports']);
  });

  it('never answers from the cache, nor stores, a request with a session cookie', () => {
    expect(directives('proxy_cache_bypass')).toEqual(['$field_reports_signed_in']);
    expect(directives('proxy_no_cache')).toEqual(['$field_reports_signed_in']);
    const signedIn = (cookie: string) => signedInPatterns().some((re) => re.test(cookie));
    for (const cookie of ['fr.session=abc', '__Secure-fr.session=abc', 'fr.locale=ko; fr.session=abc', 'a=1;fr.session=x', '__Secure-next-auth.callback-url=x', 'next-auth.csrf-token=x', '__Host-next-auth.csrf-token=x']) {
      expect(signedIn(cookie), cookie).toBe(true);
    }
    for (const cookie of ['', 'fr.locale=ko', 'xfr.session=abc', 'fr.sessionx=1']) expect(signedIn(cookie), cookie).toBe(false);
  });

  it('sets X-Forwarded-For to the client address alone, and limits bodies as the app does', () => {
    expect(site).toMatch(/proxy_set_header X-Forwarded-For \$remote_addr;/);
    expect(directives('client_max_body_size')).toEqual([`${REQUEST_LIMITS.bodyBytes / (1024 * 1024)}m`]);
  });

  it('locks filling an entry, serves stale only while updating (never on an error), revalidates', () => {
    expect(directives('proxy_cache_lock')).toEqual(['on']);
    expect(directives('proxy_cache_use_stale')).toEqual(['updating']);
    expect(directives('proxy_cache_revalidate')).toEqual(['on']);
    // How long is the app's to say (Cache-Control s-maxage): no proxy_cache_valid for the public site.
    expect(directives('proxy_cache_valid')).toEqual(['200 7d']);
  });
});

describe('benchSiteConfig', () => {
  it('runs the file with plain HTTP on loopback, its own cache directory and app port', () => {
    const bench = benchSiteConfig(site, { cacheDir: '/tmp/b/cache', appPort: 3150, listenPort: 3154 });
    expect(bench).toContain('proxy_cache_path /tmp/b/cache levels=');
    expect(bench).toContain('server 127.0.0.1:3150;');
    expect(bench).toContain('listen 127.0.0.1:3154;');
    expect(bench).not.toMatch(/ssl|listen 80|listen 443|return 301/);
    // Everything between the marked places is the repo's, unchanged.
    expect(bench).toContain(site.slice(site.indexOf('    client_max_body_size'), site.lastIndexOf('}')));
  });

  it('refuses a file whose marked places moved', () => {
    expect(() => benchSiteConfig(site.replace('# --- end TLS ---', ''), { cacheDir: '/c', appPort: 1, listenPort: 2 })).toThrow(/TLS block/);
    expect(() => benchSiteConfig(site.replace('server 127.0.0.1:3000;', 'server app:3000;'), { cacheDir: '/c', appPort: 1, listenPort: 2 })).toThrow(/server 127\.0\.0\.1:3000/);
  });

  it('keeps every path of the bench nginx in its own directory', () => {
    const main = benchMainConfig({ dir: '/tmp/b', siteFile: '/tmp/b/site.conf', runAsRoot: false });
    for (const line of main.split('\n').filter((l) => /_path|pid|error_log|include/.test(l))) expect(line, line).toContain('/tmp/b/');
    expect(main).not.toContain('user ');
  });
});
