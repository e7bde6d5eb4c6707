import { NextResponse, type NextRequest } from 'next/server';
import { isSealed } from '@/lib/at-rest/keys';
import { MAX_TYPED_BACK_BYTES, renderSealedNotice, SEALED_RETRY_AFTER_SECONDS, typedFieldsOf, type TypedField } from '@/lib/at-rest/sealed-pages';
import { areaOfPath } from '@/lib/auth/roles';
import { resolveSession } from '@/lib/auth/session';
import { isCallOfAccount } from '@/lib/auth/tab-owner';
import { KEPT_OWNER_FIELD } from '@/lib/reports/owner-hint';
import { isSameOriginRequest } from '@/lib/http/origin';
import { PLAIN_PAGE_CSP } from '@/lib/http/plain-page';
import { isCacheablePublicPath, isOutsideScriptAreas, PUBLIC_PAGE_CSP } from '@/lib/http/public-pages';
import { markActionCall } from '@/lib/http/action-call-context';
import { checkContentLength, checkPath, inspectRequestBody, refusalResponse, type GuardVerdict } from '@/lib/http/request-guard';

/**
 * The cheap refusals of lib/http/request-guard.ts, before anything parses the request: a path
 * that does not percent-decode; for requests with a body, a declared size over the limit (before reading
 * it), then byte scans of the body Next.js has already buffered for this proxy (counts of fields
 * and parts, nesting, multipart framing, the size, values and JSON of a Server Action's
 * arguments). Also says whether a multipart post names a Server Action in its fields (a form sent
 * with scripts off): see {@link passedOn}.
 */
async function guardRequest(request: NextRequest): Promise<{ verdict: GuardVerdict; ownerHint?: string | null; namesServerAction: boolean }> {
  const path = checkPath(request.nextUrl.pathname);
  if (!path.ok || request.method === 'GET' || request.method === 'HEAD' || !request.body) return { verdict: path, namesServerAction: false };
  const declared = checkContentLength(request.headers.get('content-length'));
  if (!declared.ok) return { verdict: declared, namesServerAction: false };
  const body = Buffer.from(await request.clone().arrayBuffer());
  // The same scan finds the owner hint (isPostOfEndedSession): a second parse of the whole form
  // cost a submission about 4 % of its CPU (issue 20, budget 1a).
  const { verdict, namesServerAction, wantedValue } = inspectRequestBody(
    { contentType: request.headers.get('content-type') ?? '', isServerActionCall: request.headers.has('next-action') },
    body,
    KEPT_OWNER_FIELD,
  );
  return { verdict, ownerHint: wantedValue, namesServerAction };
}

/**
 * `response` (Next goes on to the page, action or route handler), after marking the request as a
 * Server Action call for the app's server when its body names one (lib/http/action-call-context.ts):
 * the server answers 400 instead of Next's 500 when such a call fails before any action ran
 * (React's decoder refused its arguments). Marked only here, as the last step before Next takes
 * over: an error of this proxy's own (a database read) must stay a 500 and be logged as an error —
 * marked earlier, its console.error was taken for the decoder's and dropped, and the partner got a
 * bare "Malformed Server Action call." (e2e/partner-session-ended.spec.ts, a failure seen once in
 * CI). Posts rewritten to the session-ended answer or refused here are never marked: no action runs.
 */
function passedOn(namesServerAction: boolean, response: NextResponse): NextResponse {
  if (namesServerAction) markActionCall();
  return response;
}

/**
 * The text a person just posted (a form sent with scripts off), to show back on the sealed notice;
 * nothing for other requests, bodies over MAX_TYPED_BACK_BYTES, or bodies that do not parse.
 */
async function typedFieldsOfPost(request: NextRequest): Promise<TypedField[]> {
  const type = request.headers.get('content-type') ?? '';
  const length = Number(request.headers.get('content-length') ?? 'NaN');
  const isForm = type.startsWith('multipart/form-data') || type.startsWith('application/x-www-form-urlencoded');
  if (request.method !== 'POST' || !isForm || !(length <= MAX_TYPED_BACK_BYTES)) return [];
  try {
    return typedFieldsOf(await request.formData());
  } catch {
    return [];
  }
}

/**
 * A form a person sent with scripts off: a POST of form data that is a top-level navigation
 * (Sec-Fetch-Mode `navigate`, or no such header from an older browser), not a Server Action call
 * made by React (Next-Action header) nor a script's upload (Sec-Fetch-Mode `cors`/`same-origin`),
 * which handle an ended session themselves.
 */
function isNoScriptFormPost(request: NextRequest): boolean {
  if (request.method !== 'POST' || request.headers.has('next-action')) return false;
  const mode = request.headers.get('sec-fetch-mode');
  if (mode && mode !== 'navigate') return false;
  const type = request.headers.get('content-type') ?? '';
  return type.startsWith('multipart/form-data') || type.startsWith('application/x-www-form-urlencoded');
}

/**
 * Paths answered with a stricter Content-Security-Policy than the app's, by path: the session-ended
 * page (app/(auth)/sign-in/kept/route.ts, no script at all; lib/http/plain-page.ts). A header a
 * Route Handler sets is replaced by the one set here (and by next.config.js's floor), so the
 * route's own policy is set here too.
 */
const STRICTER_CSP_OF_PATH: ReadonlyMap<string, string> = new Map([
  ['/sign-in/kept', PLAIN_PAGE_CSP],
  // The quick exit's neutral page (app/(public)/welcome/route.ts): no script at all.
  ['/welcome', PLAIN_PAGE_CSP],
]);

/**
 * Whether a no-script post is answered as one whose session has ended: its cookie stands for no
 * live session (read from the database), or the post comes from a page rendered for another
 * account than the session's — its owner hint (KEPT_OWNER_FIELD) is another's (a shared phone: a
 * tab of partner A still open after partner B signed in; lib/auth/tab-owner.ts). A post without a
 * hint is left to the page's action, which refuses it when it is a partner action (the header's
 * language switch carries none).
 */
async function isPostOfEndedSession(request: NextRequest, scannedHint: string | null | undefined): Promise<boolean> {
  const token = request.cookies.get('__Secure-fr.session')?.value ?? request.cookies.get('fr.session')?.value;
  const live = await resolveSession(token);
  if (!live) return true;
  // A multipart post's hint was found by the request guard's scan; another body is parsed here.
  let hint: FormDataEntryValue | null = scannedHint ?? null;
  if (scannedHint === undefined) {
    try {
      hint = (await request.clone().formData()).get(KEPT_OWNER_FIELD);
    } catch {
      return false;
    }
  }
  return hint !== null && !isCallOfAccount({ accountId: live.account.id, hint });
}

/**
 * Per-request Content-Security-Policy with a fresh nonce (Next.js applies it to its own scripts),
 * no-store for signed-in areas, and an early redirect to sign-in for visitors without a session
 * cookie; while the server is sealed, a 503 notice for everything but /unseal. This is never the
 * authorization check: every page, action and route handler checks the
 * account itself in the data layer (CVE-2025-29927).
 */
export async function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const isDev = process.env.NODE_ENV !== 'production';
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "manifest-src 'self'",
    "worker-src 'self'",
  ].join('; ');

  // Cross-site POSTs (Server Actions and forms) are refused before any work; Route Handlers
  // check again themselves.
  if (request.method !== 'GET' && request.method !== 'HEAD' && !isSameOriginRequest(request)) {
    return new NextResponse('Cross-site request refused.', { status: 403, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }

  // Hostile bodies and headers are refused in milliseconds, before the sealed notice reads a form
  // and before Next.js or an action parses anything (docs/security/README.md "Request limits").
  const { verdict: guard, ownerHint, namesServerAction } = await guardRequest(request);
  if (!guard.ok) return refusalResponse(guard);

  // Sealed (no data key yet): nothing is read or written; every request but the unseal page gets
  // the notice (docs/security/encryption-at-rest.md). Answered here, before any page or action
  // runs, so nothing can touch the database or the photo store.
  if (isSealed() && request.nextUrl.pathname !== '/unseal') {
    return new NextResponse(renderSealedNotice({ typed: await typedFieldsOfPost(request) }), {
      status: 503,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'retry-after': String(SEALED_RETRY_AFTER_SECONDS),
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      },
    });
  }

  const { pathname, search } = request.nextUrl;
  const area = areaOfPath(pathname);
  const hasSessionCookie = request.cookies.has('fr.session') || request.cookies.has('__Secure-fr.session');
  if (area && !hasSessionCookie && request.method === 'GET') {
    const url = request.nextUrl.clone();
    url.pathname = '/sign-in';
    url.search = `?callbackUrl=${encodeURIComponent(pathname + search)}`;
    // Next sends this as a path (same host as the request). Never cached: it holds only while this
    // browser has no session, and a reused one sent Back into a loop once another partner had
    // signed in on the same phone (docs/security/README.md "Accounts and sessions").
    const redirect = NextResponse.redirect(url, 303);
    redirect.headers.set('Cache-Control', 'private, no-store');
    return redirect;
  }

  // The script-free public pages, exports, feed and public photos (docs/decisions/0014-script-free-public-pages.md):
  // one static policy without a nonce, and the route handler's public caching headers — unless the
  // request carries a session cookie, whose answer no shared cache may store or serve. The same
  // policy for every other path outside the areas with scripts: a path the app does not know gets
  // the script-free not-found page (app/(public)/[...unknown]/route.ts).
  if (isCacheablePublicPath(pathname) || (isOutsideScriptAreas(pathname) && !STRICTER_CSP_OF_PATH.has(pathname))) {
    const response = passedOn(namesServerAction, NextResponse.next());
    response.headers.set('Content-Security-Policy', PUBLIC_PAGE_CSP);
    if (hasSessionCookie) response.headers.set('Cache-Control', 'private, no-store');
    return response;
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-fr-path', pathname + search);
  // Pages answering a form sent with scripts off render what the post needs rather than what a
  // visit would (the partner's edit page, app/(partner)/partner/reports/[id]/edit/page.tsx).
  requestHeaders.set('x-fr-method', request.method);

  // A form sent with scripts off from a partner page whose session has ended (expired, removed,
  // signed out elsewhere, password reset, deactivated), or that was rendered for another account
  // than the one now signed in on this browser: the page would redirect it to sign-in with
  // 307, which the browser re-posts there and loses everything typed. It goes, body and all, to
  // the session-ended answer instead (app/(auth)/sign-in/kept/route.ts): the text shown back and
  // kept for the next sign-in (docs/decisions/0009-posts-kept-across-sign-in.md). The session is
  // read from the database here only to choose that answer; the pages and actions still check it.
  if (area === 'partner' && isNoScriptFormPost(request) && (await isPostOfEndedSession(request, ownerHint))) {
    const url = request.nextUrl.clone();
    url.pathname = '/sign-in/kept';
    url.search = '';
    const rewrite = NextResponse.rewrite(url, { request: { headers: requestHeaders } });
    rewrite.headers.set('Cache-Control', 'private, no-store');
    return rewrite;
  }

  // With `Referrer-Policy: no-referrer`, browsers send `Origin: null` on plain form posts (scripts
  // off), which Next.js's Server Action check would refuse. The post has just passed the
  // same-origin check above (Sec-Fetch-Site), so name our own origin for it.
  if (request.method === 'POST' && request.headers.get('origin') === 'null' && request.headers.get('sec-fetch-site') === 'same-origin') {
    const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host') ?? request.nextUrl.host;
    const proto = request.headers.get('x-forwarded-proto') ?? request.nextUrl.protocol.replace(':', '');
    requestHeaders.set('origin', `${proto}://${host}`);
  }
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', csp);
  // The session-ended answer is a route handler, never a Server Action: a post rewritten there is not marked.
  const response = passedOn(namesServerAction && !STRICTER_CSP_OF_PATH.has(pathname), NextResponse.next({ request: { headers: requestHeaders } }));
  // The session-ended page keeps its own stricter policy (reached through the rewrite above, it
  // passes through here again under its own path).
  response.headers.set('Content-Security-Policy', STRICTER_CSP_OF_PATH.get(pathname) ?? csp);
  if (area || hasSessionCookie || pathname.startsWith('/sign-in')) {
    response.headers.set('Cache-Control', 'private, no-store');
  }
  return response;
}

// Every request but the build's static files passes through here, prefetches included: a header a
// client controls (Next-Router-Prefetch, Purpose: prefetch) must not skip the sealed notice, the
// cross-site refusal or the CSP.
export const config = {
  matcher: ['/((?!_next/static|favicon.ico).*)'],
};
