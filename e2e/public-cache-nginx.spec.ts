/**
 * The public site through the reference cache (issue 20 items 2–3): Debian's nginx runs
 * deploy/nginx/field-reports.conf (as `npm run bench` does, bench/nginx.ts: the same file, plain
 * HTTP on loopback instead of TLS) in front of the test server.
 *
 * - A published report's page is served from the cache (`X-Cache-Status: HIT`); after an editor
 *   retracts it in the editors' UI, the cache serves the retraction notice within the promised
 *   60 seconds (docs/architecture.md "The public site in caches"), with no purge.
 * - A request with a session cookie is never answered from the cache nor stored in it, and a
 *   signed-in page through nginx stays `private, no-store`.
 *
 * nginx: .ci/run installs it (apt-get install nginx) beside Chromium; bench/nginx.ts installs it
 * when missing and the tests run as root.
 */
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { startNginx, type BenchNginx } from '../bench/nginx';
import { freePort } from '../lib/testing/net';
import { DEMO_PASSWORDS, expect, test } from './fixtures';
import { publishThroughEditorUi, retractThroughEditorUi, seedDemoReportCopy } from './publishing-helpers';
import { BASE_URL, signInCookie } from './security-kit';

test.describe.configure({ mode: 'serial' });

/** What a retracted report's page says (lib/i18n/messages/en/public.json "retracted.title"). */
const RETRACTION_HEADING = '<h1>Retracted report</h1>';
/** The promise to readers (issue 20 item 2): a retraction reaches every cache within 60 s. */
const RETRACTION_PROMISE_SECONDS = 60;

let nginx: BenchNginx;
let dir: string;

/** GET `pathname` through nginx: status, cache status, Cache-Control and body. */
async function throughCache(pathname: string, headers: Record<string, string> = {}) {
  const response = await fetch(nginx.origin + pathname, { headers, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
  return { status: response.status, cache: response.headers.get('x-cache-status'), cacheControl: response.headers.get('cache-control'), text: await response.text() };
}

test.beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-e2e-nginx-'));
  nginx = await startNginx({ dir, appPort: Number(new URL(BASE_URL).port), listenPort: await freePort(), log: () => undefined });
});

test.afterAll(async () => {
  await nginx?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a retraction is served by the cache within 60 seconds, without a purge', async ({ browser }) => {
  test.setTimeout(180_000);
  const seeded = seedDemoReportCopy();
  const publicId = await publishThroughEditorUi(browser, seeded.reportId);
  const reportPath = `/reports/${publicId}`;

  // Filled, then answered from the cache.
  const first = await throughCache(reportPath);
  expect(first.status).toBe(200);
  expect(first.text).toContain(seeded.title);
  const cached = await throughCache(reportPath);
  expect(cached.cache, 'the second read is a cache hit').toBe('HIT');
  expect(cached.cacheControl).toBe('public, max-age=0, s-maxage=50, must-revalidate');

  const retractionStarted = Date.now();
  await retractThroughEditorUi(browser, seeded.reportId, 'Withdrawn while the count is checked again.');
  // The app itself shows the notice at once; the cache may still hold the published page.
  expect(await (await fetch(BASE_URL + reportPath)).text()).toContain(RETRACTION_HEADING);

  let served: Awaited<ReturnType<typeof throughCache>> | null = null;
  await expect
    .poll(
      async () => {
        served = await throughCache(reportPath);
        return served.text.includes(RETRACTION_HEADING);
      },
      { timeout: (RETRACTION_PROMISE_SECONDS + 5) * 1000, intervals: [250] },
    )
    .toBe(true);
  const seconds = (Date.now() - retractionStarted) / 1000;
  expect(seconds, `the cache served the notice ${seconds.toFixed(1)} s after the retraction began`).toBeLessThanOrEqual(RETRACTION_PROMISE_SECONDS);
  expect(served!.text, 'the notice, not the report').not.toContain(seeded.title);
});

test('requests with a session cookie are never answered from the cache nor stored in it', async () => {
  // A public page in the cache …
  await throughCache('/stats');
  expect((await throughCache('/stats')).cache).toBe('HIT');
  // … is not what a signed-in reader gets: the app answers, privately, and nothing is stored.
  const cookie = await signInCookie('partner-k17', DEMO_PASSWORDS['partner-k17']);
  const stats = await throughCache('/stats', { cookie });
  expect(stats.status).toBe(200);
  expect(stats.cache, 'a public page with a session cookie skips the cache').toBe('BYPASS');
  expect(stats.cacheControl).toBe('private, no-store');
  // A signed-in page is outside the cached location altogether (no cache status at all).
  const partner = await throughCache('/partner', { cookie });
  expect(partner.status).toBe(200);
  expect(partner.text).toContain('partner-k17');
  expect(partner.cache).toBeNull();
  expect(partner.cacheControl).toBe('private, no-store');
  // The signed-in answer of /partner was not stored for the next (anonymous) caller.
  const anonymous = await throughCache('/partner');
  expect(anonymous.status, 'anonymous /partner goes to sign-in').toBe(303);
  expect(anonymous.cache).not.toBe('HIT');
});
