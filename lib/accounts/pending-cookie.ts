import 'server-only';
import { cookies } from 'next/headers';
import { getEnv } from '@/lib/env';
import { decodePendingSignIn, encodePendingSignIn, PENDING_MAX_AGE_SECONDS, type PendingSignIn } from './pending-sign-in';

/**
 * The pending-second-step cookie: HttpOnly, SameSite=Lax, Secure behind HTTPS, and sent only to
 * /sign-in and below (the code and enrolment pages post there).
 */
function cookieName(): string {
  return isSecure() ? '__Secure-fr.pending-sign-in' : 'fr.pending-sign-in';
}

function isSecure(): boolean {
  return getEnv().NEXTAUTH_URL?.startsWith('https://') ?? false;
}

/** Set the cookie for a pending step (Server Actions and Route Handlers only). */
export async function setPendingSignIn(pending: PendingSignIn): Promise<void> {
  (await cookies()).set(cookieName(), await encodePendingSignIn(pending), {
    httpOnly: true,
    sameSite: 'lax',
    secure: isSecure(),
    path: '/sign-in',
    maxAge: PENDING_MAX_AGE_SECONDS[pending.stage],
  });
}

/** The pending step of this browser, or null. */
export async function readPendingSignIn(): Promise<PendingSignIn | null> {
  return decodePendingSignIn((await cookies()).get(cookieName())?.value);
}

/** Drop the pending step (after success, or when starting over). */
export async function clearPendingSignIn(): Promise<void> {
  (await cookies()).set(cookieName(), '', { httpOnly: true, sameSite: 'lax', secure: isSecure(), path: '/sign-in', maxAge: 0 });
}
