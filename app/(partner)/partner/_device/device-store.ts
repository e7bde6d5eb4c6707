/**
 * The device store: everything the partner's phone keeps of their work (drafts, the outbox, the
 * partner pages kept for offline use), encrypted, in one IndexedDB database (docs/security/
 * device-copies.md). Used by the partner pages and by the service worker (no DOM needed).
 *
 * - One AES-GCM 256 key per account, made on this device by WebCrypto as non-extractable (its
 *   bytes can never be read back by script) and kept as a CryptoKey object in IndexedDB. Each
 *   record is encrypted with a fresh 96-bit IV; what is stored in the clear is only the account
 *   id, the record's kind and its id (a client id or a path).
 * - Opening the store for one account deletes every other account's kept pages, and its key when
 *   it has nothing else here: a shared phone shows nothing of the previous partner, even when they
 *   never signed out. Another account's unsent work (form copies, the outbox, queued photos) stays,
 *   encrypted under that account's key, read only by a store opened for that account: it waits for
 *   its own partner to sign in again (docs/security/device-copies.md "A page of another account").
 * - Without IndexedDB or WebCrypto (Tor Browser at its safest level, some private modes), or when
 *   the database will not open, {@link openDeviceStore} answers null and the caller keeps nothing
 *   on the device (the server-draft path); no call here ever throws for that reason.
 * - Every connection closes when another one asks to delete the database (wipe), so a wipe is
 *   never blocked by a tab or the service worker holding it open.
 */

import { DEVICE_DB_NAME } from './offline-pages';

/** The database's name (defined in offline-pages.ts; also read by the wipe and the tests). */
export { DEVICE_DB_NAME };
const DB_VERSION = 1;
const KEYS = 'keys';
const RECORDS = 'records';

/**
 * What the device keeps: a report form's copy, a report waiting to be sent, a page for offline
 * use, a photo waiting in the upload queue (its name, state and report: photo-store.ts), and a
 * picked photo's bytes (`photo-file`, keyed by its client photo id; written with `putFile`).
 */
export type RecordKind = 'draft' | 'outbox' | 'page' | 'photo' | 'photo-file';

/** One decrypted record: its id within its kind, the value, and when it was written (ms, device clock). */
export type DeviceRecord<T> = { id: string; value: T; updatedAt: number };

/** The encrypted store of one account; every method resolves (errors read as "nothing kept"). */
export type DeviceStore = {
  accountId: number;
  /** Writes (or replaces) one record; false when the device refused (quota, a wipe under way). */
  put: <T>(kind: RecordKind, id: string, value: T) => Promise<boolean>;
  /** One record's value, or null (missing, damaged, or made with a key that is gone). */
  get: <T>(kind: RecordKind, id: string) => Promise<DeviceRecord<T> | null>;
  /** Every readable record of one kind, newest first. */
  list: <T>(kind: RecordKind) => Promise<DeviceRecord<T>[]>;
  /** Removes one record. */
  remove: (kind: RecordKind, id: string) => Promise<void>;
  /**
   * Writes (or replaces) a picked photo's bytes as record `photo-file`/`id`, encrypted as they are
   * (no JSON: a photo of several MB is not turned into text); false when the device refused.
   */
  putFile: (id: string, bytes: ArrayBuffer) => Promise<boolean>;
  /** A photo's bytes written by `putFile`, or null (missing, damaged, or made with a key that is gone). */
  getFile: (id: string) => Promise<ArrayBuffer | null>;
};

type StoredKey = { accountId: number; key: CryptoKey };
type StoredRecord = { accountId: number; kind: RecordKind; id: string; iv: Uint8Array<ArrayBuffer>; data: ArrayBuffer };

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

/** True where this module can work: IndexedDB and WebCrypto's AES-GCM are there. */
export function hasDeviceStorage(): boolean {
  try {
    return typeof indexedDB !== 'undefined' && indexedDB !== null && typeof crypto !== 'undefined' && !!crypto.subtle;
  } catch {
    return false;
  }
}

let connection: Promise<IDBDatabase | null> | null = null;
const stores = new Map<number, Promise<DeviceStore | null>>();
/** Set by a wipe: this context keeps nothing from then on (a late autosave must not recreate it). */
let stopped = false;

function openDatabase(): Promise<IDBDatabase | null> {
  if (stopped || !hasDeviceStorage()) return Promise.resolve(null);
  connection ??= new Promise<IDBDatabase | null>((resolve) => {
    let req: IDBOpenDBRequest;
    try {
      req = indexedDB.open(DEVICE_DB_NAME, DB_VERSION);
    } catch {
      resolve(null);
      return;
    }
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(KEYS)) db.createObjectStore(KEYS, { keyPath: 'accountId' });
      if (!db.objectStoreNames.contains(RECORDS)) db.createObjectStore(RECORDS, { keyPath: ['accountId', 'kind', 'id'] });
    };
    req.onsuccess = () => {
      const db = req.result;
      // A wipe (here or in another tab) deletes the database: let it, and open afresh next time.
      db.onversionchange = () => {
        db.close();
        connection = null;
      };
      db.onclose = () => {
        connection = null;
      };
      resolve(db);
    };
    req.onerror = () => resolve(null);
    req.onblocked = () => resolve(null);
  });
  return connection;
}

/**
 * Closes this context's connection for good (a wipe): every later call of a store reads nothing
 * and writes nothing, so the database is not made again by a late write.
 */
export async function stopDeviceStore(): Promise<void> {
  stopped = true;
  stores.clear();
  const db = await (connection ?? Promise.resolve(null));
  connection = null;
  db?.close();
}

/** The account's key: the kept one, or a new non-extractable one (the first writer wins a race). */
async function accountKey(db: IDBDatabase, accountId: number): Promise<CryptoKey> {
  const kept = (await request(db.transaction(KEYS).objectStore(KEYS).get(accountId))) as StoredKey | undefined;
  if (kept) return kept.key;
  const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  try {
    const tx = db.transaction(KEYS, 'readwrite');
    tx.objectStore(KEYS).add({ accountId, key } satisfies StoredKey);
    await done(tx);
    return key;
  } catch {
    // Another tab (or the service worker) made one meanwhile: use that.
    const other = (await request(db.transaction(KEYS).objectStore(KEYS).get(accountId))) as StoredKey | undefined;
    if (!other) throw new Error('device key unavailable');
    return other.key;
  }
}

/**
 * Kinds of record that are a partner's unsent work: what exists only on this phone until the
 * server holds it (form copies, the outbox, queued photos and their bytes). Kept for their own
 * account when another one opens the store; every other kind (the kept pages) is not.
 */
const UNSENT_WORK_KINDS: ReadonlySet<RecordKind> = new Set<RecordKind>(['draft', 'outbox', 'photo', 'photo-file']);

/**
 * Deletes every record of any other account than `accountId` except its unsent work
 * (UNSENT_WORK_KINDS), and the keys of accounts left with no record. Another account's unsent
 * work stays encrypted under its own key, is never read by a store opened for anyone else (every
 * read is by this account's id and key), and waits for its partner to sign in again on this phone
 * (docs/security/device-copies.md "A page of another account"); sign-out, the quick exit and the
 * wipe delete it with everything else.
 */
async function forgetOtherAccounts(db: IDBDatabase, accountId: number): Promise<void> {
  const tx = db.transaction([KEYS, RECORDS], 'readwrite');
  const keys = tx.objectStore(KEYS);
  const records = tx.objectStore(RECORDS);
  const keeping = new Set<number>([accountId]);
  // Requests chained in their callbacks (no await inside the transaction: it would commit early);
  // a key cursor, so no photo's bytes are read to be looked at.
  const cursor = records.openKeyCursor();
  cursor.onsuccess = () => {
    const at = cursor.result;
    if (at) {
      const [owner, kind] = at.primaryKey as [number, RecordKind, string];
      if (owner !== accountId) {
        if (UNSENT_WORK_KINDS.has(kind)) keeping.add(owner);
        else records.delete(at.primaryKey);
      }
      at.continue();
      return;
    }
    const accounts = keys.getAllKeys();
    accounts.onsuccess = () => {
      for (const id of accounts.result as number[]) if (!keeping.has(id)) keys.delete(id);
    };
  };
  await done(tx);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function seal(key: CryptoKey, value: unknown, updatedAt: number): Promise<{ iv: Uint8Array<ArrayBuffer>; data: ArrayBuffer }> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, encoder.encode(JSON.stringify({ value, updatedAt })));
  return { iv, data };
}

async function open<T>(key: CryptoKey, record: StoredRecord): Promise<DeviceRecord<T> | null> {
  try {
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: record.iv }, key, record.data);
    const parsed = JSON.parse(decoder.decode(plain)) as { value: T; updatedAt: number };
    return { id: record.id, value: parsed.value, updatedAt: parsed.updatedAt };
  } catch {
    return null;
  }
}

async function sealBytes(key: CryptoKey, bytes: ArrayBuffer): Promise<{ iv: Uint8Array<ArrayBuffer>; data: ArrayBuffer }> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  return { iv, data: await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, bytes) };
}

/**
 * The encrypted store of `accountId` on this device, or null where the device cannot keep one
 * (no IndexedDB, no WebCrypto, the database refused to open). Opening it deletes every other
 * account's kept pages (and keys with nothing left). One store per account per context (cached).
 */
export function openDeviceStore(accountId: number): Promise<DeviceStore | null> {
  const cached = stores.get(accountId);
  if (cached) return cached;
  const opened = (async (): Promise<DeviceStore | null> => {
    try {
      const first = await openDatabase();
      if (!first) return null;
      await forgetOtherAccounts(first, accountId);
      await accountKey(first, accountId);
    } catch {
      return null;
    }
    // Each call reopens the database when a wipe closed it meanwhile (and then finds no key: a
    // new one is made, the old records are unreadable and gone anyway).
    const withDb = async <R>(fallback: R, work: (db: IDBDatabase, key: CryptoKey) => Promise<R>): Promise<R> => {
      try {
        const db = await openDatabase();
        if (!db) return fallback;
        return await work(db, await accountKey(db, accountId));
      } catch {
        return fallback;
      }
    };
    return {
      accountId,
      put: (kind, id, value) =>
        withDb(false, async (db, key) => {
          const sealed = await seal(key, value, Date.now());
          const tx = db.transaction(RECORDS, 'readwrite');
          tx.objectStore(RECORDS).put({ accountId, kind, id, ...sealed } satisfies StoredRecord);
          await done(tx);
          return true;
        }),
      get: <T>(kind: RecordKind, id: string) =>
        withDb<DeviceRecord<T> | null>(null, async (db, key) => {
          const record = (await request(db.transaction(RECORDS).objectStore(RECORDS).get([accountId, kind, id]))) as StoredRecord | undefined;
          return record ? open<T>(key, record) : null;
        }),
      list: <T>(kind: RecordKind) =>
        withDb<DeviceRecord<T>[]>([], async (db, key) => {
          const range = IDBKeyRange.bound([accountId, kind], [accountId, kind, []]);
          const records = (await request(db.transaction(RECORDS).objectStore(RECORDS).getAll(range))) as StoredRecord[];
          const opened = await Promise.all(records.map((record) => open<T>(key, record)));
          return opened.filter((r): r is DeviceRecord<T> => r !== null).sort((a, b) => b.updatedAt - a.updatedAt);
        }),
      remove: (kind, id) =>
        withDb(undefined, async (db) => {
          const tx = db.transaction(RECORDS, 'readwrite');
          tx.objectStore(RECORDS).delete([accountId, kind, id]);
          await done(tx);
        }),
      putFile: (id, bytes) =>
        withDb(false, async (db, key) => {
          const sealed = await sealBytes(key, bytes);
          const tx = db.transaction(RECORDS, 'readwrite');
          tx.objectStore(RECORDS).put({ accountId, kind: 'photo-file', id, ...sealed } satisfies StoredRecord);
          await done(tx);
          return true;
        }),
      getFile: (id) =>
        withDb<ArrayBuffer | null>(null, async (db, key) => {
          const record = (await request(db.transaction(RECORDS).objectStore(RECORDS).get([accountId, 'photo-file', id]))) as StoredRecord | undefined;
          if (!record) return null;
          try {
            return await crypto.subtle.decrypt({ name: 'AES-GCM', iv: record.iv }, key, record.data);
          } catch {
            return null;
          }
        }),
    };
  })();
  stores.set(accountId, opened);
  return opened;
}
