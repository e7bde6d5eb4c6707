/**
 * Session cookies for the benchmark, made the way lib/auth/session.ts createSessionToken makes
 * them: a next-auth 4 JWT (JWE) with claims { sub: String(accountId), sv: sessionVersion },
 * encrypted with the server's NEXTAUTH_SECRET. The server re-checks the account in the database on
 * every request, exactly as for a browser that signed in through the form.
 */
import { encode } from 'next-auth/jwt';

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
  const token = await encode({ token: { sub: String(account.id), sv: account.sessionVersion, sid: `bench-${account.id}-${Date.now()}` }, secret, maxAge: maxAgeSeconds });
  return `${SESSION_COOKIE}=${token}`;
}
