/**
 * Security headers on every response, and every page running under its CSP with no violation
 * (docs/security/README.md "Input and output"; issue 9). The pages and routes are the authorization matrix's
 * (e2e/authz-manifest.ts), so a new route is checked here as soon as it is listed there.
 *
 * Every response: a CSP with `object-src 'none'`, `base-uri 'none'` and `frame-ancestors 'none'`,
 * `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`, a Permissions-Policy that
 * allows nothing. HTML pages: a nonce-based `script-src` (fresh nonce per response, on every
 * script tag, no 'unsafe-inline'/'unsafe-eval'). Signed-in pages: `Cache-Control: no-store`. The
 * script-free public pages (/, /reports, /reports/<id>, /stats; issue 20) instead carry one static
 * policy with `script-src 'none'` and no nonce, the same on every response, and no script at all
 * (docs/decisions/0014-script-free-public-pages.md).
 */
import { test, expect } from './fixtures';
import { PAGES, ROUTES, seedWorld, type World } from './authz-manifest';
import { BASE_URL, CALLERS, SAME_ORIGIN_HEADERS, callAction, form, http, type Caller, type HttpResult } from './security-kit';

let world: World;
let sessions: Record<Caller, string>;

test.beforeAll(async () => {
  ({ world, sessions } = await seedWorld());
});

/** The policies of a response (several CSP headers arrive joined by ', '), each as directive → sources. */
function policies(result: HttpResult): Map<string, string[]>[] {
  const raw = result.headers.get('content-security-policy') ?? '';
  return raw
    .split(',')
    .map((policy) =>
      new Map(
        policy
          .split(';')
          .map((d) => d.trim().split(/\s+/))
          .filter((parts) => parts[0])
          .map((parts) => [parts[0]!.toLowerCase(), parts.slice(1)] as [string, string[]]),
      ),
    )
    .filter((p) => p.size > 0);
}

function hasDirective(list: Map<string, string[]>[], name: string, value: string): boolean {
  return list.some((p) => p.get(name)?.length === 1 && p.get(name)![0] === value);
}

/** The nonce of the page's script-src, or null. */
function scriptNonce(result: HttpResult): string | null {
  for (const p of policies(result)) {
    const nonce = p.get('script-src')?.find((s) => s.startsWith("'nonce-"));
    if (nonce) return nonce.slice("'nonce-".length, -1);
  }
  return null;
}

function assertSecurityHeaders(result: HttpResult, what: string, { html, signedIn }: { html: boolean; signedIn: boolean }) {
  const csp = policies(result);
  expect(csp.length, `${what}: Content-Security-Policy`).toBeGreaterThan(0);
  expect(hasDirective(csp, 'object-src', "'none'"), `${what}: object-src 'none'`).toBe(true);
  expect(hasDirective(csp, 'base-uri', "'none'"), `${what}: base-uri 'none'`).toBe(true);
  expect(hasDirective(csp, 'frame-ancestors', "'none'"), `${what}: frame-ancestors 'none'`).toBe(true);
  expect(result.headers.get('x-content-type-options'), `${what}: nosniff`).toBe('nosniff');
  expect(result.headers.get('referrer-policy'), `${what}: Referrer-Policy`).toBe('no-referrer');
  const permissions = (result.headers.get('permissions-policy') ?? '').split(',').map((d) => d.trim());
  for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb', 'display-capture']) {
    expect(permissions, `${what}: Permissions-Policy denies ${feature}`).toContain(`${feature}=()`);
  }
  expect(permissions.every((d) => /^[a-z-]+=\(\)$/.test(d)), `${what}: every Permissions-Policy directive allows nothing: ${permissions.join(', ')}`).toBe(true);

  if (html) {
    const nonce = scriptNonce(result);
    expect(nonce, `${what}: script-src has a nonce`).toMatch(/^[A-Za-z0-9+/=_-]{16,}$/);
    for (const p of csp.filter((x) => x.has('script-src'))) {
      const sources = p.get('script-src')!;
      expect(sources, `${what}: script-src`).toContain("'strict-dynamic'");
      expect(sources, `${what}: script-src`).not.toContain("'unsafe-inline'");
      expect(sources, `${what}: script-src`).not.toContain("'unsafe-eval'");
      expect(sources.some((s) => /^(https?:|\*|data:)/.test(s)), `${what}: no host or scheme sources in script-src`).toBe(false);
    }
    // Every script tag the server wrote carries this response's nonce.
    const tags = [...result.text.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(tags.length, `${what}: the page has scripts`).toBeGreaterThan(0);
    for (const tag of tags) expect(tag, `${what}: script tag without the nonce`).toContain(`nonce="${nonce}"`);
  }
  if (signedIn && html) {
    expect(result.headers.get('cache-control') ?? '', `${what}: signed-in page Cache-Control`).toContain('no-store');
  }
}

function isHtml(result: HttpResult): boolean {
  return (result.headers.get('content-type') ?? '').startsWith('text/html') && result.text.length > 0;
}

test.describe('security headers', () => {
  test('every page, for every caller, carries the security headers', async () => {
    let checked = 0;
    for (const [pattern, cases] of Object.entries(PAGES)) {
      for (const c of cases) {
        for (const caller of CALLERS) {
          const path = c.path(world);
          const result = await http(path, { cookie: sessions[caller] });
          assertSecurityHeaders(result, `${caller} GET ${path} (${pattern}) HTTP ${result.status}`, { html: isHtml(result), signedIn: caller !== 'anonymous' });
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  test('every route handler answer carries them too', async () => {
    for (const [key, cases] of Object.entries(ROUTES)) {
      const method = key.split(' ')[0]!;
      for (const c of cases) {
        for (const caller of CALLERS) {
          if (c.freshSession && caller !== 'anonymous') continue; // sign-out: checked anonymously
          const path = c.path(world);
          const result = await http(path, {
            method,
            cookie: sessions[caller],
            headers: { ...(method === 'GET' ? {} : SAME_ORIGIN_HEADERS), ...c.headers },
            body: await c.body?.(),
          });
          assertSecurityHeaders(result, `${caller} ${method} ${path} HTTP ${result.status}`, { html: false, signedIn: false });
        }
      }
    }
  });

  test('the script-free public pages carry one static policy with no script and no nonce', async () => {
    for (const path of ['/', '/reports', `/reports/${world.publicId}`, '/stats', '/reports?lang=ko', '/reports/no-such-report', '/no-such-page']) {
      const [first, second] = [await http(path), await http(path)];
      const csp = policies(first);
      expect(first.headers.get('content-security-policy'), `${path}: the same policy on every response`).toBe(second.headers.get('content-security-policy'));
      expect(hasDirective(csp, 'script-src', "'none'"), `${path}: script-src 'none'`).toBe(true);
      expect(scriptNonce(first), `${path}: no nonce`).toBeNull();
      expect(first.text, `${path}: no script element`).not.toMatch(/<script\b/i);
      for (const directive of ['object-src', 'base-uri', 'frame-ancestors']) expect(hasDirective(csp, directive, "'none'"), `${path}: ${directive}`).toBe(true);
      expect(hasDirective(csp, 'form-action', "'self'"), `${path}: form-action 'self'`).toBe(true);
    }
  });

  test('static files, the 404 page, refusals and Server Action answers carry them too', async () => {
    // The sign-in page runs the app's scripts (the public pages link none).
    const home = await http('/sign-in');
    const assets = [...new Set([...home.text.matchAll(/(?:src|href)="(\/_next\/static\/[^"]+)"/g)].map((m) => m[1]!))];
    expect(assets.length, 'the sign-in page links static files').toBeGreaterThan(0);
    for (const asset of assets) {
      const result = await http(asset);
      expect(result.status, asset).toBe(200);
      assertSecurityHeaders(result, `static ${asset}`, { html: false, signedIn: false });
    }
    // The not-found page of an unknown path is script-free (checked with the public pages above).
    const missing = await http('/no-such-page');
    expect(missing.status).toBe(404);
    assertSecurityHeaders(missing, 'the 404 page', { html: false, signedIn: false });
    // Inside a signed-in area, a page's own 404 (notFound()) still runs the app's scripts under the nonce policy.
    const missingInArea = await http('/editor/reports/999999999', { cookie: sessions.editor });
    expect(missingInArea.status).toBe(404);
    assertSecurityHeaders(missingInArea, "a signed-in page's 404", { html: true, signedIn: true });
    const missingStatic = await http('/_next/static/no-such-file.js');
    assertSecurityHeaders(missingStatic, 'a missing static file', { html: false, signedIn: false });
    const crossSite = await http('/sign-out', { method: 'POST', headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' } });
    expect(crossSite.status).toBe(403);
    assertSecurityHeaders(crossSite, "proxy.ts's cross-site refusal", { html: false, signedIn: false });
    const action = await callAction({ key: 'app/actions.ts#changeLocale', page: '/sign-in', args: [form({ locale: 'en', returnTo: '/' })] });
    assertSecurityHeaders(action, 'a Server Action answer', { html: false, signedIn: false });
    const refused = await callAction({
      key: 'app/(editor)/editor/actions.ts#bulkSelectedAction',
      page: '/editor',
      cookie: sessions.partner,
      args: [{ ok: true, values: {}, attempt: 0 }, form({ reports: ['1:1'], action: 'claim' })],
    });
    expect(refused.status).toBe(403);
    assertSecurityHeaders(refused, 'a refused Server Action (403)', { html: false, signedIn: false });
  });

  test('each HTML response gets a fresh nonce', async () => {
    const nonces = new Set<string | null>();
    for (let i = 0; i < 3; i += 1) nonces.add(scriptNonce(await http('/sign-in')));
    expect(nonces.size).toBe(3);
    expect(nonces.has(null)).toBe(false);
  });
});

test.describe('pages run under the CSP', () => {
  for (const caller of CALLERS) {
    test(`no CSP violation on any page, signed in as ${caller}, scripts on`, async ({ browser }) => {
      test.setTimeout(240_000);
      const context = await browser.newContext({ baseURL: BASE_URL, javaScriptEnabled: true });
      if (sessions[caller]) {
        const [name, ...value] = sessions[caller].split('=');
        await context.addCookies([{ name: name!, value: value.join('='), url: BASE_URL, httpOnly: true, sameSite: 'Lax' }]);
      }
      // Recorded from the first script of every document (Playwright's init scripts are not
      // subject to the page's CSP).
      await context.addInitScript(() => {
        const seen: string[] = [];
        Object.defineProperty(window, '__cspViolations', { value: seen });
        document.addEventListener('securitypolicyviolation', (event) => {
          seen.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`);
        });
      });
      const page = await context.newPage();
      const consoleCsp: string[] = [];
      const otherErrors: string[] = [];
      page.on('console', (message) => {
        const text = message.text();
        if (/Content[- ]Security[- ]Policy|Refused to (load|execute|apply|connect|frame)/i.test(text)) consoleCsp.push(`${page.url()}: ${text}`);
        else if (message.type() === 'error') otherErrors.push(`${page.url()}: ${text}`);
      });
      page.on('pageerror', (error) => otherErrors.push(`${page.url()}: ${error.message}`));

      let visited = 0;
      const violations: string[] = [];
      for (const [pattern, cases] of Object.entries(PAGES)) {
        for (const c of cases) {
          const path = c.path(world);
          await page.goto(path, { waitUntil: 'load' });
          await page.waitForLoadState('networkidle');
          const seen = await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
          violations.push(...seen.map((v) => `${path} (${pattern}, landed on ${new URL(page.url()).pathname}): ${v}`));
          // Scripts really ran under the policy: Next.js's client runtime booted.
          expect(await page.evaluate(() => 'next' in window), `${caller} ${path}: the page's scripts ran`).toBe(true);
          visited += 1;
        }
      }
      expect(violations, `${caller}: securitypolicyviolation events`).toEqual([]);
      expect(consoleCsp, `${caller}: CSP messages in the console`).toEqual([]);
      if (otherErrors.length) test.info().annotations.push({ type: 'console errors (not CSP)', description: otherErrors.join('\n') });
      expect(visited).toBeGreaterThan(20);
      await context.close();
    });
  }
});
