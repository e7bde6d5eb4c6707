/**
 * Queued photos kept on the partner's phone (issue 18 items 6–8; docs/security/device-copies.md
 * "Photos"): every photo in the tab's upload queue (lib/photos/photo-queue.ts) is written to the
 * encrypted device store (device-store.ts) as it is picked — its bytes as a `photo-file` record,
 * its name, caption, report and state as a `photo` record, both keyed by its client photo id — and
 * put back into the queue when a page opens again, so a reload or a dropped connection that
 * reloads the page loses none. A photo stored on the server leaves the device.
 *
 * A report queued in the outbox (outbox.ts) takes its photos out of the queue: {@link
 * takePhotosForOutbox} hands them to the outbox record (the bytes stay where they are) and the
 * outbox runner sends them (outbox-runner.ts). A report the server refuses gives its unsent photos
 * back to the queue ({@link returnPhotosToQueue}), under the form's client id.
 *
 * Loaded on first use only (when the form's photo picker loads, or a report with photos is
 * queued): never part of a page's first-load script. Without a device store (no IndexedDB, Tor
 * Browser at its safest level) nothing is kept and the queue stays in the tab's memory.
 */
import { UPLOAD_CAPTION_FIELD, UPLOAD_CLIENT_ID_FIELD, UPLOAD_FILE_FIELD } from '@/lib/photos/client-id';
import type { PhotoQueueStore, QueuedPhoto } from '@/lib/photos/photo-queue';
import { OWNER_HINT_HEADER } from '@/lib/reports/owner-hint';
import { getBrowserPhotoUploads, photoUploadUrl, readUploadAnswer, type UploadAnswer } from '@/lib/photos/photo-uploader';
import { openDeviceStore, type DeviceStore } from './device-store';
import { onOutboxChange, type OutboxPhoto, type OutboxRecord } from './outbox';

/** A queued photo as the device keeps it (the `photo` record; its bytes are the `photo-file` record). */
export type KeptPhoto = Omit<QueuedPhoto, 'file' | 'percent'> & { type: string };

/** The record of `photo` (its progress left out: it changes too often to be worth a write). */
export function toKeptPhoto(photo: QueuedPhoto): KeptPhoto {
  const { file, percent: _percent, ...rest } = photo;
  return { ...rest, type: file.type };
}

/**
 * A kept photo back as a queued one, with its bytes: one that was being uploaded when the page
 * went waits again (the server stores it once, by its client photo id, however often it is sent).
 */
export function fromKeptPhoto(kept: KeptPhoto, bytes: ArrayBuffer): QueuedPhoto {
  const { type, ...rest } = kept;
  const isInterrupted = rest.state === 'uploading';
  return {
    ...rest,
    file: new Blob([bytes], { type }),
    percent: 0,
    state: isInterrupted ? 'waiting' : rest.state,
    isWaitingForConnection: false,
  };
}

/** Whether sending `photo` with its report can still store it (not stored, not refused for good). */
export function isUnsent(photo: QueuedPhoto): boolean {
  return isKeptPhotoUnsent(photo);
}

/** Whether a photo kept on the device still waits to be uploaded ({@link isUnsent} on its record). */
export function isKeptPhotoUnsent(photo: Pick<KeptPhoto, 'state' | 'canRetry'>): boolean {
  return photo.state === 'waiting' || photo.state === 'uploading' || (photo.state === 'failed' && photo.canRetry);
}

/**
 * The client photo ids the outbox holds (every photo listed by a queued report of `store`): those
 * belong to the outbox, never to the tab's queue as well (docs/security/device-copies.md "Photos").
 */
async function photosHeldByOutbox(store: DeviceStore): Promise<Set<string>> {
  const records = await store.list<OutboxRecord>('outbox');
  return new Set(records.flatMap((record) => (record.value.photos ?? []).map((photo) => photo.clientId)));
}

/** Every photo record this account's device store keeps ([] without a store). */
export async function readKeptPhotos(accountId: number): Promise<KeptPhoto[]> {
  const store = await openDeviceStore(accountId);
  if (!store) return [];
  return (await store.list<KeptPhoto>('photo')).map((record) => record.value);
}

/** What {@link keepQueueOnDevice} returns. */
export type QueueKeeper = {
  /** Puts back the photos the device keeps and the queue does not hold yet; resolves with how many. */
  restore: () => Promise<number>;
  /** Resolves when every write made so far is done. */
  flush: () => Promise<void>;
  /** Whether this photo's bytes are on the device (written, or restored from there). */
  hasFile: (clientId: string) => boolean;
  /** Stops following the queue. */
  stop: () => void;
};

/**
 * Follows `queue` into `store`: each new photo's bytes and record are written, each change of its
 * state, report or error rewrites the record, a stored photo's two records go, and a photo taken
 * out of the queue loses its record, and its bytes too unless a queued report of the outbox holds
 * it (released to the outbox: the outbox sends them, or the wipe removes them). Writes run one
 * after another, in the order made. Never rejects. With `ownerHint`, only the queue's photos of
 * that account are followed (a photo carries the hint of the page it was picked on), and it is
 * given to restored photos kept before photos carried one (the store is this account's alone).
 */
export function keepQueueOnDevice(store: DeviceStore, queue: PhotoQueueStore, ownerHint: string | null = null): QueueKeeper {
  /** What the device holds of each photo: its record as JSON, or 'stored'. */
  const written = new Map<string, string>();
  const files = new Set<string>();
  let chain: Promise<unknown> = Promise.resolve();
  const then = (work: () => Promise<unknown>) => {
    chain = chain.then(work).catch(() => undefined);
  };

  // The tab's queue can hold another account's photos (this tab was signed in as someone else
  // before, without a reload): only this account's go into this account's store.
  const isOwn = (photo: QueuedPhoto) => ownerHint === null || (photo.ownerHint ?? ownerHint) === ownerHint;
  const follow = () => {
    const current = queue.list().filter(isOwn);
    const present = new Set<string>();
    for (const photo of current) {
      present.add(photo.clientId);
      const before = written.get(photo.clientId);
      if (photo.state === 'stored') {
        if (before !== undefined && before !== 'stored') {
          written.set(photo.clientId, 'stored');
          files.delete(photo.clientId);
          then(() => store.remove('photo', photo.clientId));
          then(() => store.remove('photo-file', photo.clientId));
        }
        continue;
      }
      const kept = toKeptPhoto(photo);
      const json = JSON.stringify(kept);
      if (before === json || before === 'stored') continue;
      written.set(photo.clientId, json);
      if (before === undefined) {
        then(async () => {
          if (await store.putFile(photo.clientId, await photo.file.arrayBuffer())) files.add(photo.clientId);
        });
      }
      then(() => store.put('photo', photo.clientId, kept));
    }
    for (const clientId of [...written.keys()]) {
      if (present.has(clientId)) continue;
      written.delete(clientId);
      files.delete(clientId);
      then(() => store.remove('photo', clientId));
      // Removed by the partner: its bytes go now, not at the next wipe. Released to the outbox
      // (queueReport wrote the record before the queue let go of it): the bytes are the outbox's.
      then(async () => {
        if (!(await photosHeldByOutbox(store)).has(clientId)) await store.remove('photo-file', clientId);
      });
    }
  };

  const restore = async (): Promise<number> => {
    const kept = await store.list<KeptPhoto>('photo');
    const known = new Set(queue.list().map((photo) => photo.clientId));
    // A photo a queued report holds is the outbox's (its queue record may outlive the release by
    // a reload, or precede a refused report's letting go of it): never the queue's as well.
    const held = await photosHeldByOutbox(store);
    const back: QueuedPhoto[] = [];
    for (const { value } of kept) {
      if (known.has(value.clientId) || written.has(value.clientId) || held.has(value.clientId)) continue;
      const bytes = await store.getFile(value.clientId);
      if (!bytes) {
        // Its bytes are gone (a write the device refused): nothing can be sent; the record goes.
        await store.remove('photo', value.clientId);
        continue;
      }
      const photo = fromKeptPhoto({ ...value, ownerHint: value.ownerHint ?? ownerHint }, bytes);
      back.push(photo);
      files.add(photo.clientId);
      written.set(photo.clientId, JSON.stringify(toKeptPhoto(photo)));
    }
    return queue.restore(back).length;
  };

  follow();
  const unsubscribe = queue.subscribe(follow);
  return {
    restore,
    flush: async () => {
      // A write may queue another (a file, then its record): wait until the chain stands still.
      for (let last = null as unknown; last !== chain; ) {
        last = chain;
        await chain;
      }
    },
    hasFile: (clientId) => files.has(clientId),
    stop: unsubscribe,
  };
}

const browserKeepers = new Map<number, Promise<QueueKeeper | null>>();

/**
 * Keeps the tab's photo queue (lib/photos/photo-uploader.ts getBrowserPhotoUploads) on the device
 * under `accountId` (whose owner hint is `ownerHint`), once per account and tab — its photos
 * only, into its own store (a tab signed in as another partner later keeps theirs apart): puts back what the device kept (and again whenever the outbox
 * changes: a refused report gives its photos back), then sends what has a report. Resolves null
 * where the device keeps nothing (no store). Never rejects.
 */
export function keepBrowserPhotoQueue(accountId: number, ownerHint: string | null): Promise<QueueKeeper | null> {
  const existing = browserKeepers.get(accountId);
  if (existing) return existing;
  const keeper = (async () => {
    try {
      const store = await openDeviceStore(accountId);
      if (!store) return null;
      const uploads = getBrowserPhotoUploads();
      const kept = keepQueueOnDevice(store, uploads.store, ownerHint);
      const restore = () =>
        void kept
          .restore()
          .then((count) => {
            if (count > 0) uploads.kick();
          })
          .catch(() => undefined);
      restore();
      onOutboxChange(restore);
      return kept;
    } catch {
      return null;
    }
  })();
  browserKeepers.set(accountId, keeper);
  return keeper;
}

/**
 * The photos of a report form (picked on it: `formClientId`, or queued for its saved report
 * `reportId`) that still need sending, for a Submit that queues the report in the outbox:
 * `photos` as the outbox keeps them, and `release`, which takes them out of the tab's queue once
 * the outbox record holds them. Null when they cannot be kept with it (no device store, or the
 * device refused a photo's bytes): the caller does not queue the report then.
 */
export async function takePhotosForOutbox(
  accountId: number,
  { formClientId, reportId }: { formClientId: string; reportId: number | null },
): Promise<{ photos: OutboxPhoto[]; release: () => void } | null> {
  const uploads = getBrowserPhotoUploads();
  const chosen = uploads.store
    .list()
    .filter((photo) => (photo.formClientId === formClientId || (reportId !== null && photo.reportId === reportId)) && isUnsent(photo));
  if (chosen.length === 0) return { photos: [], release: () => undefined };
  const keeper = await keepBrowserPhotoQueue(accountId, chosen[0]?.ownerHint ?? null);
  if (!keeper) return null;
  await keeper.flush();
  if (chosen.some((photo) => !keeper.hasFile(photo.clientId))) return null;
  return {
    photos: chosen.map((photo) => ({ clientId: photo.clientId, name: photo.name, caption: photo.caption, type: photo.file.type, state: 'waiting', error: null })),
    release: () => {
      for (const photo of chosen) uploads.store.remove(photo.clientId);
    },
  };
}

/**
 * Gives the unsent photos of a refused report back to the photo queue on the device, tagged with
 * the report form's client id (the form that opens its text shows them again) and the owner hint
 * of the account whose outbox held them; returns the ids.
 */
export async function returnPhotosToQueue(store: DeviceStore, record: OutboxRecord, ownerHint: string): Promise<string[]> {
  const returned: string[] = [];
  for (const photo of record.photos ?? []) {
    if (photo.state !== 'waiting') continue;
    const kept: KeptPhoto = {
      clientId: photo.clientId,
      reportId: record.reportId ?? null,
      formClientId: record.clientId,
      name: photo.name,
      caption: photo.caption,
      type: photo.type,
      state: 'waiting',
      isWaitingForConnection: false,
      error: null,
      canRetry: false,
      photoId: null,
      queuedAt: record.queuedAt,
      ownerHint,
    };
    if (await store.put('photo', photo.clientId, kept)) returned.push(photo.clientId);
  }
  return returned;
}

/**
 * Sends one kept photo to report `reportId` (the same fields as the form's uploads), under the
 * account whose owner hint is `ownerHint` (OWNER_HINT_HEADER); never rejects.
 */
export async function uploadKeptPhoto(reportId: number, photo: OutboxPhoto, bytes: ArrayBuffer, ownerHint: string): Promise<UploadAnswer> {
  const form = new FormData();
  form.append(UPLOAD_CLIENT_ID_FIELD, photo.clientId);
  form.append(UPLOAD_CAPTION_FIELD, photo.caption);
  form.append(UPLOAD_FILE_FIELD, new Blob([bytes], { type: photo.type }), photo.name);
  try {
    const response = await fetch(photoUploadUrl(reportId), { method: 'POST', body: form, headers: { Accept: 'application/json', [OWNER_HINT_HEADER]: ownerHint }, credentials: 'same-origin' });
    return readUploadAnswer(response.status, await response.json().catch(() => null));
  } catch {
    return { kind: 'no_answer' };
  }
}
