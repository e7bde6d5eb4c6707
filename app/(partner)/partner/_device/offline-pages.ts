/**
 * What the partner's service worker (sw.ts) and pages agree on: which pages are kept for offline
 * use, where the worker lives, and the names of its messages and cache.
 */

/** The partner's home (their report list): the scope of the service worker, and its fallback. */
export const PARTNER_HOME = '/partner';

/** The pages kept for offline use, by path (no query): the report list and a new report. */
export const OFFLINE_PAGES: readonly string[] = [PARTNER_HOME, '/partner/reports/new'];

/** The service worker's script (served by app/(partner)/partner/serwist/[path]/route.ts). */
export const SERVICE_WORKER_PATH = '/partner/serwist/sw.js';

/** The Cache Storage cache of the build's own files (/_next/static/…: public, content-hashed). */
export const STATIC_CACHE = 'fr-static';

/** A page asks the worker to keep the offline pages and the files it loaded: `{ type, urls }`. */
export const WARM_MESSAGE = 'FR_WARM';

/**
 * A partner page as the device store keeps it: its HTML, the headers it needs, its client id, and
 * the absolute end of the session it was fetched in (UTC ms; lib/auth/session.ts sessionEndsAtMs).
 */
export type KeptPage = { html: string; headers: [string, string][]; clientId: string | null; sessionEndsAt: number };

/**
 * The cookie a live partner page sets for the worker (device-client.tsx): not HttpOnly, path
 * /partner, value the session's absolute end (UTC ms), expiring then. It holds no secret; it only
 * lets the worker see that this browser still holds the session (the session cookie is HttpOnly).
 * Clearing cookies, the session's lifetime running out and sign-out remove it.
 */
export const SESSION_MARK_COOKIE = 'fr.session-mark';

/**
 * Whether a kept page may be served offline (docs/security/device-copies.md "When the session
 * ends"):
 * - 'wipe' once `now` (UTC ms) is at or past `sessionEndsAt` (the page's session's absolute end),
 *   or when the session mark cookie is gone (`mark` null): the session is over on this browser;
 * - 'refuse' when the mark names another session (a newer sign-in whose pages are not kept yet);
 * - 'serve' otherwise. `mark` undefined means the browser cannot show the worker its cookies (no
 *   Cookie Store API in workers): then the absolute end alone decides.
 */
export function keptPageVerdict({ now, sessionEndsAt, mark }: { now: number; sessionEndsAt: unknown; mark: string | null | undefined }): 'serve' | 'refuse' | 'wipe' {
  if (typeof sessionEndsAt !== 'number' || !Number.isFinite(sessionEndsAt) || now >= sessionEndsAt) return 'wipe';
  if (mark === null) return 'wipe';
  if (mark !== undefined && Number(mark) !== sessionEndsAt) return 'refuse';
  return 'serve';
}

/** The device store's IndexedDB database (device-store.ts); here so that wipe.ts names it without loading the store. */
export const DEVICE_DB_NAME = 'fr-device';
