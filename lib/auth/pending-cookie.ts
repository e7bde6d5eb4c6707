import 'server-only';
import { cookies } from 'next/headers';
import { getEnv } from '@/lib/env';
import { decodePendingSignIn, encodePendingSignIn, PENDING_MAX_AGE_SECONDS, type NewPendingSignIn, type PendingSignIn } from './pending-sign-in';

/**
 * Cookies holding a pending second step (lib/auth/pending-sign-in.ts): HttpOnly, SameSite=Lax,
 * Secure behind HTTPS, and sent only below the path that uses them — 'sign-in' (/sign-in: the code
 * and enrolment steps of signing in) or 'account' (/account: a signed-in person setting up
 * two-step sign-in from their settings).
 */
export type PendingScope = 'sign-in' | 'account';

function isSecure(): boolean {
  return getEnv().NEXTAUTH_URL?.startsWith('https://') ?? false;
}

function cookieName(scope: PendingScope): string {
  const name = scope === 'sign-in' ? 'fr.pending-sign-in' : 'fr.pending-enrolment';
  return isSecure() ? `__Secure-${name}` : name;
}

function cookieOptions(scope: PendingScope, maxAge: number) {
  return { httpOnly: true, sameSite: 'lax' as const, secure: isSecure(), path: scope === 'sign-in' ? '/sign-in' : '/account', maxAge };
}

/** Set the cookie for a new pending step (Server Actions and Route Handlers only). */
export async function setPendingSignIn(pending: NewPendingSignIn, scope: PendingScope = 'sign-in'): Promise<void> {
  (await cookies()).set(cookieName(scope), await encodePendingSignIn(pending), cookieOptions(scope, PENDING_MAX_AGE_SECONDS[pending.stage]));
}

/** The pending step of this browser, or null. */
export async function readPendingSignIn(scope: PendingScope = 'sign-in'): Promise<PendingSignIn | null> {
  return decodePendingSignIn((await cookies()).get(cookieName(scope))?.value);
}

/** Drop the pending step (after success, or when starting over). */
export async function clearPendingSignIn(scope: PendingScope = 'sign-in'): Promise<void> {
  (await cookies()).set(cookieName(scope), '', cookieOptions(scope, 0));
}
