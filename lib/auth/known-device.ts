import 'server-only';
import crypto from 'node:crypto';
import { getAuthSecret } from '@/lib/env';
import { DEVICE_COOKIE_MAX_AGE_SECONDS, DEVICES_PER_COOKIE } from './throttle-policy';

/**
 * Device tokens: what the "known device" cookie holds (issue 16 item 6; docs/security/README.md
 * "Accounts and sessions"; the design is OWASP's "Slow Down Online Guessing Attacks with Device
 * Cookies"). A browser that completed a sign-in (password and, when enrolled, the second step)
 * gets one; sign-in attempts for that code name from it are then judged by its own failures only,
 * so failures others make against the name never lock its owner out (lib/auth/throttle.ts).
 *
 * A token is `<name>.<device>.<issued>.<mac>`:
 * - name: a keyed digest (HMAC-SHA256, 128 bits) of the code name, lower-cased — the cookie never
 *   names the account, and a copy of it reveals nothing without NEXTAUTH_SECRET;
 * - device: 128 random bits, this browser's id for the lockout list (only its keyed hash is stored);
 * - issued: seconds since 1970 (UTC); older than DEVICE_COOKIE_MAX_AGE_SECONDS, it is refused;
 * - mac: HMAC-SHA256 of the rest, under a key derived from NEXTAUTH_SECRET like the throttle's.
 * A cookie holds up to DEVICES_PER_COOKIE tokens joined by `~` (a phone shared by a few partners).
 */

/** A token that verified: its device id and name digest. */
export type KnownDevice = { deviceId: string; nameDigest: string; issuedAtMs: number };

const TOKEN = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;
/** The longest cookie value read: a few tokens, never an unbounded parse. */
const MAX_COOKIE_LENGTH = 1024;
/** Clock skew tolerated for an issue time in the future (another server's clock), in seconds. */
const FUTURE_SKEW_SECONDS = 300;

function deviceKey(): Buffer {
  return crypto.createHash('sha256').update(`${getAuthSecret()}\0sign-in-device`).digest();
}

function hmac(label: string, value: string): Buffer {
  return crypto.createHmac('sha256', deviceKey()).update(`${label}\0${value}`).digest();
}

/** The keyed digest of a code name as tokens carry it (case and Unicode form do not matter). */
export function deviceNameDigest(codeName: string): string {
  return hmac('name', codeName.normalize('NFC').trim().toLowerCase()).subarray(0, 16).toString('base64url');
}

/**
 * A new token for a browser that just completed a sign-in as `codeName`.
 * @param nowMs issue time (UTC ms; default now)
 */
export function newDeviceToken(codeName: string, nowMs = Date.now()): string {
  const payload = `${deviceNameDigest(codeName)}.${crypto.randomBytes(16).toString('base64url')}.${Math.floor(nowMs / 1000)}`;
  return `${payload}.${hmac('mac', payload).toString('base64url')}`;
}

/** Verify one token: well formed, signed with our key, issued less than a year ago and not in the future. */
function verifyToken(token: string, nowMs: number): KnownDevice | null {
  const match = TOKEN.exec(token);
  if (!match) return null;
  const [, nameDigest, deviceId, issued, mac] = match as unknown as [string, string, string, string, string];
  // Compared as text: a decoder would ignore the last character's two spare bits, so 'A' and 'B'
  // there would pass as the same signature.
  const expected = Buffer.from(hmac('mac', `${nameDigest}.${deviceId}.${issued}`).toString('base64url'));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  const issuedAtMs = Number(issued) * 1000;
  if (issuedAtMs > nowMs + FUTURE_SKEW_SECONDS * 1000 || nowMs - issuedAtMs > DEVICE_COOKIE_MAX_AGE_SECONDS * 1000) return null;
  return { deviceId, nameDigest, issuedAtMs };
}

/** The tokens of a cookie value, unverified (at most DEVICES_PER_COOKIE, bounded length). */
function tokensOf(cookieValue: string | null | undefined): string[] {
  if (!cookieValue || cookieValue.length > MAX_COOKIE_LENGTH) return [];
  return cookieValue.split('~').slice(0, DEVICES_PER_COOKIE);
}

/**
 * The known device this cookie proves for `codeName`, or null: no cookie, a forged or altered
 * one, an expired one, or one issued for another code name all count as no cookie.
 * @param cookieValue the raw cookie value (lib/auth/device-cookie.ts)
 */
export function knownDeviceFor(cookieValue: string | null | undefined, codeName: string, nowMs = Date.now()): KnownDevice | null {
  const tokens = tokensOf(cookieValue);
  if (tokens.length === 0) return null;
  const name = deviceNameDigest(codeName);
  for (const token of tokens) {
    const device = verifyToken(token, nowMs);
    if (device && device.nameDigest === name) return device;
  }
  return null;
}

/**
 * The cookie value after a completed sign-in as `codeName`: a fresh token for this name first,
 * then the browser's valid tokens for other names (newest first, DEVICES_PER_COOKIE at most).
 * Forged, expired and older tokens for the same name are dropped.
 */
export function rememberedDevicesAfterSignIn(cookieValue: string | null | undefined, codeName: string, nowMs = Date.now()): string {
  const name = deviceNameDigest(codeName);
  const others = tokensOf(cookieValue).filter((token) => {
    const device = verifyToken(token, nowMs);
    return device !== null && device.nameDigest !== name;
  });
  return [newDeviceToken(codeName, nowMs), ...others].slice(0, DEVICES_PER_COOKIE).join('~');
}
