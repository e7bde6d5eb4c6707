/**
 * Sends the photo queue (photo-queue.ts) to the upload route, one photo at a time (kinder to a
 * slow connection; the server counts a report's photos in order), and keeps each photo's state
 * (issue 18 item 6):
 *
 * - every try of a photo carries its client photo id, so a try whose answer was lost and is sent
 *   again is stored once (lib/photos/photos.ts `addPhoto`);
 * - a try that gets no answer while the browser is offline goes back to waiting and is sent when
 *   the connection is back (`online`); one that gets no answer while the browser thinks it is
 *   online fails with Retry (and is tried again at the next `online` too);
 * - nothing here navigates: a failure is a state in the queue, never a page load (a page load
 *   while offline would replace the page, and the queue with it, by the browser's offline page).
 *
 * The transport and the connection are passed in ({@link createPhotoUploader}), so the rules are
 * tested without a browser; {@link getBrowserPhotoUploads} wires them to XMLHttpRequest, the
 * window's `online` event and an in-memory queue shared by the tab's pages. No server code.
 */
import { OWNER_HINT_HEADER } from '@/lib/reports/owner-hint';
import { UPLOAD_CAPTION_FIELD, UPLOAD_CLIENT_ID_FIELD, UPLOAD_FILE_FIELD } from './client-id';
import { toPhotoErrorCode, type PhotoErrorCode } from './outcomes';
import { createMemoryPhotoQueue, type PhotoQueueStore, type QueuedPhoto } from './photo-queue';
import { MAX_PHOTO_BYTES } from './rules';

/** A stored photo as the photos page lists it (the upload route's JSON answer carries the report's list). */
export type ListedPhoto = { id: number; width: number; height: number; caption: string };

/** What one try of an upload came to. `no_answer`: the connection failed, or the answer was lost. */
export type UploadAnswer =
  | { kind: 'stored'; photoId: number; photos: ListedPhoto[] }
  | { kind: 'refused'; code: PhotoErrorCode }
  | { kind: 'no_answer' };

/** Sends one photo; reports progress as 0–100; never rejects (a failure is `no_answer`). */
export type PhotoTransport = (photo: QueuedPhoto, onProgress: (percent: number) => void) => Promise<UploadAnswer>;

/** Refusals that sending the same photo again may fix. */
const RETRYABLE: ReadonlySet<PhotoErrorCode> = new Set<PhotoErrorCode>(['failed', 'incomplete', 'signed_out', 'other_account']);

/** The address the photos of report `reportId` are uploaded to (the upload Route Handler). */
export function photoUploadUrl(reportId: number | string): string {
  return `/partner/reports/${reportId}/photos/upload`;
}

/** What {@link createPhotoUploader} returns. */
export type PhotoUploader = {
  store: PhotoQueueStore;
  /** Send what waits (call after queueing, or once a report was assigned). */
  kick: () => void;
  /** Send a failed photo again (the Retry button), with the same client photo id. */
  retry: (clientId: string) => void;
  /** The connection is back: every photo waiting for it, and every network failure, goes again. */
  connectionBack: () => void;
  /** Call `listener(reportId, photos)` with the report's list after each stored photo; returns the unsubscribe function. */
  subscribeListed: (listener: (reportId: number, photos: ListedPhoto[]) => void) => () => void;
};

/**
 * The upload loop over `store`.
 * @param transport sends one photo (the browser's: {@link xhrPhotoTransport}).
 * @param isOnline whether the browser believes it is online (`navigator.onLine`): when false,
 *   nothing is sent and waiting photos say they wait for the connection.
 */
export function createPhotoUploader({ store, transport, isOnline }: { store: PhotoQueueStore; transport: PhotoTransport; isOnline: () => boolean }): PhotoUploader {
  let isRunning = false;
  const listedListeners = new Set<(reportId: number, photos: ListedPhoto[]) => void>();

  const waitForConnection = () => {
    for (const photo of store.list()) {
      if (photo.state === 'waiting' && !photo.isWaitingForConnection) store.update(photo.clientId, { isWaitingForConnection: true });
    }
  };

  const run = async () => {
    if (isRunning) return;
    isRunning = true;
    try {
      for (;;) {
        const next = store.list().find((photo) => photo.state === 'waiting' && photo.reportId !== null);
        if (!next) return;
        if (!isOnline()) return waitForConnection();
        if (next.file.size > MAX_PHOTO_BYTES) {
          store.update(next.clientId, { state: 'failed', error: 'too_large', canRetry: false });
          continue;
        }
        store.update(next.clientId, { state: 'uploading', percent: 0, error: null, canRetry: false, isWaitingForConnection: false });
        let answer: UploadAnswer;
        try {
          answer = await transport(next, (percent) => store.update(next.clientId, { percent }));
        } catch {
          answer = { kind: 'no_answer' };
        }
        if (answer.kind === 'stored') {
          store.markStored(next.clientId, answer.photoId);
          for (const listener of [...listedListeners]) listener(next.reportId!, answer.photos);
        } else if (answer.kind === 'refused') {
          store.update(next.clientId, { state: 'failed', error: answer.code, canRetry: RETRYABLE.has(answer.code) });
        } else if (!isOnline()) {
          store.update(next.clientId, { state: 'waiting', percent: 0, isWaitingForConnection: true });
        } else {
          store.update(next.clientId, { state: 'failed', error: 'failed', canRetry: true });
        }
      }
    } finally {
      isRunning = false;
    }
  };
  const kick = () => void run();

  return {
    store,
    kick,
    retry(clientId) {
      const photo = store.list().find((queued) => queued.clientId === clientId);
      if (!photo || photo.state !== 'failed' || !photo.canRetry) return;
      store.update(clientId, { state: 'waiting', percent: 0, error: null, canRetry: false });
      kick();
    },
    connectionBack() {
      for (const photo of store.list()) {
        if (photo.state === 'waiting' && photo.isWaitingForConnection) store.update(photo.clientId, { isWaitingForConnection: false });
        else if (photo.state === 'failed' && photo.error === 'failed' && photo.canRetry) {
          store.update(photo.clientId, { state: 'waiting', percent: 0, error: null, canRetry: false });
        }
      }
      kick();
    },
    subscribeListed(listener) {
      listedListeners.add(listener);
      return () => listedListeners.delete(listener);
    },
  };
}

/** Read the upload route's JSON answer (status, body) as an UploadAnswer. */
export function readUploadAnswer(status: number, body: unknown): UploadAnswer {
  const answer = (typeof body === 'object' && body !== null ? body : {}) as { ok?: unknown; photoId?: unknown; photos?: unknown; error?: unknown };
  if (status >= 200 && status < 300 && answer.ok === true && typeof answer.photoId === 'number') {
    const photos = Array.isArray(answer.photos) ? (answer.photos as ListedPhoto[]) : [];
    return { kind: 'stored', photoId: answer.photoId, photos };
  }
  return { kind: 'refused', code: toPhotoErrorCode(answer.error) ?? 'failed' };
}

/**
 * The browser's transport: one multipart POST per try (`clientId`, `caption`, `photo`) with
 * XMLHttpRequest (for upload progress), `Accept: application/json` and the photo's owner hint
 * (OWNER_HINT_HEADER).
 */
export const xhrPhotoTransport: PhotoTransport = (photo, onProgress) =>
  new Promise<UploadAnswer>((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', photoUploadUrl(photo.reportId!));
    xhr.setRequestHeader('Accept', 'application/json');
    // The account the page that picked it was rendered for (lib/auth/tab-owner.ts); without one
    // the server answers as to a page of another account and the photo waits.
    if (photo.ownerHint) xhr.setRequestHeader(OWNER_HINT_HEADER, photo.ownerHint);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(Math.min(100, Math.round((event.loaded / event.total) * 100)));
    };
    xhr.onload = () => resolve(readUploadAnswer(xhr.status, xhr.response));
    xhr.onerror = () => resolve({ kind: 'no_answer' });
    xhr.onabort = () => resolve({ kind: 'no_answer' });
    xhr.ontimeout = () => resolve({ kind: 'no_answer' });
    const form = new FormData();
    // The id first: a server could tell a repeat before reading the photo.
    form.append(UPLOAD_CLIENT_ID_FIELD, photo.clientId);
    form.append(UPLOAD_CAPTION_FIELD, photo.caption);
    form.append(UPLOAD_FILE_FIELD, photo.file, photo.name);
    xhr.send(form);
  });

let browserUploads: PhotoUploader | null = null;

/**
 * The tab's one queue and uploader (created on first use, in the browser only): shared by the
 * photos page and the report form, so photos keep going while the partner moves between them.
 */
export function getBrowserPhotoUploads(): PhotoUploader {
  if (browserUploads) return browserUploads;
  const uploads = createPhotoUploader({ store: createMemoryPhotoQueue(), transport: xhrPhotoTransport, isOnline: () => navigator.onLine !== false });
  window.addEventListener('online', () => uploads.connectionBack());
  browserUploads = uploads;
  return uploads;
}
