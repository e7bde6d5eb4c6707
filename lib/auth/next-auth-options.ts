import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { clientIpFrom } from '@/lib/accounts/throttle';
import { getAuthSecret } from '@/lib/env';
import { safeCallbackPath } from './roles';
import { attemptSignIn } from './sign-in-flow';
import { getSessionCookieName, getSessionMaxAgeSeconds, newSessionId, sessionCookieOptions } from './session';

/**
 * next-auth 4 configuration (JWT sessions, Credentials provider). Its cookie name, lifetime and
 * claims ({ sub, sv }) match lib/auth/session.ts, which reads the token and re-checks the account
 * in the database on every request. The Credentials provider runs the same pipeline as the
 * sign-in page (attemptSignIn), so both paths throttle, audit and refuse alike.
 */
export function getNextAuthOptions(): NextAuthOptions {
  const cookie = sessionCookieOptions();
  return {
    secret: getAuthSecret(),
    session: { strategy: 'jwt', maxAge: getSessionMaxAgeSeconds() },
    jwt: { maxAge: getSessionMaxAgeSeconds() },
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
          const result = await attemptSignIn({ codeName: credentials?.codeName, password: credentials?.password }, { clientIp: clientIpFrom(headers) });
          if (!result.ok) return null;
          return { id: String(result.account.id), sv: result.account.sessionVersion };
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        // Keep only the account id, session version and this session's id (so signing out can end
        // it): role and status come from the database.
        if (user) return { sub: user.id, sv: (user as unknown as { sv: number }).sv, sid: newSessionId() };
        return { sub: token.sub, sv: (token as { sv?: number }).sv, sid: (token as { sid?: string }).sid };
      },
      async session({ session }) {
        return { expires: session.expires };
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
