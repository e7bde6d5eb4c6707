'use client';

import { useEffect, useRef, type ChangeEvent } from 'react';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { PHOTO_ERROR_VALUES } from '@/lib/photos/outcomes';
import { PHOTO_MIME_TYPES } from '@/lib/photos/rules';
import { useKeptOwnerHint } from '../../_device/kept-owner';
import { PhotoQueueView, useBrowserPhotoUploads, useQueuedPhotos } from './photo-queue-view';

/**
 * The report form's photo picker (scripts on; form-photos.tsx). Picked photos go into the tab's
 * photo queue (lib/photos/photo-uploader.ts) tagged with the form's client id, each with its own
 * client photo id; until the draft's first save they wait, then they are given the new report and
 * uploaded, through dropped connections, stored once each. Picking a photo on a form never saved
 * asks for a save at once (and again when the connection comes back), so the photos do not wait
 * for typing. The queue is kept on the device (_device/photo-store.ts, loaded here on first use)
 * and put back after a reload. The file input has no name: the form's own posts never carry the files.
 */
export default function FormPhotosPicker({
  accountId,
  formClientId,
  reportId,
  requestSave,
  onUnsentPhotos,
}: {
  accountId: number;
  formClientId: string;
  reportId: number | null;
  requestSave: () => void;
  onUnsentPhotos: (count: number) => void;
}) {
  const t = useTranslations();
  const uploads = useBrowserPhotoUploads();
  // The account this form was rendered for: its photos are uploaded under it only (lib/auth/tab-owner.ts).
  const ownerHint = useKeptOwnerHint();
  const queued = useQueuedPhotos(uploads, (photo) => photo.formClientId === formClientId || (reportId !== null && photo.reportId === reportId));
  const hasUnassigned = queued.some((photo) => photo.reportId === null);
  const unsentCount = queued.filter((photo) => photo.state === 'waiting' || photo.state === 'uploading' || (photo.state === 'failed' && photo.canRetry)).length;
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!uploads) return;
    // The photos kept on the device come back into the queue (a reload, a report given back).
    void import('../../_device/photo-store').then(({ keepBrowserPhotoQueue }) => keepBrowserPhotoQueue(accountId, ownerHint)).catch(() => undefined);
  }, [uploads, accountId, ownerHint]);

  useEffect(() => {
    onUnsentPhotos(unsentCount);
  }, [unsentCount, onUnsentPhotos]);

  useEffect(() => {
    if (!uploads || reportId === null) return;
    uploads.store.assignReport(formClientId, reportId);
    uploads.kick();
  }, [uploads, reportId, formClientId, queued.length]);

  useEffect(() => {
    if (!hasUnassigned) return;
    // A first save that failed offline: try again when the connection is back (autosave only
    // retries a change, and a form with nothing typed yet has none).
    window.addEventListener('online', requestSave);
    return () => window.removeEventListener('online', requestSave);
  }, [hasUnassigned, requestSave]);

  if (!uploads) return null;

  const onPick = (event: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(event.currentTarget.files ?? []);
    if (files.length === 0) return;
    uploads.store.enqueue(files.map((file) => ({ file, name: file.name, caption: '', reportId, formClientId, ownerHint })));
    event.currentTarget.value = '';
    if (reportId === null) requestSave();
    else uploads.kick();
  };

  return (
    <>
      <label htmlFor="form-photo-files">{t('photos.formPhotos.label')}</label>
      <p className="field-hint" id="form-photo-files-hint">
        {t('photos.formPhotos.hint', PHOTO_ERROR_VALUES)}
      </p>
      <input ref={fileInput} id="form-photo-files" type="file" accept={PHOTO_MIME_TYPES.join(',')} multiple onChange={onPick} aria-describedby="form-photo-files-hint" />
      <PhotoQueueView photos={queued} uploads={uploads} />
      {reportId !== null && queued.length > 0 ? (
        <p>
          {/* A client-side move: the queue (this tab's memory) goes on uploading on the photos page. */}
          <Link href={`/partner/reports/${reportId}/photos`}>{t('photos.formPhotos.manage')}</Link>
        </p>
      ) : null}
    </>
  );
}
