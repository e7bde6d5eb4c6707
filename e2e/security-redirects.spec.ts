/**
 * Every redirect stays on our origin (docs/security/README.md: "`callbackUrl` stays on our origin"; issue 9).
 * Each place that takes a redirect target from the request — the sign-in page's and sign-in form's
 * callbackUrl, the language switch's returnTo, next-auth's own endpoints, proxy.ts's sign-in
 * redirect — is fed protocol-relative, absolute, backslash, dot-segment and percent-encoded
 * targets, and every answer must point at a path of ours.
 */
import { test, expect, createTestAccount, DEMO_PASSWORDS } from './fixtures';
import { BASE_ORIGIN, SAME_ORIGIN_HEADERS, callAction, form, http, signInCookie, staysOnOrigin } from './security-kit';

/** Targets that must never take anyone off our origin (raw values, as a form or query would carry them). */
const HOSTILE_TARGETS = [
  '//evil.example',
  '//evil.example/partner',
  '///evil.example',
  'https://evil.example',
  'http://evil.example/partner',
  'https:evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  '/\\/evil.example',
  '/%5Cevil.example',
  '/%2F%2Fevil.example',
  '%2F%2Fevil.example',
  '/.//evil.example',
  '/..//evil.example',
  '/partner/..//evil.example',
  '/%2e//evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  ' //evil.example',
  `${BASE_ORIGIN}@evil.example`,
  '//localhost@evil.example',
  'javascript:alert(document.domain)',
  'data:text/html,<script>alert(1)</script>',
];

function assertOnOrigin(target: string | null, what: string) {
  expect(staysOnOrigin(target), `${what} → ${JSON.stringify(target)}`).toBe(true);
  if (target !== null) {
    // A Location that starts with '//' or '/\' is read by browsers as another host.
    expect(target.replace(BASE_ORIGIN, ''), `${what} → ${JSON.stringify(target)}`).not.toMatch(/^(\/\/|\/\\|\\)/);
  }
}

test.describe('redirects stay on our origin', () => {
  test('the sign-in page sends a signed-in visitor only to our own paths', async () => {
    const account = await createTestAccount('partner', 'redirect-page');
    const cookie = await signInCookie(account.codeName, account.password);
    for (const target of HOSTILE_TARGETS) {
      for (const query of [`callbackUrl=${encodeURIComponent(target)}`, `callbackUrl=${target.replace(/[\t\n #&]/g, encodeURIComponent)}`]) {
        const result = await http(`/sign-in?${query}`, { cookie });
        expect(result.status, `/sign-in?${query}`).toBeGreaterThanOrEqual(300);
        assertOnOrigin(result.location, `/sign-in?${query}`);
      }
    }
  });

  test('the sign-in form returns to callbackUrl only when it is a path of ours', async () => {
    const account = await createTestAccount('partner', 'redirect-form');
    for (const target of [...HOSTILE_TARGETS, '/partner/reports/new']) {
      const result = await callAction({
        key: 'app/(auth)/sign-in/actions.ts#signInAction',
        page: '/sign-in',
        args: [{ ok: false, values: { codeName: '' } }, form({ codeName: account.codeName, password: account.password, callbackUrl: target })],
      });
      expect(result.actionRedirect, `sign-in with callbackUrl ${JSON.stringify(target)}`).not.toBeNull();
      assertOnOrigin(result.actionRedirect, `sign-in with callbackUrl ${JSON.stringify(target)}`);
    }
    // …and a path of ours is honoured, so the check is not simply "always go home".
    const ok = await callAction({
      key: 'app/(auth)/sign-in/actions.ts#signInAction',
      page: '/sign-in',
      args: [{ ok: false, values: { codeName: '' } }, form({ codeName: account.codeName, password: account.password, callbackUrl: '/partner/reports/new' })],
    });
    expect(ok.actionRedirect).toBe('/partner/reports/new');
  });

  test("the language switch's returnTo stays on our origin", async () => {
    for (const target of HOSTILE_TARGETS) {
      const result = await callAction({ key: 'app/actions.ts#changeLocale', page: '/sign-in', args: [form({ locale: 'en', returnTo: target })] });
      expect(result.status, `returnTo ${JSON.stringify(target)}`).toBeLessThan(500);
      assertOnOrigin(result.actionRedirect, `language switch with returnTo ${JSON.stringify(target)}`);
    }
    const ok = await callAction({ key: 'app/actions.ts#changeLocale', page: '/sign-in', args: [form({ locale: 'en', returnTo: '/stats' })] });
    expect(ok.actionRedirect).toBe('/stats');
  });

  test("next-auth's endpoints redirect only to our origin", async () => {
    const account = await createTestAccount('partner', 'redirect-nextauth');
    for (const target of HOSTILE_TARGETS) {
      const signin = await http(`/api/auth/signin?callbackUrl=${encodeURIComponent(target)}`);
      assertOnOrigin(signin.location, `GET /api/auth/signin?callbackUrl=${target}`);

      // The Credentials callback with a valid CSRF token and the right password.
      const csrf = await http('/api/auth/csrf');
      const csrfCookie = csrf.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      const { csrfToken } = JSON.parse(csrf.text) as { csrfToken: string };
      const result = await http('/api/auth/callback/credentials', {
        method: 'POST',
        cookie: csrfCookie,
        headers: { ...SAME_ORIGIN_HEADERS, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrfToken, codeName: account.codeName, password: account.password, callbackUrl: target }),
      });
      expect(result.status, `credentials callback with ${target}`).toBeLessThan(500);
      assertOnOrigin(result.location, `POST /api/auth/callback/credentials callbackUrl=${JSON.stringify(target)}`);
    }
  });

  test('anonymous visitors sent to sign-in come back only to the page they asked for', async () => {
    for (const asked of ['/partner//evil.example', '/partner/.//evil.example', '/editor/%2F%2Fevil.example', '/admin/..//evil.example']) {
      const first = await http(asked);
      assertOnOrigin(first.location, `GET ${asked}`);
      const callbackUrl = first.location ? new URL(first.location, BASE_ORIGIN).searchParams.get('callbackUrl') : null;
      if (!callbackUrl) continue;
      const back = await callAction({
        key: 'app/(auth)/sign-in/actions.ts#signInAction',
        page: '/sign-in',
        args: [{ ok: false, values: { codeName: '' } }, form({ codeName: 'editor', password: DEMO_PASSWORDS.editor, callbackUrl })],
      });
      assertOnOrigin(back.actionRedirect, `sign-in after ${asked}`);
    }
  });

  test('in the browser, a hostile callbackUrl never leaves the site', async ({ page }) => {
    const account = await createTestAccount('partner', 'redirect-browser');
    const leftTo: string[] = [];
    await page.route((url) => url.hostname.endsWith('evil.example'), async (route) => {
      leftTo.push(route.request().url());
      await route.fulfill({ status: 200, body: 'evil' });
    });
    await page.goto(`/sign-in?callbackUrl=${encodeURIComponent('/.//evil.example/x')}`);
    await page.getByLabel('Code name').fill(account.codeName);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/partner$/);
    expect(new URL(page.url()).origin).toBe(BASE_ORIGIN);
    await page.goto(`/sign-in?callbackUrl=${encodeURIComponent('//evil.example/x')}`);
    await expect(page).toHaveURL(/\/partner$/);
    expect(leftTo).toEqual([]);
  });
});
