import 'server-only';
import { NextResponse } from 'next/server';
import { isSameOriginRequest } from '@/lib/http/origin';
import { getCurrentSession, getSessionCookieName, sessionCookieOptions } from './session';
import { recordSignOut } from './sign-in';

/** Where a sign-out lands: a path, never an absolute URL (see {@link signOutResponse}). */
export const SIGNED_OUT_PATH = '/sign-in?signedOut=1';

/**
 * The one way out, for every sign-out endpoint (the app's POST /sign-out and next-auth's own
 * POST /api/auth/signout): docs/security/README.md "Accounts and sessions" — "every way out ends
 * the session".
 * - Cross-site posts: 403, nothing changes (the same-origin check is the CSRF defence of both).
 * - Otherwise: this session's id is recorded in ended_sessions (lib/auth/sign-in.ts
 *   recordSignOut: every copy of the token is refused from now on), the session cookie is deleted
 *   (with the attributes it was set with, so a `__Secure-` cookie really goes), and the answer is
 *   303 to {@link SIGNED_OUT_PATH} with `Clear-Site-Data: "storage"` (drafts kept in the browser
 *   go) and `Cache-Control: no-store`.
 * The Location is relative: the browser stays on whatever host name it used (a second domain, an
 * onion address, a proxy forwarding another Host). A Location built from NEXTAUTH_URL or from
 * request.url names another host there, which the page's CSP `form-action 'self'` blocks, leaving
 * the signed-in page on screen.
 * @param request the POST (only its Origin / Sec-Fetch-Site headers are read; the session comes
 *   from the request's cookies)
 */
export async function signOutResponse(request: Request): Promise<Response> {
  if (!isSameOriginRequest(request)) {
    return new NextResponse('Cross-site request refused.', { status: 403, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
  }
  const session = await getCurrentSession();
  if (session) recordSignOut(session);
  const response = new NextResponse(null, {
    status: 303,
    headers: { location: SIGNED_OUT_PATH, 'clear-site-data': '"storage"', 'cache-control': 'no-store' },
  });
  response.cookies.set(getSessionCookieName(), '', { ...sessionCookieOptions(), maxAge: 0 });
  return response;
}
