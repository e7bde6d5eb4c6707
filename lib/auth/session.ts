import 'server-only';
import { randomBytes } from 'node:crypto';
import { cache } from 'react';
import { cookies, headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { decode, encode } from 'next-auth/jwt';
import { eq, sql } from 'drizzle-orm';
import { getDb, preparedQueries, type Queryable } from '@/db/client';
import { accounts, endedSessions, type AccountStatus, type Locale, type Role } from '@/db/schema';
import { getAuthSecret, getEnv } from '@/lib/env';
import { alignLocaleAtSessionStart } from '@/lib/i18n/session-locale';
import { canUseArea, safeCallbackPath, type Area } from './roles';

/**
 * Sessions are next-auth 4 JWTs (encrypted JWE, see next-auth/jwt) in an HttpOnly cookie. A token
 * alone is never trusted: every request reads the account's status, role and session_version
 * from the database (docs/security/README.md), so deactivation, a role change or a password/2FA change ends
 * every open session at its next request. Each token also carries its own session id (`sid`);
 * signing out records that id in `ended_sessions`, so a copy of the signed-out token stops working
 * at once while the account's other sessions (another device) go on.
 *
 * Lifetime: SESSION_MAX_AGE_HOURS (default 8 hours) counted from sign-in, never extended
 * (docs/security/README.md "Accounts and sessions": "counted from sign-in and never extended").
 * next-auth re-issues the cookie with a fresh `exp` on every GET /api/auth/session, so `exp` alone
 * cannot bound a session: each token carries its sign-in time (`auth_time`), set once at sign-in
 * and copied unchanged on every re-issue, and a token is refused once SESSION_MAX_AGE_HOURS have
 * passed since then, whatever its `exp` says.
 */

/** The signed-in account as pages and the data layer see it (never the password hash). */
export type SessionAccount = {
  id: number;
  codeName: string;
  role: Role;
  locale: Locale;
};

/**
 * What a session token holds: account id, session_version, this session's own random id, and the
 * sign-in time `auth_time` (whole seconds since the Unix epoch, UTC; the claim's name and unit are
 * OpenID Connect Core 1.0 §2's), set at sign-in and never changed by a re-issue.
 */
export type SessionClaims = { sub: string; sv: number; sid: string; auth_time: number };

/** Now as a JWT time claim: whole seconds since the Unix epoch (UTC). */
export function nowInSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * When a session signed in at `authTime` (seconds since the epoch) ends: authTime +
 * SESSION_MAX_AGE_HOURS, in UTC milliseconds. The one bound on every token of that session.
 */
export function sessionEndsAtMs(authTime: number): number {
  return (authTime + getSessionMaxAgeSeconds()) * 1000;
}

/** A new session id: 128 random bits, base64url (22 characters). */
export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}

/** Session cookie name; `__Secure-` prefixed when the site is served over HTTPS. */
export function getSessionCookieName(): string {
  return isSecureSite() ? '__Secure-fr.session' : 'fr.session';
}

function isSecureSite(): boolean {
  return getEnv().NEXTAUTH_URL?.startsWith('https://') ?? false;
}

/** Session lifetime in seconds. */
export function getSessionMaxAgeSeconds(): number {
  return getEnv().SESSION_MAX_AGE_HOURS * 3600;
}

/** Cookie attributes for the session cookie (HttpOnly, SameSite=Lax, Secure behind HTTPS). */
export function sessionCookieOptions() {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: isSecureSite(),
    path: '/',
    maxAge: getSessionMaxAgeSeconds(),
  };
}

/**
 * Encrypt a new session token (signed in now) for an account at its current session_version:
 * a fresh session id, `auth_time` = now, expiring SESSION_MAX_AGE_HOURS from now.
 */
export async function createSessionToken(account: { id: number; sessionVersion: number }): Promise<string> {
  const claims: SessionClaims = { sub: String(account.id), sv: account.sessionVersion, sid: newSessionId(), auth_time: nowInSeconds() };
  return encode({ token: claims, secret: getAuthSecret(), maxAge: getSessionMaxAgeSeconds() });
}

/**
 * Set the session cookie for `account` (call from a Server Action or Route Handler), and line up
 * the account's and the browser's interface language (lib/i18n/session-locale.ts).
 */
export async function startSession(account: { id: number; sessionVersion: number }): Promise<void> {
  const jar = await cookies();
  jar.set(getSessionCookieName(), await createSessionToken(account), sessionCookieOptions());
  await alignLocaleAtSessionStart({ accountId: account.id });
}

/**
 * Decoded session claims per token string (issue 10, budget 1): next-auth's `decode` derives the
 * JWE key (HKDF) and decrypts on every call, 6 % of a submission's server time. Only the decrypt
 * is cached — the account row (status, role, session_version) is still read on every request, so
 * deactivation, a role change or a new session_version still ends the session at once.
 * An entry lives until the token's own `exp` or its session's end (sign-in + SESSION_MAX_AGE_HOURS),
 * whichever comes first, never longer; at most CLAIMS_CACHE_MAX entries,
 * least recently used dropped first (a Map keeps insertion order; a hit is re-inserted).
 * Tokens that fail to decode are never cached.
 */
const CLAIMS_CACHE_MAX = 1000;
type CachedClaims = { claims: SessionClaims; expiresAtMs: number };
const claimsCache = new Map<string, CachedClaims>();

/**
 * The token's claims and the time it stops being valid (UTC ms: the earlier of its `exp` and its
 * session's end), or null when it does not decode, lacks a claim (a token without `sid` could not
 * be ended by signing out; one without `auth_time` could not be bounded), or is past either time.
 */
async function decodeClaims(token: string): Promise<CachedClaims | null> {
  const now = Date.now();
  const hit = claimsCache.get(token);
  if (hit) {
    claimsCache.delete(token);
    if (hit.expiresAtMs > now) {
      claimsCache.set(token, hit);
      return hit;
    }
  }
  let decoded: { [K in keyof SessionClaims]?: unknown } & { exp?: unknown } | null;
  try {
    decoded = (await decode({ token, secret: getAuthSecret() })) as typeof decoded;
  } catch {
    return null;
  }
  if (!decoded || typeof decoded.sub !== 'string' || typeof decoded.sv !== 'number' || typeof decoded.sid !== 'string') return null;
  if (typeof decoded.auth_time !== 'number' || !Number.isSafeInteger(decoded.auth_time)) return null;
  // next-auth's decode already refused an expired token, but a re-issued token's exp is fresh:
  // the session's end (sign-in + max age) bounds it, and the cache entry with it.
  if (typeof decoded.exp !== 'number') return null;
  const expiresAtMs = Math.min(decoded.exp * 1000, sessionEndsAtMs(decoded.auth_time));
  if (expiresAtMs <= now) return null;
  const entry: CachedClaims = { claims: { sub: decoded.sub, sv: decoded.sv, sid: decoded.sid, auth_time: decoded.auth_time }, expiresAtMs };
  if (claimsCache.size >= CLAIMS_CACHE_MAX) {
    const oldest = claimsCache.keys().next();
    if (!oldest.done) claimsCache.delete(oldest.value);
  }
  claimsCache.set(token, entry);
  return entry;
}

function prepareSessionLookups(db: Queryable) {
  const account = db
    .select({
      id: accounts.id,
      codeName: accounts.codeName,
      role: accounts.role,
      locale: accounts.locale,
      status: accounts.status,
      sessionVersion: accounts.sessionVersion,
    })
    .from(accounts)
    .where(eq(accounts.id, sql.placeholder('id')))
    .prepare();
  const ended = db
    .select({ sessionId: endedSessions.sessionId })
    .from(endedSessions)
    .where(eq(endedSessions.sessionId, sql.placeholder('sid')))
    .prepare();
  return { account, ended };
}

/** The per-request lookups (account, ended session), prepared once per database connection. */
const sessionLookups = preparedQueries(prepareSessionLookups);

/**
 * A live session: the account, the token's session id, and when it stops being valid (UTC ms, at
 * the latest sign-in + SESSION_MAX_AGE_HOURS: every copy of this session id is dead by then, so
 * that is how long a sign-out must be remembered).
 */
export type LiveSession = { account: SessionAccount; sessionId: string; expiresAtMs: number };

/**
 * The live session a raw token stands for, or null when the token is missing, invalid, expired,
 * older than SESSION_MAX_AGE_HOURS since its sign-in (whoever re-issued it),
 * signed out (its session id is in ended_sessions), or no longer matches an active account at the
 * same session_version. Claims are cached per token; the database is read every time.
 */
export async function resolveSession(token: string | undefined): Promise<LiveSession | null> {
  if (!token) return null;
  const decoded = await decodeClaims(token);
  const id = Number(decoded?.claims.sub);
  if (!decoded || !Number.isSafeInteger(id)) return null;
  const lookups = sessionLookups(getDb());
  const row = lookups.account.get({ id });
  if (!row || row.status !== 'active' || row.sessionVersion !== decoded.claims.sv) return null;
  if (lookups.ended.get({ sid: decoded.claims.sid })) return null;
  return { account: { id: row.id, codeName: row.codeName, role: row.role, locale: row.locale }, sessionId: decoded.claims.sid, expiresAtMs: decoded.expiresAtMs };
}

/**
 * Whose session a token was, when it is no longer live (signed out, session_version changed,
 * deactivated) but still decodes: the account's id, role, status and language, read now. Null
 * when the token is missing, forged, past its `exp` or its session's end (an expired token says
 * nothing anyone should trust). Used only to bind a post kept across sign-in to its account
 * (lib/reports/kept-posts.ts) and to answer in its language; never a session.
 */
export async function accountOfEndedSession(token: string | undefined): Promise<{ id: number; role: Role; status: AccountStatus; locale: Locale } | null> {
  if (!token) return null;
  const decoded = await decodeClaims(token);
  const id = Number(decoded?.claims.sub);
  if (!decoded || !Number.isSafeInteger(id)) return null;
  const row = sessionLookups(getDb()).account.get({ id });
  return row ? { id: row.id, role: row.role, status: row.status, locale: row.locale } : null;
}

/** {@link resolveSession}'s account alone (null in the same cases). */
export async function resolveSessionToken(token: string | undefined): Promise<SessionAccount | null> {
  return (await resolveSession(token))?.account ?? null;
}

/** The live session of this request (read from the database once per request), or null. */
export const getCurrentSession = cache(async (): Promise<LiveSession | null> => {
  const jar = await cookies();
  return resolveSession(jar.get(getSessionCookieName())?.value);
});

/** The signed-in account of this request (read from the database once per request), or null. */
export const getCurrentAccount = cache(async (): Promise<SessionAccount | null> => (await getCurrentSession())?.account ?? null);

async function signInPathForThisRequest(): Promise<string> {
  const h = await headers();
  const back = safeCallbackPath(h.get('x-fr-path'));
  return back ? `/sign-in?callbackUrl=${encodeURIComponent(back)}` : '/sign-in';
}

/** The signed-in account, or a redirect to sign-in (which comes back here afterwards). */
export async function requireAccount(): Promise<SessionAccount> {
  const account = await getCurrentAccount();
  if (!account) redirect(await signInPathForThisRequest());
  return account;
}

/**
 * The signed-in account if its role may use `area`; otherwise redirect to sign-in (anonymous) or
 * answer 403 (signed in with another role). Use in every page, Server Action and Route Handler of
 * a signed-in area; the check in proxy.ts is only an early redirect.
 */
export async function requireArea(area: Area): Promise<SessionAccount> {
  const account = await requireAccount();
  if (!canUseArea(account.role, area)) forbidden();
  return account;
}

/**
 * For Server Actions and Route Handlers that must answer with a value instead of a redirect:
 * the account if its role is one of `roles`, else null.
 */
export async function getAccountWithRole(roles: readonly Role[]): Promise<SessionAccount | null> {
  const account = await getCurrentAccount();
  return account && roles.includes(account.role) ? account : null;
}

