import 'server-only';
import NextAuth from 'next-auth';
import { getNextAuthOptions } from './next-auth-options';
import { safeCallbackPath } from './roles';
import { signOutResponse } from './sign-out';

/**
 * A redirect target as a path on whatever host the browser used: `/api/auth/error?error=…` for
 * `https://reports.example.org/api/auth/error?error=…`. next-auth builds its redirects from
 * NEXTAUTH_URL (or its detected origin); reached through another host name (a second domain, an
 * onion address, a proxy forwarding another Host) such a Location leaves that host and is blocked
 * by the page's CSP `form-action 'self'`. Every next-auth redirect of this app points at our own
 * site (Credentials only; the redirect callback keeps callbackUrl on our origin), so its origin can
 * be dropped. A target whose path would read as another host ('//evil.example') becomes '/'.
 * @param location a Location header value (absolute URL or path)
 * @returns a path with query and fragment, starting with a single '/'
 */
export function relativeLocation(location: string): string {
  let url: URL;
  try {
    url = new URL(location, 'http://origin.invalid');
  } catch {
    return '/';
  }
  return (safeCallbackPath(url.pathname + url.search) ?? '/') + url.hash;
}

/**
 * Why a request to next-auth must be refused before next-auth sees it, or null when it may pass.
 * next-auth 4 puts the error code of `/api/auth/error?error=…` (or `/api/auth/error/…`) unencoded
 * into its redirect to our error page, and a header cannot hold non-Latin-1 text or a line break:
 * `?error=%FF` (which the URL parser reads as U+FFFD), `?error=%E2%82%AC` or `?error=a%0Ab` were
 * answered 500 (an attacker's trial, issue 16 item 11). Its own codes are plain words
 * ('CredentialsSignin', 'Configuration', 'SessionRequired'), so anything else is refused.
 * Every value is checked: with the parameter repeated (`?error=Configuration&error=%E2%82%AC`),
 * next-auth takes the last one and URLSearchParams.get the first.
 * (Paths whose escapes are not UTF-8 are refused earlier, by proxy.ts.)
 * @param url the request URL
 * @param nextauth the catch-all segments after /api/auth
 * @returns a short reason for a 400, or null
 */
export function malformedNextAuthRequest(url: URL, nextauth: string[]): string | null {
  if (nextauth[0] !== 'error') return null;
  const codes = [...url.searchParams.getAll('error'), ...nextauth.slice(1)];
  return codes.every((code) => /^[A-Za-z]{0,64}$/.test(code)) ? null : 'unknown error code';
}

/**
 * next-auth 4's App Router handler (session, CSRF token, Credentials callback, sign-out), with
 * three changes at its boundary:
 * - POST /api/auth/signout (and /signout/…, which next-auth routes alike) is the app's own sign-out (lib/auth/sign-out.ts signOutResponse):
 *   next-auth's would only delete the cookie and leave copies of the token alive
 *   (docs/security/README.md "Accounts and sessions": every way out ends the session);
 * - every redirect's Location is made relative ({@link relativeLocation});
 * - every answer is `Cache-Control: no-store`: each depends on the session or sets a cookie;
 * - a request next-auth would answer with 500 ({@link malformedNextAuthRequest}) gets a plain 400.
 * @param request the Route Handler's request
 * @param nextauth the catch-all segments after /api/auth (['session'], ['callback', 'credentials'], …)
 */
export async function handleNextAuth(request: Request, nextauth: string[]): Promise<Response> {
  const malformed = malformedNextAuthRequest(new URL(request.url), nextauth);
  if (malformed) {
    return new Response(`Malformed request: ${malformed}.`, { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
  }
  if (request.method === 'POST' && nextauth[0] === 'signout') return signOutResponse(request);
  const response: Response = await NextAuth(request as never, { params: { nextauth } } as never, getNextAuthOptions());
  const location = response.headers.get('location');
  if (location) response.headers.set('location', relativeLocation(location));
  response.headers.set('cache-control', 'no-store');
  return response;
}
