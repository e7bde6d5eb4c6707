import { NextResponse } from 'next/server';
import { endSession, getCurrentSession } from '@/lib/auth/session';
import { recordSignOut } from '@/lib/auth/sign-in';
import { isSameOriginRequest } from '@/lib/http/origin';

/**
 * Sign out (POST only; a plain form works without scripts). Ends this session for good (its id is
 * recorded, so a copy of the token is refused too), deletes the session cookie and sends
 * `Clear-Site-Data: "storage"` so the browser drops locally kept drafts of this account.
 * Cross-site posts are refused with 403.
 */
export async function POST(request: Request) {
  if (!isSameOriginRequest(request)) return new NextResponse('Cross-site request refused.', { status: 403 });
  const session = await getCurrentSession();
  if (session) recordSignOut(session);
  await endSession();
  const response = NextResponse.redirect(new URL('/sign-in?signedOut=1', request.url), 303);
  response.headers.set('Clear-Site-Data', '"storage"');
  response.headers.set('Cache-Control', 'no-store');
  return response;
}
