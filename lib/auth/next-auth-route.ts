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

/** Printable ASCII without space: what a browser sends of a URL (everything else percent-encoded). */
const PRINTABLE_URL = /^[\x21-\x7e]{1,2048}$/;

/**
 * True when a callbackUrl may reach next-auth: a same-site path ({@link safeCallbackPath}: a single
 * leading '/', no backslash, no control characters, not reading as another host), or an absolute
 * http(s) URL whose host is the request's own (`Host`) or NEXTAUTH_URL's — next-auth's client sends
 * `window.location.href` by default; behind a TLS proxy the scheme the app sees may differ from the
 * browser's, so the host is what is compared. Either way only printable ASCII (a browser
 * percent-encodes the rest), at most 2,048 characters. An empty value is next-auth's "none".
 * next-auth copies the value into a Location header or a cookie, and answered `€`, `a\nb` or
 * `x\r\ny` with 500 and an error-level log line holding it (an attacker's retest, issue 16).
 * @param value one callbackUrl value as decoded from the query or the body
 * @param ownHosts the hosts (`host[:port]`) an absolute URL may name
 */
export function isAcceptableCallbackUrl(value: string, ownHosts: readonly string[]): boolean {
  if (value === '') return true;
  if (!PRINTABLE_URL.test(value)) return false;
  if (value.startsWith('/')) return safeCallbackPath(value) !== null;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '' && ownHosts.includes(url.host.toLowerCase());
  } catch {
    return false;
  }
}

/** The hosts an absolute callbackUrl may name: the request's Host and NEXTAUTH_URL's. */
function ownHostsOf(request: Request): string[] {
  const hosts = [request.headers.get('host'), new URL(request.url).host];
  try {
    if (process.env.NEXTAUTH_URL) hosts.push(new URL(process.env.NEXTAUTH_URL).host);
  } catch {
    // An unparsable NEXTAUTH_URL names no host (the start-up check reports it).
  }
  return hosts.filter((host): host is string => Boolean(host)).map((host) => host.toLowerCase());
}

/**
 * Why a request's callbackUrl values (every one in the query; in a POST body the way next-auth
 * reads it: url-encoded fields, or a JSON object) must be refused, or null. A JSON body that does
 * not parse is refused too: next-auth's `req.json()` throws and it answers 500.
 * @param request the Route Handler's request (its body is read from a clone)
 */
export async function malformedCallbackUrl(request: Request): Promise<string | null> {
  const url = new URL(request.url);
  const hosts = ownHostsOf(request);
  const values = url.searchParams.getAll('callbackUrl');
  if (request.method === 'POST' && request.body) {
    const type = request.headers.get('content-type') ?? '';
    if (type.includes('application/json')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(await request.clone().text());
      } catch {
        return 'body is not JSON';
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return 'body is not a JSON object';
      const value = (parsed as { callbackUrl?: unknown }).callbackUrl;
      if (value !== undefined && typeof value !== 'string') return 'callbackUrl is not a URL';
      if (typeof value === 'string') values.push(value);
    } else if (type.includes('application/x-www-form-urlencoded')) {
      values.push(...new URLSearchParams(await request.clone().text()).getAll('callbackUrl'));
    }
  }
  return values.every((value) => isAcceptableCallbackUrl(value, hosts)) ? null : 'callbackUrl is not a path or URL of this site';
}

/**
 * next-auth 4's App Router handler (session, CSRF token, Credentials callback, sign-out), with
 * three changes at its boundary:
 * - POST /api/auth/signout (and /signout/…, which next-auth routes alike) is the app's own sign-out (lib/auth/sign-out.ts signOutResponse):
 *   next-auth's would only delete the cookie and leave copies of the token alive
 *   (docs/security/README.md "Accounts and sessions": every way out ends the session);
 * - every redirect's Location is made relative ({@link relativeLocation});
 * - every answer is `Cache-Control: no-store`: each depends on the session or sets a cookie;
 * - a request next-auth would answer with 500 gets a plain 400: an error code that is not a plain
 *   word ({@link malformedNextAuthRequest}), a callbackUrl that is not a path or URL of this site
 *   ({@link malformedCallbackUrl});
 * - GET or HEAD on a provider callback (`/api/auth/callback/credentials`: next-auth threw
 *   "Callback for provider type credentials not supported", a 500) is 405 with `Allow: POST`: the
 *   app's only provider is Credentials, whose callback takes a POST.
 * @param request the Route Handler's request
 * @param nextauth the catch-all segments after /api/auth (['session'], ['callback', 'credentials'], …)
 */
export async function handleNextAuth(request: Request, nextauth: string[]): Promise<Response> {
  if (nextauth[0] === 'callback' && request.method !== 'POST') {
    return new Response('Method not allowed: a sign-in callback takes a POST.', { status: 405, headers: { allow: 'POST', 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
  }
  const malformed = malformedNextAuthRequest(new URL(request.url), nextauth) ?? (await malformedCallbackUrl(request));
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
