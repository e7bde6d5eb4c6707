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
 */
import { CacheFirst, Serwist, type RouteHandlerCallbackOptions } from 'serwist';
import { openDeviceStore, stopDeviceStore } from './device-store';
import { OFFLINE_PAGES, PARTNER_HOME, STATIC_CACHE, WARM_MESSAGE, type KeptPage } from './offline-pages';
import { WIPE_MESSAGE } from './wipe';

declare const self: ServiceWorkerGlobalScope;

const accountId = Number(new URL(self.location.href).searchParams.get('account'));
const store = Number.isSafeInteger(accountId) && accountId > 0 ? openDeviceStore(accountId) : Promise.resolve(null);
let isStopped = false;

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
  const html = await response.text();
  const headers: [string, string][] = [];
  for (const name of ['content-type', 'content-security-policy', 'content-language']) {
    const value = response.headers.get(name);
    if (value) headers.push([name, value]);
  }
  const clientId = path === '/partner/reports/new' ? (html.match(new RegExp(`name="clientId"[^>]*value="(${UUID.source})"`))?.[1] ?? html.match(new RegExp(`value="(${UUID.source})"[^>]*name="clientId"`))?.[1] ?? null) : null;
  const kept: KeptPage = { html, headers, clientId };
  await (await store)?.put('page', path, kept);
  await keepStaticFiles(staticFilesOf(html));
}

/** A kept page as a response; a new report gets a fresh client id (each one is a new report). */
async function keptPage(path: string): Promise<Response | null> {
  const record = await (await store)?.get<KeptPage>('page', path);
  if (!record) return null;
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
