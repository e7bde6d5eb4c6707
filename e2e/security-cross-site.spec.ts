/**
 * Cross-site POSTs are refused before anything runs (docs/security/README.md "Mutating Route Handlers check
 * Origin / Sec-Fetch-Site themselves"; proxy.ts refuses every cross-site POST, Server Actions
 * included; issue 9). Every Server Action of the authorization manifest is posted by a caller who
 * may use it, but with the headers a foreign page's request carries: it must answer 403 and change
 * nothing — and the same call from our own origin then does make the change, so the refusal is
 * the headers' doing. Real cross-site forms in Chromium are refused too.
 */
import { test, expect } from './fixtures';
import { ACTIONS, seedWorld, type World } from './authz-manifest';
import {
  BASE_ORIGIN,
  BASE_URL,
  SAME_ORIGIN_HEADERS,
  actionIdOf,
  callAction,
  countRows,
  http,
  photoUploadBody,
  type Caller,
} from './security-kit';

let world: World;
let sessions: Record<Caller, string>;

test.beforeAll(async () => {
  ({ world, sessions } = await seedWorld());
});

/** Headers of requests that do not come from our pages. */
const FOREIGN_REQUESTS: { label: string; headers: Record<string, string> }[] = [
  { label: 'Sec-Fetch-Site: cross-site from a foreign origin', headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' } },
  { label: 'Sec-Fetch-Site: same-site (a sibling subdomain)', headers: { 'sec-fetch-site': 'same-site', origin: 'http://evil.localhost' } },
  { label: 'a foreign Origin without Sec-Fetch-Site', headers: { origin: 'https://evil.example' } },
  { label: 'a look-alike Origin', headers: { origin: `${BASE_ORIGIN}.evil.example` } },
  { label: 'Origin: null without Sec-Fetch-Site (sandboxed frame)', headers: { origin: 'null' } },
  { label: 'Sec-Fetch-Site: same-origin but a foreign Origin', headers: { 'sec-fetch-site': 'same-origin', origin: 'https://evil.example' } },
];

test.describe('cross-site requests are refused', () => {
  for (const [key, cases] of Object.entries(ACTIONS)) {
    test(`cross-site posts to ${key} change nothing`, async () => {
      if (!actionIdOf(key)) {
        test.info().annotations.push({ type: 'not reachable', description: `${key} is in no page's bundle` });
        return;
      }
      for (const c of cases) {
        const caller = (['partner', 'editor', 'admin', 'anonymous'] as const).find((r) => c.expect[r] === 'allowed');
        if (!caller) continue; // a case nobody may use proves nothing here (the matrix covers it)
        for (const foreign of FOREIGN_REQUESTS) {
          const call = await c.prepare(world, caller);
          const before = call.probe();
          const result = await callAction({ key, page: call.page, args: call.args, cookie: call.cookie ?? sessions[caller], headers: foreign.headers });
          const after = call.probe();
          call.cleanup?.();
          const what = `${caller} → ${key} (${c.label}) with ${foreign.label}`;
          expect(result.status, what).toBe(403);
          expect(after, `${what}: changed something`).toEqual(before);
        }
        // Control: the same call from our own origin is made.
        const call = await c.prepare(world, caller);
        const before = call.probe();
        const result = await callAction({ key, page: call.page, args: call.args, cookie: call.cookie ?? sessions[caller], headers: SAME_ORIGIN_HEADERS });
        const after = call.probe();
        call.cleanup?.();
        expect(after, `${caller} → ${key} (${c.label}) from our origin: HTTP ${result.status}`).not.toEqual(before);
      }
    });
  }

  test('mutating route handlers refuse cross-site posts', async () => {
    // Sign-out: the session must still work afterwards.
    for (const foreign of FOREIGN_REQUESTS) {
      const result = await http('/sign-out', { method: 'POST', cookie: sessions.partner, headers: foreign.headers });
      expect(result.status, `POST /sign-out with ${foreign.label}`).toBe(403);
      expect(result.headers.get('set-cookie') ?? '', 'no cookie is touched').toBe('');
    }
    expect((await http('/partner', { cookie: sessions.partner })).status, 'the session survived').toBe(200);

    // Photo upload: nothing stored.
    const before = countRows('photos', 'report_id = ?', world.own.draft.id);
    for (const foreign of FOREIGN_REQUESTS) {
      const result = await http(`/partner/reports/${world.own.draft.id}/photos/upload`, {
        method: 'POST',
        cookie: sessions.partner,
        headers: { ...foreign.headers, accept: 'application/json' },
        body: await photoUploadBody(),
      });
      expect(result.status, `photo upload with ${foreign.label}`).toBe(403);
    }
    expect(countRows('photos', 'report_id = ?', world.own.draft.id)).toBe(before);

    // next-auth's Credentials callback: no session from a foreign page.
    for (const foreign of FOREIGN_REQUESTS) {
      const result = await http('/api/auth/callback/credentials', {
        method: 'POST',
        headers: { ...foreign.headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ codeName: world.partner.codeName, password: world.partner.password }),
      });
      expect(result.status, `credentials callback with ${foreign.label}`).toBe(403);
      expect(result.headers.getSetCookie().some((c) => c.includes('fr.session=')), 'no session cookie').toBe(false);
    }
  });

  test('forms on a foreign page posted by the browser are refused', async ({ browser }) => {
    const context = await browser.newContext({ baseURL: BASE_URL });
    const [name, ...value] = sessions.partner.split('=');
    await context.addCookies([{ name: name!, value: value.join('='), url: BASE_URL, httpOnly: true, sameSite: 'Lax' }]);
    const page = await context.newPage();
    const replyId = actionIdOf('app/(partner)/partner/reports/actions.ts#postReportReply');
    const reportId = world.own.submitted.id;
    const evilPage = `<!doctype html><html><body>
      <form id="out" method="post" action="${BASE_URL}/sign-out"><button>out</button></form>
      <form id="reply" method="post" action="${BASE_URL}/partner/reports/${reportId}" enctype="multipart/form-data">
        <input type="hidden" name="$ACTION_ID_${replyId}" value="">
        <input type="hidden" name="reportId" value="${reportId}">
        <input type="hidden" name="body" value="written by a foreign page">
        <button>reply</button>
      </form></body></html>`;
    await page.route('http://evil.example/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: evilPage }));
    const messagesBefore = countRows('report_messages', 'report_id = ?', reportId);
    for (const form of ['out', 'reply']) {
      await page.goto('http://evil.example/attack');
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().startsWith(BASE_URL) && r.request().method() === 'POST'),
        page.locator(`#${form} button`).click(),
      ]);
      expect(response.status(), `the ${form} form from evil.example`).toBe(403);
      expect(response.request().headers()['origin'] ?? '', 'the browser named the foreign origin').toBe('http://evil.example');
    }
    expect(countRows('report_messages', 'report_id = ?', reportId)).toBe(messagesBefore);
    expect((await http('/partner', { cookie: sessions.partner })).status, 'still signed in').toBe(200);
    await context.close();
  });
});
