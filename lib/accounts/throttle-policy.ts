/**
 * Sign-in throttling policy (docs/security/README.md: "Sign-in attempts slowed per username and per IP …
 * nobody can lock a legitimate user out for long"). Pure numbers, so README, tests and the
 * limiter agree. Failures are wrong passwords, unknown code names and wrong 2FA codes.
 *
 * - Per code name: 5 failures are free; after the 5th, each further failure makes the next attempt
 *   wait 15 s, 30 s, 60 s, 120 s, 240 s, then 300 s at most. The count starts again an hour after
 *   the first failure, and a completed sign-in clears it.
 * - Per IP address (hashed, never stored or logged in clear): 30 failures in 15 minutes are free
 *   (partners may share an address, e.g. a Tor exit); then 10 s, 20 s, 40 s … up to 300 s.
 */

export const NAME_FREE_FAILURES = 5;
export const NAME_WINDOW_SECONDS = 3600;
export const NAME_FIRST_DELAY_SECONDS = 15;

export const IP_FREE_FAILURES = 30;
export const IP_WINDOW_SECONDS = 15 * 60;
export const IP_FIRST_DELAY_SECONDS = 10;

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
