/**
 * The device's copy of a report form, kept while a change is not yet saved on the server —
 * offline, or after the session expired — and offered back to the server when the form opens
 * again. Kept in the encrypted device store (../../_device/device-store.ts: IndexedDB, AES-GCM
 * with the account's non-extractable key), as records of kind 'draft' keyed by the form's client
 * id, under the signed-in account: one account never sees another's copy on a shared device, and
 * sign-out, "Wipe this device" and the quick exit delete them all (docs/security/device-copies.md).
 *
 * Where the device cannot keep an encrypted store (no IndexedDB or WebCrypto: Tor Browser at its
 * safest level, some private modes) nothing is kept: every call resolves and does nothing, and the
 * form saves to the server as before. Copies an earlier version kept in localStorage, in the clear
 * (`fr.report-draft.<account>.<clientId>`), are moved into the store the first time it opens and
 * removed (another account's are removed unread); without a store they are still read, never written.
 *
 * Calls run one after another in the order made (a copy kept and then forgotten is never put back
 * by a slower write). Browser-only; no call ever rejects.
 */
import type { ReportFormValues } from '@/lib/reports/form-values';
import { openDeviceStore, type DeviceStore } from '../../_device/device-store';

/** One kept copy: the values and when they were kept (ms, the device's clock). */
export type LocalCopy = { values: ReportFormValues; keptAt: number };

/** What a 'draft' record of the device store holds. */
type DraftRecord = { values: ReportFormValues };

/** The localStorage keys of earlier versions' plaintext copies. */
const LEGACY_PREFIX = 'fr.report-draft.';

function legacyStorage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null;
  }
}

function isCopyValues(value: unknown): value is ReportFormValues {
  return typeof value === 'object' && value !== null && typeof (value as Partial<ReportFormValues>).clientId === 'string';
}

/** Every plaintext copy an earlier version kept (all accounts): its key, account and parsed copy. */
function legacyCopies(): { key: string; accountId: number; copy: LocalCopy | null }[] {
  const storage = legacyStorage();
  if (!storage) return [];
  const found: { key: string; accountId: number; copy: LocalCopy | null }[] = [];
  try {
    for (let i = 0; i < storage.length; i += 1) {
      const key = storage.key(i);
      if (!key?.startsWith(LEGACY_PREFIX)) continue;
      const accountId = Number(key.slice(LEGACY_PREFIX.length).split('.')[0]);
      let copy: LocalCopy | null = null;
      try {
        const parsed = JSON.parse(storage.getItem(key) ?? 'null') as Partial<LocalCopy> | null;
        if (parsed && typeof parsed.keptAt === 'number' && isCopyValues(parsed.values)) copy = { values: parsed.values, keptAt: parsed.keptAt };
      } catch {
        // A damaged copy: removed without being read.
      }
      found.push({ key, accountId, copy });
    }
  } catch {
    // Storage refused: nothing to move.
  }
  return found;
}

function removeLegacy(key: string): void {
  try {
    legacyStorage()?.removeItem(key);
  } catch {
    // Nothing to do.
  }
}

/**
 * Moves this account's plaintext copies into the store (unless the store holds a newer copy of
 * the same form) and removes every plaintext copy. One that the store refused (quota) stays where
 * it is, so nothing typed is lost.
 */
async function moveLegacyCopies(accountId: number, store: DeviceStore): Promise<void> {
  for (const { key, accountId: owner, copy } of legacyCopies()) {
    if (owner === accountId && copy) {
      const kept = await store.get<DraftRecord>('draft', copy.values.clientId);
      if (!kept || kept.updatedAt < copy.keptAt) {
        if (!(await store.put<DraftRecord>('draft', copy.values.clientId, { values: copy.values }))) continue;
      }
    }
    removeLegacy(key);
  }
}

const opened = new Map<number, Promise<DeviceStore | null>>();

/** The account's store with earlier versions' copies moved in (once per page), or null. */
function storeFor(accountId: number): Promise<DeviceStore | null> {
  let store = opened.get(accountId);
  if (!store) {
    store = (async () => {
      // The store's code is part of the page's first-load script: a form whose scripts run can always
      // keep a copy, even when the connection went right after the page arrived (docs/decisions/
      // 0010-partner-device-copies.md "The store's code arrives with the page").
      const device = await openDeviceStore(accountId);
      if (device) await moveLegacyCopies(accountId, device).catch(() => undefined);
      return device;
    })();
    opened.set(accountId, store);
  }
  return store;
}

let queue: Promise<unknown> = Promise.resolve();

/** Runs `work` after every call made before it; resolves `fallback` if it fails. */
function inOrder<T>(fallback: T, work: () => Promise<T>): Promise<T> {
  const next = queue.then(work).catch(() => fallback);
  queue = next;
  return next;
}

/** Keeps (or replaces) the device's copy of one report form. Nothing is kept without a store. */
export function keepLocalCopy(accountId: number, values: ReportFormValues): Promise<void> {
  return inOrder(undefined, async () => {
    await (await storeFor(accountId))?.put<DraftRecord>('draft', values.clientId, { values });
  });
}

/** Removes the device's copy of one report form (a plaintext one of an earlier version too). */
export function forgetLocalCopy(accountId: number, clientId: string): Promise<void> {
  return inOrder(undefined, async () => {
    removeLegacy(`${LEGACY_PREFIX}${accountId}.${clientId}`);
    await (await storeFor(accountId))?.remove('draft', clientId);
  });
}

/** Every copy kept for this account, newest first ([] where nothing can be kept). */
export function readLocalCopies(accountId: number): Promise<LocalCopy[]> {
  return inOrder<LocalCopy[]>([], async () => {
    const store = await storeFor(accountId);
    if (!store) {
      // No encrypted store: an earlier version's plaintext copies are still offered back (read only).
      const copies = legacyCopies().flatMap(({ accountId: owner, copy }) => (owner === accountId && copy ? [copy] : []));
      return copies.sort((a, b) => b.keptAt - a.keptAt);
    }
    const records = await store.list<DraftRecord>('draft');
    return records.filter((record) => isCopyValues(record.value.values)).map((record) => ({ values: record.value.values, keptAt: record.updatedAt }));
  });
}

/** JSON with object keys sorted, so two equal values compare equal whatever their key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
