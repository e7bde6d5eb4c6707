import 'server-only';
import { NextResponse } from 'next/server';
import { isSameOriginRequest } from '@/lib/http/origin';
import { getCurrentSession, getSessionCookieName, sessionCookieOptions } from './session';
import { recordSignOut } from './sign-in';

/** Where a sign-out lands: a path, never an absolute URL (see {@link signOutResponse}). */
export const SIGNED_OUT_PATH = '/sign-in?signedOut=1';

/**
 * Where the quick exit lands: a page that looks like nothing in particular (app/(public)/welcome),
 * under a name that says nothing of the site (docs/security/device-copies.md "Quick exit").
 */
export const NEUTRAL_PATH = '/welcome';

/** The posted field that makes a sign-out the quick exit: `then=exit`. */
async function isQuickExit(request: Request): Promise<boolean> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data')) return false;
  try {
    return (await request.formData()).get('then') === 'exit';
  } catch {
    return false;
  }
}

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
 * - The quick exit (a form posting `then=exit`): the same, but 303 to {@link NEUTRAL_PATH} and
 *   `Clear-Site-Data: "storage", "cache"` (pages kept by the HTTP cache and Back go too). The
 *   partner pages wipe the device themselves first (app/(partner)/partner/_device/wipe.ts), for
 *   browsers that ignore the header.
 * The Location is relative: the browser stays on whatever host name it used (a second domain, an
 * onion address, a proxy forwarding another Host). A Location built from NEXTAUTH_URL or from
 * request.url names another host there, which the page's CSP `form-action 'self'` blocks, leaving
 * the signed-in page on screen.
 * @param request the POST (its Origin / Sec-Fetch-Site headers and a posted `then` field are read;
 *   the session comes from the request's cookies)
 */
export async function signOutResponse(request: Request): Promise<Response> {
  if (!isSameOriginRequest(request)) {
    return new NextResponse('Cross-site request refused.', { status: 403, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
  }
  const session = await getCurrentSession();
  if (session) recordSignOut(session);
  const exit = await isQuickExit(request);
  const response = new NextResponse(null, {
    status: 303,
    headers: { location: exit ? NEUTRAL_PATH : SIGNED_OUT_PATH, 'clear-site-data': exit ? '"storage", "cache"' : '"storage"', 'cache-control': 'no-store' },
  });
  response.cookies.set(getSessionCookieName(), '', { ...sessionCookieOptions(), maxAge: 0 });
  return response;
}
