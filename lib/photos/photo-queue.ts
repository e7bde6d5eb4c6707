/**
 * The browser's queue of photos on their way to the server (issue 18 item 6): every photo the
 * partner picked, with its client photo id (client-id.ts), its report (null while the report has
 * not been saved yet: photos picked on the new-report form) and its state. The uploader
 * (photo-uploader.ts) sends what waits, one at a time; the pages show the queue.
 *
 * The queue is a store behind a small interface ({@link PhotoQueueStore}) so where it keeps the
 * photos can change without touching the uploader or the pages: {@link createMemoryPhotoQueue}
 * keeps them in this tab's memory (they survive a dropped connection and moving between the
 * partner's pages); app/(partner)/partner/_device/photo-store.ts follows it into the device's
 * encrypted store and puts it back after a reload (issue 18 item 8). Pure: no DOM, no server code.
 */
import { newClientPhotoId } from './client-id';
import type { PhotoErrorCode } from './outcomes';

/** Where one photo stands: waiting to be sent, being sent, stored on the server, or failed. */
export type QueuedPhotoState = 'waiting' | 'uploading' | 'stored' | 'failed';

/** One photo of the queue. */
export type QueuedPhoto = {
  /** The client photo id, made when the photo was picked; sent with every try. */
  clientId: string;
  /** The report it goes to; null until the report's first save creates it. */
  reportId: number | null;
  /** The client id of the report form it was picked on (the form's hidden `clientId`), if any. */
  formClientId: string | null;
  /** The picked file, as the browser gave it (never altered here; the server strips it). */
  file: Blob;
  /** The file's name as picked (shown to the partner; never sent as anything but the part's name). */
  name: string;
  caption: string;
  state: QueuedPhotoState;
  /** 0–100 while uploading; 100 once stored. */
  percent: number;
  /** While waiting: the browser is offline, so it goes once the connection is back. */
  isWaitingForConnection: boolean;
  /** Why it failed (state 'failed'). */
  error: PhotoErrorCode | null;
  /** Whether sending it again could help (network trouble, not a refused photo). */
  canRetry: boolean;
  /** The stored photo's id (`photos.id`), once stored. */
  photoId: number | null;
  /** When it was picked, UTC ms (the queue's order). */
  queuedAt: number;
  /**
   * The owner hint of the page it was picked on (lib/reports/kept-post-owner.ts): its upload is
   * stored only under that account (lib/auth/tab-owner.ts); null for photos kept before hints.
   */
  ownerHint: string | null;
};

/** What a page gives to queue one picked photo. */
export type NewQueuedPhoto = {
  file: Blob;
  name: string;
  caption: string;
  reportId: number | null;
  formClientId?: string | null;
  /** The owner hint of the page it is picked on (app/(partner)/partner/_device/kept-owner.tsx). */
  ownerHint?: string | null;
};

/** The fields of a queued photo the uploader changes. */
export type QueuedPhotoChanges = Partial<Pick<QueuedPhoto, 'state' | 'percent' | 'isWaitingForConnection' | 'error' | 'canRetry' | 'photoId' | 'reportId'>>;

/** Where the queue is kept. Every method is synchronous; listeners run after each change. */
export interface PhotoQueueStore {
  /** Queue photos (state 'waiting', a fresh client photo id each); returns them as queued. */
  enqueue(photos: readonly NewQueuedPhoto[]): QueuedPhoto[];
  /**
   * Put back photos queued before (kept on the device across a reload), with their own client
   * photo ids; a photo whose id is already queued is left as it is. Returns the ones added.
   */
  restore(photos: readonly QueuedPhoto[]): QueuedPhoto[];
  /** Every queued photo, oldest first (a new array after each change: safe as a React snapshot). */
  list(): readonly QueuedPhoto[];
  /** Change one photo (unknown ids are ignored). */
  update(clientId: string, changes: QueuedPhotoChanges): void;
  /** The server holds it as `photoId`: it is never sent again. */
  markStored(clientId: string, photoId: number): void;
  /** The report form `formClientId` was saved as `reportId`: its photos without a report go there. */
  assignReport(formClientId: string, reportId: number): void;
  /** Forget one photo (the partner removed it from the queue). */
  remove(clientId: string): void;
  /** Call `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

/**
 * A queue kept in memory (this tab, until it is closed or reloaded).
 * @param options.now clock in UTC ms (tests); options.newId client photo ids (tests).
 */
export function createMemoryPhotoQueue(options: { now?: () => number; newId?: () => string } = {}): PhotoQueueStore {
  const now = options.now ?? Date.now;
  const newId = options.newId ?? newClientPhotoId;
  let photos: readonly QueuedPhoto[] = [];
  const listeners = new Set<() => void>();
  const commit = (next: readonly QueuedPhoto[]) => {
    photos = next;
    for (const listener of [...listeners]) listener();
  };
  const change = (match: (photo: QueuedPhoto) => boolean, changes: QueuedPhotoChanges) => {
    if (!photos.some(match)) return;
    commit(photos.map((photo) => (match(photo) ? { ...photo, ...changes } : photo)));
  };

  return {
    enqueue(added) {
      const at = now();
      const queued = added.map(
        (photo, index): QueuedPhoto => ({
          clientId: newId(),
          reportId: photo.reportId,
          formClientId: photo.formClientId ?? null,
          file: photo.file,
          name: photo.name,
          caption: photo.caption,
          state: 'waiting',
          percent: 0,
          isWaitingForConnection: false,
          error: null,
          canRetry: false,
          photoId: null,
          // Photos picked together keep the order they were picked in (a restored queue is sorted by it).
          queuedAt: at + index,
          ownerHint: photo.ownerHint ?? null,
        }),
      );
      if (queued.length > 0) commit([...photos, ...queued]);
      return queued;
    },
    restore(kept) {
      const known = new Set(photos.map((photo) => photo.clientId));
      const added = kept.filter((photo) => !known.has(photo.clientId) && (known.add(photo.clientId), true));
      if (added.length > 0) commit([...photos, ...added].sort((a, b) => a.queuedAt - b.queuedAt));
      return added;
    },
    list: () => photos,
    update(clientId, changes) {
      change((photo) => photo.clientId === clientId, changes);
    },
    markStored(clientId, photoId) {
      change((photo) => photo.clientId === clientId, { state: 'stored', percent: 100, photoId, error: null, canRetry: false, isWaitingForConnection: false });
    },
    assignReport(formClientId, reportId) {
      change((photo) => photo.reportId === null && photo.formClientId === formClientId, { reportId });
    },
    remove(clientId) {
      if (photos.some((photo) => photo.clientId === clientId)) commit(photos.filter((photo) => photo.clientId !== clientId));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
