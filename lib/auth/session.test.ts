import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { insertTestAccount } from '@/lib/testing/accounts';

let session: typeof import('./session');
let signIn: typeof import('./sign-in');
let client: typeof import('@/db/client');

beforeAll(async () => {
  session = await import('./session');
  signIn = await import('./sign-in');
  client = await import('@/db/client');
});

afterEach(() => {
  vi.useRealTimers();
});

function setAccount(id: number, column: 'status' | 'role' | 'session_version', value: string | number): void {
  client.getSqlite().prepare(`UPDATE accounts SET ${column} = ? WHERE id = ?`).run(value, id);
}

describe('resolveSessionToken with the decoded claims cached per token', () => {
  it('still reads the account on every request: a new session_version ends a token resolved before', async () => {
    const partner = await insertTestAccount({ role: 'partner', password: 'a sound long passphrase' });
    const version = client.getSqlite().prepare('SELECT session_version FROM accounts WHERE id = ?').pluck().get(partner.id) as number;
    const token = await session.createSessionToken({ id: partner.id, sessionVersion: version });
    expect(await session.resolveSessionToken(token)).toMatchObject({ id: partner.id, role: 'partner' });
    expect(await session.resolveSessionToken(token)).toMatchObject({ id: partner.id, role: 'partner' });
    setAccount(partner.id, 'session_version', version + 1);
    expect(await session.resolveSessionToken(token)).toBeNull();
  });

  it('a deactivated account or a changed role shows at the next request of a cached token', async () => {
    const partner = await insertTestAccount({ role: 'partner', password: 'a sound long passphrase' });
    const version = client.getSqlite().prepare('SELECT session_version FROM accounts WHERE id = ?').pluck().get(partner.id) as number;
    const token = await session.createSessionToken({ id: partner.id, sessionVersion: version });
    expect(await session.resolveSessionToken(token)).toMatchObject({ role: 'partner' });
    setAccount(partner.id, 'role', 'editor');
    expect(await session.resolveSessionToken(token)).toMatchObject({ id: partner.id, role: 'editor' });
    setAccount(partner.id, 'status', 'deactivated');
    expect(await session.resolveSessionToken(token)).toBeNull();
  });

  it('a cached token is refused once it has expired', async () => {
    const partner = await insertTestAccount({ role: 'partner', password: 'a sound long passphrase' });
    const version = client.getSqlite().prepare('SELECT session_version FROM accounts WHERE id = ?').pluck().get(partner.id) as number;
    const token = await session.createSessionToken({ id: partner.id, sessionVersion: version });
    expect(await session.resolveSessionToken(token)).toMatchObject({ id: partner.id });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + session.getSessionMaxAgeSeconds() * 1000 + 60_000);
    expect(await session.resolveSessionToken(token)).toBeNull();
  });

  it('refuses a tampered token', async () => {
    const partner = await insertTestAccount({ role: 'partner', password: 'a sound long passphrase' });
    const token = await session.createSessionToken({ id: partner.id, sessionVersion: 0 });
    expect(await session.resolveSessionToken(`${token.slice(0, -4)}AAAA`)).toBeNull();
  });
});

describe('accountOfEndedSession (whose post a session-ended page keeps)', () => {
  it('names the account of a token that no longer opens a session, with its status read now; nothing for a forged or missing token', async () => {
    const partner = await insertTestAccount({ role: 'partner', password: 'a sound long passphrase' });
    const version = client.getSqlite().prepare('SELECT session_version FROM accounts WHERE id = ?').pluck().get(partner.id) as number;
    const token = await session.createSessionToken({ id: partner.id, sessionVersion: version });
    setAccount(partner.id, 'session_version', version + 1);
    expect(await session.resolveSessionToken(token)).toBeNull();
    expect(await session.accountOfEndedSession(token)).toMatchObject({ id: partner.id, role: 'partner', status: 'active' });
    setAccount(partner.id, 'status', 'deactivated');
    expect(await session.accountOfEndedSession(token)).toMatchObject({ id: partner.id, status: 'deactivated' });
    expect(await session.accountOfEndedSession(`${token.slice(0, -4)}AAAA`)).toBeNull();
    expect(await session.accountOfEndedSession(undefined)).toBeNull();
  });
});

describe('a session ends SESSION_MAX_AGE_HOURS after sign-in, whatever re-issued its token', () => {
  function clockAt(ms: number) {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(ms);
  }

  async function signedInPartnerToken(signedInAt: number) {
    clockAt(signedInAt);
    const partner = await insertTestAccount({ role: 'partner', password: 'a sound long passphrase' });
    const version = client.getSqlite().prepare('SELECT session_version FROM accounts WHERE id = ?').pluck().get(partner.id) as number;
    return { partner, token: await session.createSessionToken({ id: partner.id, sessionVersion: version }) };
  }

  it('refuses a token re-issued with a fresh expiry once the lifetime since sign-in has passed (its cached claims too)', async () => {
    const { decode, encode } = await import('next-auth/jwt');
    const { getAuthSecret } = await import('@/lib/env');
    const signedInAt = Date.UTC(2026, 5, 1, 8, 0, 0);
    const { partner, token } = await signedInPartnerToken(signedInAt);
    const lifetimeMs = session.getSessionMaxAgeSeconds() * 1000;
    // A minute before the end the token is re-issued with a whole new lifetime, as next-auth's
    // GET /api/auth/session used to do (same claims, new exp).
    clockAt(signedInAt + lifetimeMs - 60_000);
    const claims = await decode({ token, secret: getAuthSecret() });
    const reissued = await encode({ token: claims!, secret: getAuthSecret(), maxAge: session.getSessionMaxAgeSeconds() });
    expect(await session.resolveSession(reissued)).toMatchObject({ account: { id: partner.id }, expiresAtMs: signedInAt + lifetimeMs });
    clockAt(signedInAt + lifetimeMs + 1000);
    expect(await session.resolveSessionToken(reissued)).toBeNull();
    expect(await session.resolveSessionToken(token)).toBeNull();
  });

  it('refuses a token without its sign-in time (one whose lifetime could not be bounded)', async () => {
    const { encode } = await import('next-auth/jwt');
    const { getAuthSecret } = await import('@/lib/env');
    const partner = await insertTestAccount({ role: 'partner', password: 'a sound long passphrase' });
    const version = client.getSqlite().prepare('SELECT session_version FROM accounts WHERE id = ?').pluck().get(partner.id) as number;
    const withoutAuthTime = await encode({ token: { sub: String(partner.id), sv: version, sid: session.newSessionId() }, secret: getAuthSecret(), maxAge: 3600 });
    expect(await session.resolveSessionToken(withoutAuthTime)).toBeNull();
  });

  it("next-auth's own GET /api/auth/session keeps the sign-in time, never re-issues past the end, and deletes the cookie then", async () => {
    const { default: NextAuth } = await import('next-auth/next');
    const { decode } = await import('next-auth/jwt');
    const { getAuthSecret } = await import('@/lib/env');
    const { getNextAuthOptions } = await import('./next-auth-options');
    const signedInAt = Date.UTC(2026, 5, 2, 8, 0, 0);
    const { partner, token } = await signedInPartnerToken(signedInAt);
    const lifetimeMs = session.getSessionMaxAgeSeconds() * 1000;
    const name = session.getSessionCookieName();
    /** next-auth's session endpoint through its Pages-API entry (the same core as the App Router's). */
    async function getSession(cookie: string) {
      const answer = { body: undefined as unknown, setCookies: [] as string[] };
      const res = {
        status: () => res,
        setHeader: (key: string, value: string | string[]) => {
          if (key.toLowerCase() === 'set-cookie') answer.setCookies = ([] as string[]).concat(value);
          return res;
        },
        getHeader: (key: string) => (key.toLowerCase() === 'set-cookie' ? answer.setCookies : undefined),
        send: (body: unknown) => void (answer.body = body),
        json: (body: unknown) => void (answer.body = body),
        end: () => undefined,
      };
      const req = { method: 'GET', query: { nextauth: ['session'] }, cookies: { [name]: cookie }, headers: { host: 'localhost:3000' }, body: {} };
      await NextAuth(req as never, res as never, getNextAuthOptions());
      const sessionCookie = answer.setCookies.find((c) => c.startsWith(`${name}=`));
      return { body: answer.body, cookieValue: sessionCookie?.split(';')[0]!.slice(name.length + 1), cookie: sessionCookie };
    }

    clockAt(signedInAt + lifetimeMs / 2);
    const halfway = await getSession(token);
    if (!halfway.cookieValue) throw new Error('next-auth should re-issue the cookie');
    expect(halfway.body).toEqual({ expires: new Date(signedInAt + lifetimeMs).toISOString() });
    expect((await decode({ token: halfway.cookieValue, secret: getAuthSecret() }))?.exp).toBe((signedInAt + lifetimeMs) / 1000);
    expect(await session.resolveSessionToken(halfway.cookieValue)).toMatchObject({ id: partner.id });

    clockAt(signedInAt + lifetimeMs + 1000);
    const after = await getSession(halfway.cookieValue);
    expect(after.body).toEqual({});
    expect(after.cookieValue).toBe('');
    expect(await session.resolveSessionToken(halfway.cookieValue)).toBeNull();
  });
});

describe('signing out', () => {
  async function partnerWithTwoSessions() {
    const partner = await insertTestAccount({ role: 'partner', password: 'a sound long passphrase' });
    const version = client.getSqlite().prepare('SELECT session_version FROM accounts WHERE id = ?').pluck().get(partner.id) as number;
    const phone = await session.createSessionToken({ id: partner.id, sessionVersion: version });
    const laptop = await session.createSessionToken({ id: partner.id, sessionVersion: version });
    return { partner, phone, laptop };
  }

  it('ends that session for every copy of its token, and only that session', async () => {
    const { partner, phone, laptop } = await partnerWithTwoSessions();
    const live = await session.resolveSession(phone);
    if (!live) throw new Error('setup: the new session should resolve');
    expect((await session.resolveSession(laptop))?.sessionId).not.toBe(live.sessionId);

    signIn.recordSignOut(live);
    expect(await session.resolveSessionToken(phone)).toBeNull();
    // The other device's session goes on.
    expect(await session.resolveSessionToken(laptop)).toMatchObject({ id: partner.id });
    const audit = client.getSqlite().prepare("SELECT count(*) FROM audit_events WHERE kind = 'sign_out' AND actor_id = ?").pluck().get(partner.id);
    expect(audit).toBe(1);
  });

  it('keeps the record only until the token would have expired anyway', async () => {
    const { phone, laptop } = await partnerWithTwoSessions();
    const first = await session.resolveSession(phone);
    const second = await session.resolveSession(laptop);
    if (!first || !second) throw new Error('setup');
    signIn.recordSignOut(first);
    const count = () => client.getSqlite().prepare('SELECT count(*) FROM ended_sessions WHERE session_id IN (?, ?)').pluck().get(first.sessionId, second.sessionId);
    expect(count()).toBe(1);
    // A sign-out after the first token's expiry deletes its row: that token is refused by its exp.
    signIn.recordSignOut(second, first.expiresAtMs + 1);
    expect(count()).toBe(1);
    expect(client.getSqlite().prepare('SELECT session_id FROM ended_sessions WHERE session_id = ?').pluck().get(second.sessionId)).toBe(second.sessionId);
  });

  it('refuses a token without a session id (one that signing out could not end)', async () => {
    const { encode } = await import('next-auth/jwt');
    const { getAuthSecret } = await import('@/lib/env');
    const partner = await insertTestAccount({ role: 'partner', password: 'a sound long passphrase' });
    const version = client.getSqlite().prepare('SELECT session_version FROM accounts WHERE id = ?').pluck().get(partner.id) as number;
    const withoutSid = await encode({ token: { sub: String(partner.id), sv: version }, secret: getAuthSecret(), maxAge: 3600 });
    expect(await session.resolveSessionToken(withoutSid)).toBeNull();
  });
});
