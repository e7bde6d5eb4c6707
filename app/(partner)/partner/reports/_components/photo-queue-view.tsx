'use client';

import { useSyncExternalStore } from 'react';
import { useTranslations } from 'next-intl';
import { PHOTO_ERROR_MESSAGE_KEYS, PHOTO_ERROR_VALUES } from '@/lib/photos/outcomes';
import type { QueuedPhoto } from '@/lib/photos/photo-queue';
import { getBrowserPhotoUploads, type PhotoUploader } from '@/lib/photos/photo-uploader';

/** useSyncExternalStore needs a subscription; "are scripts running" never changes once known. */
const subscribeNothing = () => () => undefined;
const NO_PHOTOS: readonly QueuedPhoto[] = [];

/**
 * The tab's photo queue and uploader (lib/photos/photo-uploader.ts) once scripts run; null while
 * rendering on the server and hydrating (the no-script forms are what is shown then).
 */
export function useBrowserPhotoUploads(): PhotoUploader | null {
  const isBrowser = useSyncExternalStore(subscribeNothing, () => true, () => false);
  return isBrowser ? getBrowserPhotoUploads() : null;
}

/** The queued photos that `belongs` picks, re-rendered on every change of the queue. */
export function useQueuedPhotos(uploads: PhotoUploader | null, belongs: (photo: QueuedPhoto) => boolean): QueuedPhoto[] {
  const all = useSyncExternalStore(
    uploads ? uploads.store.subscribe : subscribeNothing,
    () => (uploads ? uploads.store.list() : NO_PHOTOS),
    () => NO_PHOTOS,
  );
  return all.filter(belongs);
}

/**
 * The queue as the partner sees it: one row per picked photo with its name, a progress bar, its
 * state in words (waiting — for the connection, or for the draft's first save —, uploading,
 * uploaded, not uploaded and why) and Retry when sending it again can help. Rows stay on the
 * page through a dropped connection: a failure is a state, never a page load.
 */
export function PhotoQueueView({ photos, uploads }: { photos: readonly QueuedPhoto[]; uploads: PhotoUploader }) {
  const t = useTranslations();
  if (photos.length === 0) return null;

  const statusText = (photo: QueuedPhoto) => {
    switch (photo.state) {
      case 'waiting':
        if (photo.reportId === null) return t('photos.upload.waitingForSave');
        return photo.isWaitingForConnection ? t('photos.upload.waitingForConnection') : t('photos.upload.waiting');
      case 'uploading':
        return t('photos.upload.uploading', { percent: photo.percent });
      case 'stored':
        return t('photos.upload.done');
      case 'failed':
        return `${t('photos.upload.failed')} ${t(PHOTO_ERROR_MESSAGE_KEYS[photo.error ?? 'failed'], PHOTO_ERROR_VALUES)}`;
    }
  };

  return (
    <ul aria-label={t('photos.upload.listLabel')} style={{ listStyle: 'none', padding: 0 }}>
      {photos.map((photo) => (
        <li key={photo.clientId} style={{ margin: '0.5rem 0' }}>
          <span style={{ overflowWrap: 'anywhere' }}>{photo.name}</span>{' '}
          <progress
            value={photo.percent}
            max={100}
            aria-label={t('photos.upload.progressLabel', { name: photo.name })}
            style={{ width: '100%', maxWidth: '20rem', verticalAlign: 'middle' }}
          >
            {photo.percent}%
          </progress>{' '}
          <span role="status" className={photo.state === 'failed' ? 'field-error' : undefined}>
            {statusText(photo)}
          </span>{' '}
          {photo.state === 'failed' && photo.canRetry ? (
            <button type="button" className="secondary" onClick={() => uploads.retry(photo.clientId)}>
              {t('photos.upload.retry', { name: photo.name })}
            </button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
