import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { encode, type JWT } from 'next-auth/jwt';
import { clientAddressFrom } from '@/lib/http/client-address';
import { getAuthSecret } from '@/lib/env';
import { safeCallbackPath } from './roles';
import { attemptSignIn } from './sign-in-flow';
import { getSessionCookieName, getSessionMaxAgeSeconds, newSessionId, nowInSeconds, sessionCookieOptions, sessionEndsAtMs, type SessionClaims } from './session';

/**
 * The claims a re-issue keeps: those of `token` unchanged (so `auth_time` stays the sign-in time).
 * @throws when the token has no `auth_time` or its session has passed SESSION_MAX_AGE_HOURS since
 *   sign-in: next-auth's session endpoint then deletes the cookie instead of re-issuing it
 *   (docs/security/README.md "Accounts and sessions": counted from sign-in and never extended).
 */
export function claimsToReissue(token: JWT): SessionClaims {
  const { sub, sv, sid, auth_time: authTime } = token as Partial<Record<keyof SessionClaims, unknown>>;
  if (typeof sub !== 'string' || typeof sv !== 'number' || typeof sid !== 'string' || typeof authTime !== 'number') {
    throw new Error('Session token without its claims: not re-issued.');
  }
  if (sessionEndsAtMs(authTime) <= Date.now()) throw new Error('Session past its lifetime: not re-issued.');
  return { sub, sv, sid, auth_time: authTime };
}

/**
 * next-auth 4 configuration (JWT sessions, Credentials provider). Its cookie name, lifetime and
 * claims ({ sub, sv, sid, auth_time }) match lib/auth/session.ts, which reads the token and
 * re-checks the account in the database on every request. The Credentials provider runs the same
 * pipeline as the sign-in page (attemptSignIn), so both paths throttle, audit and refuse alike.
 * next-auth re-issues the token on every GET /api/auth/session; a re-issue keeps the sign-in time
 * and its `exp` never passes sign-in + SESSION_MAX_AGE_HOURS.
 */
export function getNextAuthOptions(): NextAuthOptions {
  const cookie = sessionCookieOptions();
  return {
    secret: getAuthSecret(),
    session: { strategy: 'jwt', maxAge: getSessionMaxAgeSeconds() },
    jwt: {
      maxAge: getSessionMaxAgeSeconds(),
      // next-auth passes the full lifetime on every re-issue: cap it at the session's end instead.
      async encode({ token, secret, maxAge }) {
        const authTime = (token as { auth_time?: unknown } | undefined)?.auth_time;
        const left = typeof authTime === 'number' ? Math.floor(sessionEndsAtMs(authTime) / 1000) - nowInSeconds() : 0;
        return encode({ token, secret, maxAge: Math.max(0, Math.min(maxAge ?? getSessionMaxAgeSeconds(), left)) });
      },
    },
    pages: { signIn: '/sign-in', error: '/sign-in' },
    cookies: {
      sessionToken: {
        name: getSessionCookieName(),
        options: { httpOnly: cookie.httpOnly, sameSite: cookie.sameSite, path: cookie.path, secure: cookie.secure },
      },
    },
    providers: [
      CredentialsProvider({
        name: 'Code name',
        credentials: { codeName: { label: 'Code name', type: 'text' }, password: { label: 'Password', type: 'password' } },
        async authorize(credentials, req) {
          // The same per-address throttle as the sign-in page (never an 'unknown' address shared by all).
          const headers = new Headers();
          for (const [name, value] of Object.entries(req?.headers ?? {})) if (typeof value === 'string') headers.set(name, value);
          const result = await attemptSignIn({ codeName: credentials?.codeName, password: credentials?.password }, { clientIp: clientAddressFrom(headers) });
          if (!result.ok) return null;
          return { id: String(result.account.id), sv: result.account.sessionVersion };
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        // Keep only the account id, session version, this session's id (so signing out can end
        // it) and the sign-in time (so nothing extends it): role and status come from the database.
        if (user) {
          const claims: SessionClaims = { sub: user.id, sv: (user as unknown as { sv: number }).sv, sid: newSessionId(), auth_time: nowInSeconds() };
          return claims;
        }
        return claimsToReissue(token);
      },
      async session({ token }) {
        // The real end of the session, not next-auth's "now + max age" (`token` is what the jwt
        // callback returned, so it holds auth_time).
        return { expires: new Date(sessionEndsAtMs((token as SessionClaims).auth_time)).toISOString() };
      },
      async redirect({ url, baseUrl }) {
        // Same origin only: a path that safeCallbackPath accepts, or an absolute URL whose origin
        // is ours ('//evil.example' and 'https://ours.example.evil.example' both start like ours).
        if (url.startsWith('/')) {
          const path = safeCallbackPath(url);
          return path ? new URL(path, baseUrl).toString() : baseUrl;
        }
        try {
          return new URL(url).origin === new URL(baseUrl).origin ? url : baseUrl;
        } catch {
          return baseUrl;
        }
      },
    },
  };
}
