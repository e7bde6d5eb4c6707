/**
 * Wiping the device: every trace the partner's work left in this browser for this site — local
 * and session storage, every IndexedDB database (the device store and anything a library made),
 * every Cache Storage cache, and the service worker (told to stop keeping anything, then
 * unregistered). Used by "Wipe this device", the quick exit and sign-out (before the server's
 * Clear-Site-Data, which not every browser honours). It sits in the first-load script of every
 * partner page, with the device store's code, and works when nothing else could be loaded
 * (offline): a wipe never waits for a file from the network.
 */
import { stopDeviceStore } from './device-store';
import { DEVICE_DB_NAME, PARTNER_HOME, SESSION_MARK_COOKIE } from './offline-pages';

/** The message that tells the service worker to stop keeping anything and drop what it holds. */
export const WIPE_MESSAGE = 'FR_WIPE';

let wiped = false;

/** True once this page wiped the device: nothing may be registered or kept again from it. */
export function isWiped(): boolean {
  return wiped;
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    try {
      const req = indexedDB.deleteDatabase(name);
      req.onsuccess = () => resolve();
      req.onerror = () => resolve();
      // Blocked: another connection has not closed yet; success follows once it has.
    } catch {
      resolve();
    }
  });
}

/** Tells one worker to stop keeping anything; resolves when it says its caches are gone, or after `ms`. */
function stopWorker(worker: ServiceWorker, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(resolve, ms);
    channel.port1.onmessage = () => {
      clearTimeout(timer);
      resolve();
    };
    try {
      worker.postMessage({ type: WIPE_MESSAGE }, [channel.port2]);
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

async function wipeServiceWorkers(): Promise<void> {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  const registrations = await navigator.serviceWorker.getRegistrations();
  const workers = registrations.flatMap((registration) => [registration.active, registration.waiting, registration.installing]).filter((worker): worker is ServiceWorker => !!worker);
  // A worker may be writing a cache right now (a page it keeps, a build file): it answers once it
  // has stopped and dropped its caches, so the sweep below finds nothing coming back after it.
  await Promise.all(workers.map((worker) => stopWorker(worker, 1000)));
  await Promise.all(registrations.map((registration) => registration.unregister()));
}

async function deleteCaches(): Promise<void> {
  if (typeof caches === 'undefined') return;
  const names = await caches.keys().catch(() => [] as string[]);
  await Promise.all(names.map((name) => caches.delete(name).catch(() => false)));
}

async function wipeStores(): Promise<void> {
  try {
    localStorage.clear();
  } catch {
    // No storage here: nothing to clear.
  }
  try {
    sessionStorage.clear();
  } catch {
    // As above.
  }
  try {
    // The session mark for the worker (offline-pages.ts): nothing is kept any longer.
    document.cookie = `${SESSION_MARK_COOKIE}=; Path=${PARTNER_HOME}; Max-Age=0; SameSite=Strict`;
  } catch {
    // No document (a worker): nothing to clear.
  }
  await wipeServiceWorkers().catch(() => undefined);
  await deleteCaches();
  if (typeof indexedDB !== 'undefined' && indexedDB !== null) {
    // This page's connections close, and it opens none again (a late autosave or outbox read
    // would make the database anew), so the deletion below is not blocked. Imported statically:
    // a dynamic import asks the network for its chunk, and a wipe made offline (a checkpoint)
    // would then leave the page free to recreate the store (docs/decisions/0010-partner-device-copies.md).
    await stopDeviceStore().catch(() => undefined);
    const listed = typeof indexedDB.databases === 'function' ? await indexedDB.databases().catch(() => []) : [];
    const names = new Set([DEVICE_DB_NAME, ...listed.map((db) => db.name).filter((name): name is string => !!name)]);
    await Promise.all([...names].map(deleteDatabase));
  }
  // A second sweep: a registration that was still being made when the first one ran (the page had
  // just loaded) has finished by now, and whatever it or a worker wrote meanwhile goes too.
  await wipeServiceWorkers().catch(() => undefined);
  await deleteCaches();
}

/**
 * Removes everything this site keeps in this browser (see the module's comment). Resolves when
 * done, or after `timeoutMs` (a stuck deletion must not keep a partner at a checkpoint waiting);
 * never rejects. From then on {@link isWiped} is true for this page.
 */
export async function wipeDevice({ timeoutMs = 3000 }: { timeoutMs?: number } = {}): Promise<void> {
  wiped = true;
  await Promise.race([wipeStores().catch(() => undefined), new Promise<void>((resolve) => setTimeout(resolve, timeoutMs))]);
}
