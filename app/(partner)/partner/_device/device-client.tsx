'use client';

import { useEffect, useSyncExternalStore } from 'react';
import { SERVICE_WORKER_PATH, PARTNER_HOME, SESSION_MARK_COOKIE, WARM_MESSAGE } from './offline-pages';
import { countUnsentWorkOrAssume } from './unsent-work-count';
import { isWiped, wipeDevice } from './wipe';

/** The build files this page loaded (scripts, styles, lazy chunks), as paths. */
function loadedStaticFiles(): string[] {
  const paths = new Set<string>();
  for (const entry of performance.getEntriesByType('resource')) {
    const url = new URL(entry.name, window.location.href);
    if (url.origin === window.location.origin && url.pathname.startsWith('/_next/static/')) paths.add(url.pathname);
  }
  return [...paths];
}

/**
 * Sets the session mark cookie (offline-pages.ts SESSION_MARK_COOKIE) for the worker: this page
 * was served within a live session that ends at `sessionEndsAt` (UTC ms); the cookie ends with it.
 */
function markSession(sessionEndsAt: number): void {
  const secure = window.location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `${SESSION_MARK_COOKIE}=${sessionEndsAt}; Path=${PARTNER_HOME}; Expires=${new Date(sessionEndsAt).toUTCString()}; SameSite=Strict${secure}`;
}

async function registerServiceWorker(accountId: number, sessionEndsAt: number): Promise<void> {
  if (!('serviceWorker' in navigator) || isWiped() || !(sessionEndsAt > Date.now())) return;
  markSession(sessionEndsAt);
  const registration = await navigator.serviceWorker.register(`${SERVICE_WORKER_PATH}?account=${accountId}&until=${sessionEndsAt}`, { scope: PARTNER_HOME });
  if (isWiped()) {
    // The device was wiped while this registration was being made: it must not outlive the wipe.
    await registration.unregister();
    return;
  }
  // Not `navigator.serviceWorker.ready`: it follows the document's first URL, which is /sign-in
  // when a partner page was reached by a client-side navigation from there (out of scope).
  const worker = await activeWorker(registration);
  if (!isWiped()) worker.postMessage({ type: WARM_MESSAGE, urls: loadedStaticFiles() });
}

/** The registration's worker once it is active (at once when it already is). */
function activeWorker(registration: ServiceWorkerRegistration): Promise<ServiceWorker> {
  return new Promise((resolve) => {
    const pending = registration.installing ?? registration.waiting;
    if (!pending && registration.active) {
      resolve(registration.active);
      return;
    }
    const watch = (worker: ServiceWorker) =>
      worker.addEventListener('statechange', () => {
        if (worker.state === 'activated') resolve(worker);
      });
    if (pending) watch(pending);
    registration.addEventListener('updatefound', () => {
      if (registration.installing) watch(registration.installing);
    });
  });
}

function subscribeOnline(onChange: () => void): () => void {
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  return () => {
    window.removeEventListener('online', onChange);
    window.removeEventListener('offline', onChange);
  };
}

/**
 * The partner pages' device side, scripts on (a line saying the connection is gone, else no
 * markup): registers the service worker for the
 * /partner scope (offline pages, sw.ts) under this account and asks it to keep what a partner
 * needs offline, for this session only (`sessionEndsAt`: its absolute end, UTC ms; the worker
 * serves nothing kept after it, docs/security/device-copies.md); starts the outbox's runner
 * (outbox-runner.ts: reports submitted offline are sent when the connection returns); and wipes
 * the device before any sign-out form leaves the page — the quick exit
 * (`then=exit`) included — so the browser keeps nothing even where Clear-Site-Data is ignored. A
 * plain sign-out first asks when reports waiting to be sent or unsaved changes exist only on this
 * phone (unsent-work.ts); cancelled, nothing is wiped and the partner stays signed in.
 * Without service workers (Tor Browser's safest level) it registers nothing and says nothing.
 */
export function DeviceClient({
  accountId,
  ownerHint,
  sessionEndsAt,
  offlineText,
  signOutConfirmText,
}: {
  accountId: number;
  /** The account's owner hint (lib/reports/kept-post-owner.ts): the outbox sends under this account only. */
  ownerHint: string;
  sessionEndsAt: number;
  offlineText: string;
  /** Asked (window.confirm) before a plain sign-out deletes work kept only on this phone. */
  signOutConfirmText: string;
}) {
  const isOffline = useSyncExternalStore(subscribeOnline, () => !navigator.onLine, () => false);
  useEffect(() => {
    registerServiceWorker(accountId, sessionEndsAt).catch(() => undefined);
    // The outbox's runner, outside the first-load script. A page opened offline whose worker has
    // not kept the runner's file yet loads it when the connection returns (and sends then).
    let stopOutbox: (() => void) | null = null;
    let isUnmounted = false;
    const loadOutbox = () => {
      import('./outbox-runner')
        .then(({ startOutbox }) => {
          if (!isUnmounted && !isWiped() && !stopOutbox) stopOutbox = startOutbox(accountId, ownerHint);
        })
        .catch(() => window.addEventListener('online', loadOutbox, { once: true }));
    };
    loadOutbox();
    // Loaded now, while the connection is there, so a sign-out or wipe later can count what it
    // would delete even when the page was opened offline.
    void import('./unsent-work').catch(() => undefined);
    const onSubmit = (event: SubmitEvent) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || new URL(form.action, window.location.href).pathname !== '/sign-out') return;
      if (form.dataset.wiped === '1') return;
      event.preventDefault();
      // A second press while the first is still counting or wiping waits for it: never a sign-out
      // that skips the wipe.
      if (form.dataset.signingOut === '1') return;
      form.dataset.signingOut = '1';
      const isQuickExit = new FormData(form).get('then') === 'exit';
      void (async () => {
        // A plain sign-out asks before deleting work that exists only on this phone (unsent-work.ts);
        // the quick exit never asks.
        if (!isQuickExit) {
          if ((await countUnsentWorkOrAssume(accountId)) > 0 && !window.confirm(signOutConfirmText)) {
            delete form.dataset.signingOut;
            return;
          }
        }
        form.dataset.wiped = '1';
        await wipeDevice();
        form.submit();
      })();
    };
    document.addEventListener('submit', onSubmit, true);
    return () => {
      isUnmounted = true;
      stopOutbox?.();
      window.removeEventListener('online', loadOutbox);
      document.removeEventListener('submit', onSubmit, true);
    };
  }, [accountId, ownerHint, sessionEndsAt, signOutConfirmText]);
  return isOffline ? (
    <p role="status" className="notice warn">
      {offlineText}
    </p>
  ) : null;
}
