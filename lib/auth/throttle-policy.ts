/**
 * Sign-in throttling policy (docs/security/README.md "Accounts and sessions": sign-in is slowed
 * per code name and per address in a way that does not let an attacker lock a real user out;
 * issue 16 item 6, after OWASP's "Slow Down Online Guessing Attacks with Device Cookies"). Pure
 * numbers, so README, tests and the limiter agree. Failures are wrong passwords, unknown code names
 * and wrong two-step codes.
 *
 * - A known device (a browser that completed a sign-in as this code name and shows its signed
 *   device cookie) is judged only by its own failures: 10 in an hour put that one cookie on the
 *   lockout list for an hour, during which it counts as an unknown client. No one else's failures
 *   ever slow it, so nobody can lock the owner out of a browser they signed in from before.
 * - Every other client:
 *   - per code name (all unknown clients together): 5 failures are free; after the 5th, each further
 *     failure makes the next attempt wait 15 s, 30 s, 60 s, 120 s, 240 s, then 300 s at most. The
 *     count starts again an hour after the first failure, and a completed sign-in from an unknown
 *     client clears it;
 *   - per code name and address: the same numbers, so an attacker's own address stays slowed even
 *     after the owner's sign-in cleared the per-name count;
 *   - per address (hashed, never stored or logged in clear): 30 failures in 15 minutes are free
 *     (partners may share an address, e.g. a Tor exit); then 10 s, 20 s, 40 s … up to 300 s.
 * - Attempts are counted when they begin and give their count back unless they fail
 *   (lib/auth/throttle.ts), so "N failures free" holds for simultaneous attempts too: no more
 *   than N can be on their way to the password check at once.
 */

export const NAME_FREE_FAILURES = 5;
export const NAME_WINDOW_SECONDS = 3600;
export const NAME_FIRST_DELAY_SECONDS = 15;

export const IP_FREE_FAILURES = 30;
export const IP_WINDOW_SECONDS = 15 * 60;
export const IP_FIRST_DELAY_SECONDS = 10;

/** Failures a known device may make in DEVICE_WINDOW_SECONDS before it counts as unknown. */
export const DEVICE_MAX_FAILURES = 10;
export const DEVICE_WINDOW_SECONDS = 3600;
/** How long a device that failed DEVICE_MAX_FAILURES times stays on the lockout list, in seconds. */
export const DEVICE_LOCKOUT_SECONDS = 3600;
/** Lifetime of the known-device cookie and of the tokens in it, in seconds (1 year). */
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 3600;
/** Code names one browser is remembered for at once (a phone shared by a few partners). */
export const DEVICES_PER_COOKIE = 4;

/** The longest any single wait can be, in seconds (5 minutes). */
export const MAX_DELAY_SECONDS = 300;

/**
 * Seconds the next attempt must wait after `failures` failures in the window (0 = no wait).
 * @param failures failures counted so far, including the one just made
 */
export function delayAfterFailures(failures: number, { free, firstDelay }: { free: number; firstDelay: number }): number {
  if (failures < free) return 0;
  return Math.min(firstDelay * 2 ** (failures - free), MAX_DELAY_SECONDS);
}
