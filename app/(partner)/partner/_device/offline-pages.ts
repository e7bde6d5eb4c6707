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

/** A partner page as the device store keeps it: its HTML, the headers it needs, its client id. */
export type KeptPage = { html: string; headers: [string, string][]; clientId: string | null };
