/**
 * Accounts and sessions, end to end (docs/security/README.md "Accounts and sessions"; issue 9): passwords set
 * through the app are Argon2id with at least 19 MiB and 2 iterations, long passwords work and are
 * never truncated, unknown code names and wrong passwords get the same answer, the session cookie
 * is HttpOnly and SameSite=Lax with a lifetime of hours, and a token is worth nothing once the
 * account's session_version, role or status changes.
 */
import crypto from 'node:crypto';
import nodeHttp from 'node:http';
import { test, expect, createTestAccount, totpCode } from './fixtures';
import { BASE_URL, callAction, form, http, SAME_ORIGIN_HEADERS, signInCookie, withDb } from './security-kit';

const SIGN_IN = 'app/(auth)/sign-in/actions.ts#signInAction';

async function signInAttempt(codeName: string, password: string, ip: string) {
  return callAction({
    key: SIGN_IN,
    page: '/sign-in',
    args: [{ ok: false, values: { codeName: '' } }, form({ codeName, password })],
    headers: { origin: new URL(process.env.E2E_BASE_URL ?? 'http://localhost:3100').origin, 'sec-fetch-site': 'same-origin', 'x-forwarded-for': ip },
  });
}

test.describe('accounts and sessions', () => {
  test('a password set through a one-time link is an Argon2id hash (≥ 19 MiB, ≥ 2 passes), and 200 characters are never truncated', async () => {
    const account = withDb(
      (db) => db.prepare("INSERT INTO accounts (code_name, role) VALUES (?, 'partner') RETURNING id, code_name AS codeName").get(`long-pw-${crypto.randomBytes(3).toString('hex')}`) as { id: number; codeName: string },
    );
    const token = crypto.randomBytes(32).toString('base64url');
    withDb((db) =>
      db
        .prepare("INSERT INTO invitations (account_id, token_hash, purpose, expires_at) VALUES (?, ?, 'invite', ?)")
        .run(account.id, crypto.createHash('sha256').update(token).digest('hex'), Date.now() + 3600_000),
    );
    const password = `${'correct horse battery staple '.repeat(7)}${crypto.randomBytes(4).toString('hex')}`.slice(0, 200);
    expect(password).toHaveLength(200);
    const set = await callAction({ key: 'app/(auth)/invite/[token]/actions.ts#setPasswordAction', page: `/invite/${token}`, args: [{ ok: false }, form({ token, password, confirmPassword: password })] });
    expect(set.actionRedirect, JSON.stringify(set.value)).toBe('/sign-in?passwordSet=1');

    const hash = withDb((db) => (db.prepare('SELECT password_hash AS h FROM accounts WHERE id = ?').get(account.id) as { h: string }).h);
    const params = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(hash);
    expect(params, hash.slice(0, 40)).not.toBeNull();
    expect(Number(params![1]), 'memory (KiB)').toBeGreaterThanOrEqual(19 * 1024);
    expect(Number(params![2]), 'passes').toBeGreaterThanOrEqual(2);
    // The link is one-time.
    const again = await callAction({ key: 'app/(auth)/invite/[token]/actions.ts#setPasswordAction', page: `/invite/${token}`, args: [{ ok: false }, form({ token, password: `${password}x`, confirmPassword: `${password}x` })] });
    expect((again.value as { ok?: boolean }).ok).toBe(false);
    expect(withDb((db) => (db.prepare('SELECT password_hash AS h FROM accounts WHERE id = ?').get(account.id) as { h: string }).h)).toBe(hash);

    // The whole password counts: signing in with all 200 characters works; the first 72 (bcrypt's cut) do not.
    expect(await signInCookie(account.codeName, password)).toMatch(/^fr\.session=/);
    const truncated = await signInAttempt(account.codeName, password.slice(0, 72), '198.51.100.201');
    expect(truncated.actionRedirect).toBeNull();
  });

  test('an unknown code name and a wrong password get the same answer', async () => {
    const account = await createTestAccount('partner', 'same-answer');
    const wrong = await signInAttempt(account.codeName, 'not the password at all', '198.51.100.202');
    const unknown = await signInAttempt(`nobody-${crypto.randomBytes(4).toString('hex')}`, 'not the password at all', '198.51.100.203');
    expect(wrong.value).toEqual({ ...(unknown.value as object), values: (wrong.value as { values: unknown }).values });
    expect((wrong.value as { messageKey?: string }).messageKey).toBe((unknown.value as { messageKey?: string }).messageKey);
  });

  test("failed sign-ins through next-auth's own endpoint count against the same per-address throttle", async () => {
    const ip = '198.51.100.250';
    const csrf = await http('/api/auth/csrf');
    const csrfCookie = csrf.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const { csrfToken } = JSON.parse(csrf.text) as { csrfToken: string };
    for (let i = 0; i <= 30; i += 1) {
      const result = await http('/api/auth/callback/credentials', {
        method: 'POST',
        cookie: csrfCookie,
        headers: { origin: new URL(process.env.E2E_BASE_URL ?? 'http://localhost:3100').origin, 'sec-fetch-site': 'same-origin', 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip },
        body: new URLSearchParams({ csrfToken, codeName: `ghost-${i}-${crypto.randomBytes(3).toString('hex')}`, password: 'guess' }),
      });
      expect(result.status).toBeLessThan(500);
    }
    // 31 failures from this address: the next attempt from it waits, even with the right password.
    const account = await createTestAccount('partner', 'throttled');
    const next = await signInAttempt(account.codeName, account.password, ip);
    expect(next.actionRedirect, 'signed in although the address was throttled').toBeNull();
    expect((next.value as { messageKey?: string }).messageKey).toBe('auth.signIn.throttled');
    // Another address is not affected.
    expect((await signInAttempt(account.codeName, account.password, '198.51.100.251')).actionRedirect).toBe('/partner');
  });

  test('the session cookie is HttpOnly, SameSite=Lax, for the whole site, and lives hours, not days', async () => {
    const account = await createTestAccount('partner', 'cookie');
    const result = await signInAttempt(account.codeName, account.password, '198.51.100.204');
    const cookie = result.headers.getSetCookie().find((c) => /^(__Secure-)?fr\.session=/.test(c));
    expect(cookie, 'a session cookie was set').toBeTruthy();
    const attributes = cookie!.split(';').map((a) => a.trim().toLowerCase());
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('samesite=lax');
    expect(attributes).toContain('path=/');
    const maxAge = Number(attributes.find((a) => a.startsWith('max-age='))?.split('=')[1]);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge, 'at most 24 hours').toBeLessThanOrEqual(24 * 3600);
  });

  test('a token is worth nothing once its account changes: session version, role, status', async () => {
    for (const change of [
      "UPDATE accounts SET session_version = session_version + 1 WHERE id = ?",
      "UPDATE accounts SET role = 'editor' WHERE id = ?",
      "UPDATE accounts SET status = 'deactivated' WHERE id = ?",
    ]) {
      const account = await createTestAccount('partner', 'token');
      const cookie = await signInCookie(account.codeName, account.password);
      expect((await http('/partner', { cookie })).status).toBe(200);
      withDb((db) => db.prepare(change).run(account.id));
      const after = await http('/partner', { cookie });
      // A role change leaves a signed-in editor (403 here); the others leave nobody (sign-in).
      expect([403, 303, 307], `${change}: HTTP ${after.status}`).toContain(after.status);
      if (after.status !== 403) expect(after.location ?? '').toContain('/sign-in');
      if (change.includes('role')) {
        // The old token does not carry the old role: it is read from the database.
        expect((await http('/editor', { cookie })).status).toBe(200);
      }
    }
  });
});

/** next-auth's CSRF token and the cookie it must travel with (its forms post both). */
async function nextAuthCsrf(): Promise<{ csrfCookie: string; csrfToken: string }> {
  const csrf = await http('/api/auth/csrf');
  return { csrfCookie: csrf.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '), csrfToken: (JSON.parse(csrf.text) as { csrfToken: string }).csrfToken };
}

/** The Set-Cookie header that sets `name` in a response (with its attributes), or undefined. */
function setCookieOf(headers: Headers, name: string): string | undefined {
  return headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
}

/**
 * One request to the test server under another host name (`Host` and, for a browser's same-origin
 * post, `Origin` name it), as through a second domain, an onion address or a proxy forwarding
 * another Host. fetch cannot set Host, so node:http does.
 */
function requestAsHost(host: string, urlPath: string, { method = 'GET', cookie = '', body = '' }: { method?: string; cookie?: string; body?: string } = {}) {
  const target = new URL(urlPath, BASE_URL);
  return new Promise<{ status: number; location: string | undefined; headers: nodeHttp.IncomingHttpHeaders }>((resolve, reject) => {
    const request = nodeHttp.request(
      {
        hostname: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method,
        headers: {
          host,
          ...(method === 'POST' ? { origin: `http://${host}`, 'sec-fetch-site': 'same-origin', 'content-type': 'application/x-www-form-urlencoded' } : {}),
          ...(cookie ? { cookie } : {}),
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, location: response.headers.location, headers: response.headers }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

test.describe('sessions end (issue 16, items 1–5)', () => {
  test("next-auth's GET /api/auth/session does not extend a session: it ends SESSION_MAX_AGE_HOURS after sign-in", async () => {
    const lifetimeMs = Number(process.env.SESSION_MAX_AGE_HOURS ?? 8) * 3600_000;
    const account = await createTestAccount('partner', 'no-extension');
    const cookie = await signInCookie(account.codeName, account.password);
    const signedInBy = Date.now();
    const first = await http('/api/auth/session', { cookie });
    const reissued = setCookieOf(first.headers, cookie.split('=')[0]!)?.split(';')[0];
    expect(reissued, 'next-auth re-issues the cookie').toBeTruthy();
    const second = await http('/api/auth/session', { cookie: reissued });
    for (const answer of [first, second]) {
      const { expires } = JSON.parse(answer.text) as { expires: string };
      // Counted from sign-in: before "now + lifetime" at the time of asking, and the same each time.
      expect(Date.parse(expires)).toBeLessThan(signedInBy + lifetimeMs);
      expect(expires).toBe((JSON.parse(first.text) as { expires: string }).expires);
    }
    expect(first.headers.get('cache-control')).toContain('no-store');
    expect((await http('/partner', { cookie: reissued })).status).toBe(200);
  });

  test("every way out ends the session the same way: the app's POST /sign-out and next-auth's POST /api/auth/signout", async () => {
    for (const way of ['/sign-out', '/api/auth/signout']) {
      const account = await createTestAccount('partner', 'way-out');
      const cookie = await signInCookie(account.codeName, account.password);
      // next-auth's own sign-out form posts its CSRF token; the app's same-origin check decides.
      const { csrfCookie, csrfToken } = await nextAuthCsrf();
      const out = await http(way, {
        method: 'POST',
        cookie: `${cookie}; ${csrfCookie}`,
        headers: { ...SAME_ORIGIN_HEADERS, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrfToken }),
      });
      // The old cookie, kept by whoever copied it, opens nothing: its session id is recorded.
      const after = await http('/partner', { cookie });
      expect([303, 307], way).toContain(after.status);
      expect(after.location ?? '', way).toContain('/sign-in');
      expect(withDb((db) => db.prepare('SELECT count(*) AS n FROM ended_sessions WHERE account_id = ?').get(account.id) as { n: number }).n, way).toBe(1);
      // …and the answer is the same: cookie deleted, browser storage cleared, nothing cached.
      expect(out.status, way).toBe(303);
      const target = new URL(out.location ?? '', BASE_URL);
      expect(target.pathname + target.search, way).toBe('/sign-in?signedOut=1');
      expect(out.headers.get('clear-site-data'), way).toBe('"storage"');
      expect(out.headers.get('cache-control'), way).toContain('no-store');
      expect(setCookieOf(out.headers, cookie.split('=')[0]!), way).toMatch(/^(__Secure-)?fr\.session=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/i);
    }
  });

  test('signing out through another host name redirects on that host: every Location of the auth routes is a path', async () => {
    const host = 'reports-mirror.example.onion';
    const account = await createTestAccount('partner', 'other-host');
    for (const way of ['/sign-out', '/api/auth/signout']) {
      const cookie = await signInCookie(account.codeName, account.password);
      const out = await requestAsHost(host, way, { method: 'POST', cookie });
      expect(out.status, way).toBe(303);
      expect(out.location, way).toBe('/sign-in?signedOut=1');
      expect([303, 307], `${way}: the session ended`).toContain((await http('/partner', { cookie })).status);
    }
    // next-auth's own redirects (a refused Credentials sign-in) and the early redirect to sign-in.
    const { csrfCookie, csrfToken } = await nextAuthCsrf();
    const refused = await requestAsHost(host, '/api/auth/callback/credentials', {
      method: 'POST',
      cookie: csrfCookie,
      body: new URLSearchParams({ csrfToken, codeName: account.codeName, password: 'not the password' }).toString(),
    });
    expect(refused.location).toMatch(/^\/(?!\/)/);
    const early = await requestAsHost(host, '/partner/reports/new');
    expect(early.location).toBe(`/sign-in?callbackUrl=${encodeURIComponent('/partner/reports/new')}`);
  });

  test('a pending two-step cookie completes one sign-in only: replayed with the next valid code it starts no session', async () => {
    const editor = await createTestAccount('editor', 'pending-replay', { twoFactor: true });
    const password = await callAction({
      key: SIGN_IN,
      page: '/sign-in',
      args: [{ ok: false, values: { codeName: '' } }, form({ codeName: editor.codeName, password: editor.password })],
    });
    expect(password.actionRedirect).toBe('/sign-in/two-factor');
    const pending = setCookieOf(password.headers, 'fr.pending-sign-in')?.split(';')[0];
    expect(pending, 'the password step sets the pending cookie').toBeTruthy();
    const codeStep = (code: string) =>
      callAction({ key: 'app/(auth)/sign-in/actions.ts#twoFactorAction', page: '/sign-in/two-factor', cookie: pending, args: [{ ok: false }, form({ code })] });

    const first = await codeStep(totpCode(editor.totpSecret!));
    expect(first.actionRedirect).toBe('/editor');
    expect(setCookieOf(first.headers, 'fr.session')).toBeTruthy();
    // A copy of the same pending cookie, with the next (valid, unused) code.
    const replay = await codeStep(totpCode(editor.totpSecret!, 1));
    expect(setCookieOf(replay.headers, 'fr.session'), 'a second session').toBeUndefined();
    expect(replay.actionRedirect).toBeNull();
    expect((replay.value as { messageKey?: string }).messageKey).toBe('auth.twoFactor.expired');
  });

  test('redirects that depend on the session are never cached (Back after another partner signed in)', async () => {
    const account = await createTestAccount('partner', 'no-cache');
    const cookie = await signInCookie(account.codeName, account.password);
    const cases: [string, Awaited<ReturnType<typeof http>>][] = [
      ['anonymous /partner → sign-in (proxy.ts)', await http('/partner')],
      ['signed-in /sign-in → /partner', await http('/sign-in', { cookie })],
    ];
    withDb((db) => db.prepare('UPDATE accounts SET session_version = session_version + 1 WHERE id = ?').run(account.id));
    cases.push(['ended session /partner → sign-in', await http('/partner', { cookie })]);
    for (const [what, result] of cases) {
      expect(result.status, what).toBeGreaterThanOrEqual(300);
      expect(result.status, what).toBeLessThan(400);
      expect(result.headers.get('cache-control') ?? '', what).toContain('no-store');
    }
  });
});
