/**
 * Accounts and sessions, end to end (docs/security/README.md "Accounts and sessions"; issue 9): passwords set
 * through the app are Argon2id with at least 19 MiB and 2 iterations, long passwords work and are
 * never truncated, unknown code names and wrong passwords get the same answer, the session cookie
 * is HttpOnly and SameSite=Lax with a lifetime of hours, and a token is worth nothing once the
 * account's session_version, role or status changes.
 */
import crypto from 'node:crypto';
import { test, expect, createTestAccount } from './fixtures';
import { callAction, form, http, signInCookie, withDb } from './security-kit';

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
