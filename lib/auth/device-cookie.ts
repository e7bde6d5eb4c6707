import 'server-only';
import { cookies } from 'next/headers';
import { getEnv } from '@/lib/env';
import { rememberedDevicesAfterSignIn } from './known-device';
import { DEVICE_COOKIE_MAX_AGE_SECONDS } from './throttle-policy';

/**
 * The "known device" cookie (lib/auth/known-device.ts; issue 16 item 6): set after a completed
 * sign-in, read by the sign-in steps so the throttle can tell the owner's browser from everyone else.
 *
 * - HttpOnly (no script can read it), SameSite=Lax, Secure behind HTTPS (`__Secure-` prefix then),
 *   no Domain (our own host only), 1 year.
 * - Path `/sign-in`: it is sent only to the sign-in pages and their actions, which are the only
 *   places that read it — never with a public page, so it cannot link a reader's visits to an account.
 * - Sign-out keeps it: it is what lets the owner back in while someone else is guessing. Sign-out's
 *   `Clear-Site-Data: "storage"` leaves cookies alone (lib/auth/sign-out.ts); a browser's own
 *   "clear cookies" forgets the device, which then signs in like any new one.
 */
function isSecure(): boolean {
  return getEnv().NEXTAUTH_URL?.startsWith('https://') ?? false;
}

/** The cookie's name: `__Secure-fr.device` behind HTTPS, `fr.device` otherwise. */
export function deviceCookieName(): string {
  return isSecure() ? '__Secure-fr.device' : 'fr.device';
}

/** The path the cookie is sent to (the sign-in pages and their Server Actions). */
export const DEVICE_COOKIE_PATH = '/sign-in';

/** This browser's known-device cookie value, or null (Server Components, Actions and Route Handlers). */
export async function readDeviceCookie(): Promise<string | null> {
  return (await cookies()).get(deviceCookieName())?.value ?? null;
}

/**
 * Remember this browser for `codeName` after a completed sign-in: a fresh token for the name (the
 * browser's tokens for other names are kept, up to a few). Server Actions and Route Handlers only.
 */
export async function rememberDevice(codeName: string): Promise<void> {
  const jar = await cookies();
  const value = rememberedDevicesAfterSignIn(jar.get(deviceCookieName())?.value, codeName);
  jar.set(deviceCookieName(), value, { httpOnly: true, sameSite: 'lax', secure: isSecure(), path: DEVICE_COOKIE_PATH, maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS });
}
