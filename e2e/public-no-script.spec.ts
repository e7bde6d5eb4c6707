/**
 * The public site without scripts and cacheable (issue 20 items 1–2; docs/decisions/0014-script-free-public-pages.md).
 *
 * - Every public page shows its content with scripts disabled and loads no script at all: no
 *   <script> element of any kind (not even a JSON block) and no script request — counted, so a
 *   page that gains a script fails here. With scripts enabled, nothing breaks the static policy.
 * - Headers per route, by plain requests: public caching (`s-maxage`), a strong ETag and
 *   Last-Modified answered with 304, a static policy equal across requests; `private, no-store`
 *   for a request with a session cookie and for signed-in pages.
 * The validators changing with a publish and a retraction are checked where the report is
 * published and retracted (e2e/public-reports.spec.ts).
 */
import type { APIRequestContext } from '@playwright/test';
import demoReports from '../db/seed-data/demo-reports.json';
import { DEMO_PASSWORDS, expect, openTestDb, test } from './fixtures';
import { signInCookie } from './security-kit';

const PUBLIC_CACHE = 'public, max-age=0, s-maxage=50, must-revalidate';

/** A published report's id, from the list (the demo seeds publish some). */
async function publishedId(request: APIRequestContext): Promise<string> {
  const html = await (await request.get('/reports')).text();
  const id = /href="\/reports\/([A-Za-z0-9_-]{16})"/.exec(html)?.[1];
  if (!id) throw new Error('no published report on /reports');
  return id;
}

/** Each public page, what it must show, and its status. */
function publicPages(id: string): { path: string; heading: RegExp; status: number }[] {
  return [
    { path: '/', heading: /^Field Reports$/, status: 200 },
    { path: '/reports', heading: /^Published reports$/, status: 200 },
    { path: '/reports?vehicle=truck', heading: /^Published reports$/, status: 200 },
    { path: `/reports/${id}`, heading: /./, status: 200 },
    { path: '/stats', heading: /^Statistics/, status: 200 },
    { path: '/reports?lang=ko', heading: /^게시된 보고$/, status: 200 },
    { path: '/reports/no-such-report', heading: /^Not found$/, status: 404 },
    // Paths the app does not know: the same script-free not-found page (app/(public)/[...unknown]/route.ts).
    { path: '/no-such-page', heading: /^Not found$/, status: 404 },
    { path: '/reports/a/b?lang=ko', heading: /./, status: 404 },
  ];
}

test('every public page shows its content with scripts disabled and loads no script, with or without them', async ({ browser, request }) => {
  const id = await publishedId(request);
  for (const javaScriptEnabled of [false, true]) {
    const context = await browser.newContext({ javaScriptEnabled });
    // Recorded before any of the page's own code (init scripts are not subject to its policy).
    await context.addInitScript(() => {
      const seen: string[] = [];
      Object.defineProperty(window, '__cspViolations', { value: seen });
      document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
    });
    const page = await context.newPage();
    const scriptRequests: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scriptRequests.push(r.url());
    });
    try {
      for (const { path, heading, status } of publicPages(id)) {
        const response = await page.goto(path);
        const what = `${path} (scripts ${javaScriptEnabled ? 'on' : 'off'})`;
        expect(response?.status(), what).toBe(status);
        await expect(page.getByRole('heading', { level: 1, name: heading }), what).toBeVisible();
        expect(await page.locator('script').count(), `${what}: script elements`).toBe(0);
        await expect(page.getByRole('navigation', { name: /Language|언어/ }).getByRole('link'), what).toHaveCount(1);
        if (javaScriptEnabled) {
          expect(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations), `${what}: policy violations`).toEqual([]);
        }
      }
      expect(scriptRequests, `script requests with scripts ${javaScriptEnabled ? 'on' : 'off'}`).toEqual([]);
    } finally {
      await context.close();
    }
  }
});

test("the demo publication keeps its partner's safety note: the province, never the stretch of river", async ({ request }) => {
  // Demo report 1's partner asked: "Publish the province only, never the stretch of river." Its own
  // title ("… cross the upper Amrok overnight") beside the province would name that stretch.
  const db = openTestDb();
  let id: string | undefined;
  try {
    const row = db
      .prepare('SELECT p.public_id AS publicId FROM publications p JOIN reports r ON r.id = p.report_id WHERE r.client_id = ?')
      .get(demoReports.reports[0]!.client_id) as { publicId: string } | undefined;
    id = row?.publicId;
  } finally {
    db.close();
  }
  expect(id, 'demo report 1 is published').toBeTruthy();
  const page = await (await request.get(`/reports/${id}`)).text();
  expect(page).toContain('Yanggang Province');
  // The report's own words (the map beneath labels the whole river, as on every page).
  const words = [/<title>[^<]*<\/title>/, /<meta name="description" content="[^"]*"/, /<h1[^>]*>[\s\S]*?<\/h1>/, /<article[\s\S]*?<section/].map((re) => re.exec(page)?.[0] ?? '').join('\n');
  expect(words).toContain('Buses and trucks from China cross into Yanggang Province overnight');
  for (const stretch of ['Amrok', 'upper reaches', '압록']) expect(words, stretch).not.toContain(stretch);
});

test('the report list filters and pages with a plain form and links, and keeps the language', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await page.goto('/reports?lang=ko');
    await page.getByLabel('차량 종류').selectOption('truck');
    await page.getByRole('button', { name: '필터 적용' }).click();
    await expect(page).toHaveURL(/\/reports\?lang=ko&place=&vehicle=truck/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
    await page.getByRole('navigation', { name: '언어' }).getByRole('link', { name: 'English' }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page).toHaveURL(/vehicle=truck/);
    await expect(page.getByLabel('Vehicle type')).toHaveValue('truck');
  } finally {
    await context.close();
  }
});

test('public answers are cacheable with strong validators and 304s; session-cookie and signed-in answers are private', async ({ request }) => {
  const id = await publishedId(request);
  const paths = ['/', '/reports', '/reports?lang=ko', `/reports/${id}`, '/stats', '/exports/reports.json', '/exports/reports.csv', '/exports/reports.schema.json', '/exports/official-trade.csv', '/exports/official-trade.json', '/exports/official-trade.schema.json', '/feed.xml', '/feed.xml?lang=ko'];
  for (const path of paths) {
    const first = await request.get(path);
    const second = await request.get(path);
    expect(first.status(), path).toBe(200);
    const headers = first.headers();
    expect(headers['cache-control'], path).toBe(PUBLIC_CACHE);
    expect(headers.etag, path).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    expect(second.headers().etag, `${path}: the same bytes, the same tag`).toBe(headers.etag);
    expect(Date.parse(headers['last-modified'] ?? ''), path).not.toBeNaN();
    expect(headers['content-security-policy'], path).toBe(second.headers()['content-security-policy']);
    const notModified = await request.get(path, { headers: { 'if-none-match': headers.etag! } });
    expect(notModified.status(), `${path} If-None-Match`).toBe(304);
    expect((await notModified.body()).length, `${path}: 304 has no body`).toBe(0);
    expect((await request.get(path, { headers: { 'if-modified-since': headers['last-modified']! } })).status(), `${path} If-Modified-Since`).toBe(304);
    expect((await request.get(path, { headers: { 'if-none-match': '"stale"' } })).status(), `${path} stale tag`).toBe(200);
  }
  // An unknown report or path: 404, never stored, the same static policy.
  for (const path of ['/reports/no-such-report', '/no-such-page']) {
    const missing = await request.get(path);
    expect(missing.status(), path).toBe(404);
    expect(missing.headers()['cache-control'], path).toBe('no-store');
    expect(missing.headers()['content-security-policy'], `${path}: the static policy`).toBe((await request.get('/stats')).headers()['content-security-policy']);
  }
  // Any method: still the not-found page, not a 405 or Next's page.
  expect((await request.post('/no-such-page', { form: { a: '1' } })).status()).toBe(404);

  // A request with a session cookie: the same public page, never for a shared cache; signed-in pages too.
  const cookie = await signInCookie('partner-k17', DEMO_PASSWORDS['partner-k17']);
  for (const path of ['/', `/reports/${id}`, '/stats', '/exports/reports.json', '/partner', '/account/security']) {
    const response = await request.get(path, { headers: { cookie }, maxRedirects: 0 });
    expect(response.status(), path).toBe(200);
    expect(response.headers()['cache-control'], `${path} with a session cookie`).toBe('private, no-store');
  }
});
