/// <reference lib="webworker" />
/**
 * The partner's service worker (Serwist), built by esbuild into /partner/serwist/sw.js
 * (../serwist/[path]/route.ts) and registered by device-client.tsx for the scope /partner only:
 * public pages, sign-in and the editors' pages are never controlled, so nothing here can make
 * them stale. What it does (docs/security/device-copies.md):
 * - Partner pages are always asked of the network first. The two a partner needs offline — their
 *   report list (/partner) and a new report (/partner/reports/new) — are kept in the device store,
 *   encrypted with the account's key, under the account the worker was registered for (its URL's
 *   `account`); never in Cache Storage, never for another account. With no connection they are
 *   served from there (a new report with a fresh client id each time); any other partner page
 *   sends the partner to the list as last seen.
 * - The build's own files (/_next/static/…: content-hashed, public, the same for everyone) are
 *   kept in Cache Storage, cache first, so the kept pages run offline.
 * - Everything else (Server Actions, router fetches, photos, other origins) goes to the network
 *   untouched.
 * - On "wipe" it stops keeping anything and drops its caches; the page then unregisters it.
 * - It does not outlive the session (docs/security/device-copies.md "When the session ends"): each
 *   kept page carries the session's absolute end (its URL's `until`, UTC ms), and offline a page is
 *   served only before then and while the page's session mark cookie is there
 *   (offline-pages.ts keptPageVerdict); past it, or once a partner page online is sent to sign-in,
 *   the worker deletes the kept pages and its caches and unregisters itself.
 */
import { CacheFirst, Serwist, type RouteHandlerCallbackOptions } from 'serwist';
import { openDeviceStore, stopDeviceStore } from './device-store';
import { keptPageVerdict, OFFLINE_PAGES, PARTNER_HOME, SESSION_MARK_COOKIE, STATIC_CACHE, WARM_MESSAGE, type KeptPage } from './offline-pages';
import { WIPE_MESSAGE } from './wipe';

declare const self: ServiceWorkerGlobalScope;

const params = new URL(self.location.href).searchParams;
const accountId = Number(params.get('account'));
/** The absolute end of the session this worker was registered in (UTC ms), or NaN. */
const sessionEndsAt = Number(params.get('until'));
const store = Number.isSafeInteger(accountId) && accountId > 0 ? openDeviceStore(accountId) : Promise.resolve(null);
let isStopped = false;

/**
 * The session ended on this browser: the kept pages, every cache and the worker's registration go,
 * so no page of the partner's is served again, offline or not. The partner's unsaved work (form
 * copies, the outbox) stays, encrypted: no page shows it without a live session, and it comes back
 * at this partner's next sign-in (docs/security/device-copies.md "When the session ends").
 */
async function forgetDevice(): Promise<void> {
  if (isStopped) return;
  isStopped = true;
  const kept = await store;
  for (const path of OFFLINE_PAGES) await kept?.remove('page', path);
  for (const name of await caches.keys()) await caches.delete(name).catch(() => false);
  await self.registration.unregister().catch(() => false);
}

/** True when a response (followed) ended on the sign-in page: this browser's session is over. */
function isSignIn(response: Response): boolean {
  return response.redirected && new URL(response.url).pathname.startsWith('/sign-in');
}

/**
 * The session mark cookie's value (offline-pages.ts SESSION_MARK_COOKIE), null when it is gone,
 * undefined where workers cannot read cookies (no Cookie Store API).
 */
async function sessionMark(): Promise<string | null | undefined> {
  const cookieStore = (self as unknown as { cookieStore?: { get: (name: string) => Promise<{ value?: string } | null> } }).cookieStore;
  if (!cookieStore) return undefined;
  try {
    return (await cookieStore.get(SESSION_MARK_COOKIE))?.value ?? null;
  } catch {
    return null;
  }
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** The build files a page names (scripts, styles), to keep beside it. */
function staticFilesOf(html: string): string[] {
  return [...new Set([...html.matchAll(/["'](\/_next\/static\/[^"'?#\s]+)["']/g)].map((m) => m[1]).filter((u): u is string => !!u))];
}

async function keepStaticFiles(urls: string[]): Promise<void> {
  if (isStopped || urls.length === 0) return;
  const cache = await caches.open(STATIC_CACHE);
  for (const url of urls) {
    if (isStopped) return;
    if (await cache.match(url)) continue;
    await cache.add(url).catch(() => undefined);
  }
  // Stopped while writing: what was just written goes as well.
  if (isStopped) await caches.delete(STATIC_CACHE);
}

/** Keeps a partner page fetched from the network (200, not redirected, HTML), encrypted. */
async function keepPage(path: string, response: Response): Promise<void> {
  const type = response.headers.get('content-type') ?? '';
  if (isStopped || response.status !== 200 || response.redirected || !type.startsWith('text/html')) return;
  if (!(sessionEndsAt > Date.now())) return;
  const html = await response.text();
  const headers: [string, string][] = [];
  for (const name of ['content-type', 'content-security-policy', 'content-language']) {
    const value = response.headers.get(name);
    if (value) headers.push([name, value]);
  }
  const clientId = path === '/partner/reports/new' ? (html.match(new RegExp(`name="clientId"[^>]*value="(${UUID.source})"`))?.[1] ?? html.match(new RegExp(`value="(${UUID.source})"[^>]*name="clientId"`))?.[1] ?? null) : null;
  const kept: KeptPage = { html, headers, clientId, sessionEndsAt };
  // The session may have been found over while the page was read (forgetDevice): keep nothing.
  if (isStopped) return;
  await (await store)?.put('page', path, kept);
  await keepStaticFiles(staticFilesOf(html));
}

/** A kept page as a response; a new report gets a fresh client id (each one is a new report). */
async function keptPage(path: string): Promise<Response | null> {
  const record = await (await store)?.get<KeptPage>('page', path);
  if (!record) return null;
  const verdict = keptPageVerdict({ now: Date.now(), sessionEndsAt: record.value.sessionEndsAt, mark: await sessionMark() });
  if (verdict === 'wipe') await forgetDevice();
  if (verdict !== 'serve') return null;
  const { html, headers, clientId } = record.value;
  const body = clientId ? html.split(clientId).join(crypto.randomUUID()) : html;
  // x-fr-kept-page tells a reader (and the tests) that this answer came from the device, not the server.
  return new Response(body, { status: 200, headers: [...headers, ['cache-control', 'no-store'], ['x-fr-kept-page', '1']] });
}

/** Partner navigations: network first; offline, the kept page or the list as last seen. */
async function handleNavigation({ request, url, event }: RouteHandlerCallbackOptions): Promise<Response> {
  const path = url.pathname;
  const isKept = OFFLINE_PAGES.includes(path) && url.search === '';
  try {
    const response = await fetch(request);
    // A navigation's redirect is opaque to the worker: where it goes is asked again, followed. A
    // partner page sent to sign-in means the session is over (lapsed, ended elsewhere, account
    // deactivated): nothing is kept any longer.
    if (response.type === 'opaqueredirect' && request.method === 'GET' && !isStopped) {
      (event as ExtendableEvent).waitUntil(
        (async () => {
          const probe = await fetch(url.href, { credentials: 'same-origin', redirect: 'follow', cache: 'no-store' }).catch(() => null);
          await probe?.body?.cancel().catch(() => undefined);
          if (probe && isSignIn(probe)) await forgetDevice();
        })(),
      );
    }
    if (isKept && !isStopped) (event as ExtendableEvent).waitUntil(keepPage(path, response.clone()).catch(() => undefined));
    return response;
  } catch (error) {
    if (isStopped) throw error;
    const kept = await keptPage(isKept ? path : PARTNER_HOME);
    if (kept && isKept) return kept;
    if (kept) return Response.redirect(PARTNER_HOME, 303);
    throw error;
  }
}

const serwist = new Serwist({
  skipWaiting: true,
  clientsClaim: true,
  runtimeCaching: [
    {
      matcher: ({ request, url, sameOrigin }) => sameOrigin && request.mode === 'navigate' && (url.pathname === PARTNER_HOME || url.pathname.startsWith(`${PARTNER_HOME}/`)),
      handler: handleNavigation,
    },
    {
      matcher: ({ url, sameOrigin }) => !isStopped && sameOrigin && url.pathname.startsWith('/_next/static/'),
      // Once stopped (wiped), nothing more is written, even by a fetch already under way.
      handler: new CacheFirst({ cacheName: STATIC_CACHE, plugins: [{ cacheWillUpdate: async ({ response }) => (isStopped ? null : response) }] }),
    },
  ],
});

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  const data = event.data as { type?: unknown; urls?: unknown } | null;
  if (data?.type === WIPE_MESSAGE) {
    isStopped = true;
    // The page waits for this answer (wipe.ts) before it sweeps the caches itself.
    const [reply] = event.ports;
    event.waitUntil(
      (async () => {
        await stopDeviceStore();
        for (const name of await caches.keys()) await caches.delete(name);
        reply?.postMessage({ type: WIPE_MESSAGE, done: true });
      })(),
    );
  } else if (data?.type === WARM_MESSAGE && Array.isArray(data.urls) && !isStopped) {
    // A partner page asks for the pages and files it needs offline (it may have loaded before
    // this worker controlled it).
    const urls = data.urls.filter((u): u is string => typeof u === 'string' && u.startsWith('/'));
    event.waitUntil(
      (async () => {
        await keepStaticFiles(urls.filter((u) => u.startsWith('/_next/static/')));
        for (const path of OFFLINE_PAGES) {
          if (isStopped) return;
          const response = await fetch(path, { credentials: 'same-origin', redirect: 'follow' }).catch(() => null);
          if (response && isSignIn(response)) {
            await forgetDevice();
            return;
          }
          if (response) await keepPage(path, response).catch(() => undefined);
        }
      })(),
    );
  }
});

// On activation, caches of an earlier build or worker that are not ours go.
self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== STATIC_CACHE) await caches.delete(name);
    })(),
  );
});

serwist.addEventListeners();
