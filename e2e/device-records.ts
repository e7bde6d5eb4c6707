/**
 * Reading back what the partner's phone keeps (app/(partner)/partner/_device/device-store.ts), as
 * stored: the IndexedDB database `fr-device`, store `records`, one row per account, kind and id,
 * the value encrypted. Read from the page itself; a database that does not exist is never made.
 */
import { expect, type Page } from '@playwright/test';

/** One stored record: whose, what kind ('draft' | 'outbox' | 'page' | 'photo' | 'photo-file'), its id, and its bytes as stored. */
export type StoredRecord = { accountId: number; kind: string; id: string; isEncrypted: boolean; bytes: number[] };

/** Every record of the device store as stored (encrypted), [] when there is no store at all. */
export async function storedRecords(page: Page): Promise<StoredRecord[]> {
  return page.evaluate(async () => {
    const names = (await indexedDB.databases()).map((db) => db.name);
    if (!names.includes('fr-device')) return [];
    return new Promise<StoredRecord[]>((resolve, reject) => {
      const open = indexedDB.open('fr-device');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('records')) {
          db.close();
          resolve([]);
          return;
        }
        const all = db.transaction('records').objectStore('records').getAll();
        all.onsuccess = () => {
          db.close();
          const rows = all.result as { accountId: number; kind: string; id: string; data: unknown }[];
          resolve(
            rows.map((r) => ({
              accountId: r.accountId,
              kind: r.kind,
              id: r.id,
              isEncrypted: r.data instanceof ArrayBuffer,
              bytes: r.data instanceof ArrayBuffer ? [...new Uint8Array(r.data)] : [],
            })),
          );
        };
        all.onerror = () => reject(all.error);
      };
    });
  });
}

/** The ids (client ids) of the report-form copies the device keeps, per account. */
export async function keptCopies(page: Page): Promise<{ accountId: number; clientId: string }[]> {
  return (await storedRecords(page)).filter((r) => r.kind === 'draft').map((r) => ({ accountId: r.accountId, clientId: r.id }));
}

/** True when `text` (UTF-8) appears in any stored record's bytes: a copy kept in the clear. */
export function holdsInClear(records: StoredRecord[], text: string): boolean {
  const needle = Buffer.from(text, 'utf8');
  return records.some((r) => Buffer.from(r.bytes).includes(needle));
}

/** Waits until the service worker controls /partner and has kept both offline pages (the list, a new report). */
export async function waitUntilKeptForOffline(page: Page): Promise<void> {
  await expect
    .poll(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistration('/partner'))?.active?.state ?? null), { timeout: 20_000 })
    .toBe('activated');
  await expect
    .poll(async () => (await storedRecords(page)).filter((r) => r.kind === 'page').map((r) => r.id).sort(), { timeout: 20_000 })
    .toEqual(['/partner', '/partner/reports/new']);
}
