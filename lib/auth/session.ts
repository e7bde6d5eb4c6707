import 'server-only';
import { cache } from 'react';
import { cookies, headers } from 'next/headers';
import { forbidden, notFound, redirect } from 'next/navigation';
import { decode, encode } from 'next-auth/jwt';
import { eq, sql } from 'drizzle-orm';
import { getDb, type DB } from '@/db/client';
import { accounts, type Locale, type Role } from '@/db/schema';
import { getAuthSecret, getEnv } from '@/lib/env';
import { alignLocaleAtSessionStart } from '@/lib/i18n/session-locale';
import { AREA_ROLES, canUseArea, safeCallbackPath, type Area } from './roles';

/**
 * Sessions are next-auth 4 JWTs (encrypted JWE, see next-auth/jwt) in an HttpOnly cookie. A token
 * alone is never trusted: every request reads the account's status, role and session_version
 * from the database (SECURITY.md), so deactivation, a role change or a password/2FA change ends
 * every open session at its next request.
 *
 * Lifetime: SESSION_MAX_AGE_HOURS (default 8 hours), not renewed by activity.
 */

/** The signed-in account as pages and the data layer see it (never the password hash). */
export type SessionAccount = {
  id: number;
  codeName: string;
  role: Role;
  locale: Locale;
};

type SessionClaims = { sub: string; sv: number };

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

/** Encrypt a session token for an account at its current session_version. */
export async function createSessionToken(account: { id: number; sessionVersion: number }): Promise<string> {
  const claims: SessionClaims = { sub: String(account.id), sv: account.sessionVersion };
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

/** Remove the session cookie. */
export async function endSession(): Promise<void> {
  const jar = await cookies();
  jar.delete(getSessionCookieName());
}

/**
 * Decoded session claims per token string (issue 10, budget 1): next-auth's `decode` derives the
 * JWE key (HKDF) and decrypts on every call, 6 % of a submission's server time. Only the decrypt
 * is cached — the account row (status, role, session_version) is still read on every request, so
 * deactivation, a role change or a new session_version still ends the session at once.
 * An entry lives until the token's own `exp` (never longer); at most CLAIMS_CACHE_MAX entries,
 * least recently used dropped first (a Map keeps insertion order; a hit is re-inserted).
 * Tokens that fail to decode are never cached.
 */
const CLAIMS_CACHE_MAX = 1000;
const claimsCache = new Map<string, { claims: SessionClaims; expiresAtMs: number }>();

async function decodeClaims(token: string): Promise<SessionClaims | null> {
  const now = Date.now();
  const hit = claimsCache.get(token);
  if (hit) {
    claimsCache.delete(token);
    if (hit.expiresAtMs > now) {
      claimsCache.set(token, hit);
      return hit.claims;
    }
  }
  let decoded: (Partial<SessionClaims> & { exp?: unknown }) | null;
  try {
    decoded = (await decode({ token, secret: getAuthSecret() })) as (Partial<SessionClaims> & { exp?: unknown }) | null;
  } catch {
    return null;
  }
  if (!decoded || typeof decoded.sub !== 'string' || typeof decoded.sv !== 'number') return null;
  const claims: SessionClaims = { sub: decoded.sub, sv: decoded.sv };
  // next-auth's decode already refused an expired token; cache only until its exp (seconds).
  if (typeof decoded.exp === 'number' && decoded.exp * 1000 > now) {
    if (claimsCache.size >= CLAIMS_CACHE_MAX) {
      const oldest = claimsCache.keys().next();
      if (!oldest.done) claimsCache.delete(oldest.value);
    }
    claimsCache.set(token, { claims, expiresAtMs: decoded.exp * 1000 });
  }
  return claims;
}

/** The per-request account lookup, prepared once per database connection. */
const accountLookups = new WeakMap<DB, ReturnType<typeof prepareAccountLookup>>();

function prepareAccountLookup(db: DB) {
  return db
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
}

function findAccountForSession(id: number) {
  const db = getDb();
  let lookup = accountLookups.get(db);
  if (!lookup) {
    lookup = prepareAccountLookup(db);
    accountLookups.set(db, lookup);
  }
  return lookup.get({ id });
}

/**
 * Resolve a raw session token to the live account, or null when the token is missing, invalid,
 * expired, or no longer matches an active account at the same session_version. The decrypted
 * claims are cached per token until its expiry; the account is read from the database every time.
 */
export async function resolveSessionToken(token: string | undefined): Promise<SessionAccount | null> {
  if (!token) return null;
  const claims = await decodeClaims(token);
  const id = Number(claims?.sub);
  if (!claims || !Number.isSafeInteger(id)) return null;
  const row = findAccountForSession(id);
  if (!row || row.status !== 'active' || row.sessionVersion !== claims.sv) return null;
  return { id: row.id, codeName: row.codeName, role: row.role, locale: row.locale };
}

/** The signed-in account of this request (read from the database once per request), or null. */
export const getCurrentAccount = cache(async (): Promise<SessionAccount | null> => {
  const jar = await cookies();
  return resolveSessionToken(jar.get(getSessionCookieName())?.value);
});

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

/** 404 helper for objects the caller may not know exist (re-exported for the data layer). */
export function notFoundForCaller(): never {
  notFound();
}

export { AREA_ROLES };
