/**
 * Session cookies for the benchmark, made the way lib/auth/session.ts createSessionToken makes
 * them: a next-auth 4 JWT (JWE) with claims { sub: String(accountId), sv: sessionVersion, sid,
 * auth_time } (SessionClaims: the server refuses a token without a session id or a sign-in time),
 * encrypted with the server's NEXTAUTH_SECRET. The server re-checks the account in the database on
 * every request, exactly as for a browser that signed in through the form.
 */
import { encode } from 'next-auth/jwt';
import type { SessionClaims } from '@/lib/auth/session';

/** The cookie name the app uses on plain-HTTP loopback (no `__Secure-` prefix without HTTPS). */
export const SESSION_COOKIE = 'fr.session';

/** A `Cookie` header value signing in `account` (lifetime `maxAgeSeconds`, default 8 hours). */
export async function sessionCookie({
  account,
  secret,
  maxAgeSeconds = 8 * 3600,
}: {
  account: { id: number; sessionVersion: number };
  secret: string;
  maxAgeSeconds?: number;
}): Promise<string> {
  // auth_time: signed in now, in whole seconds since the epoch (the session ends
  // SESSION_MAX_AGE_HOURS, default 8, after it: far beyond any run). `satisfies`: a claim the
  // app adds later fails the typecheck here instead of sending every bench request to /sign-in.
  const claims = { sub: String(account.id), sv: account.sessionVersion, sid: `bench-${account.id}-${Date.now()}`, auth_time: Math.floor(Date.now() / 1000) } satisfies SessionClaims;
  const token = await encode({ token: claims, secret, maxAge: maxAgeSeconds });
  return `${SESSION_COOKIE}=${token}`;
}
