'use client';

import { useRef, useState, type FormEvent } from 'react';
import { useTranslations } from 'next-intl';
import { PHOTO_CAPTION_MAX_CHARS } from '@/lib/photos/captions';
import { UPLOAD_CLIENT_ID_FIELD } from '@/lib/photos/client-id';
import { PHOTO_ERROR_MESSAGE_KEYS, PHOTO_ERROR_VALUES, type PhotoErrorCode } from '@/lib/photos/outcomes';
import { photoUploadUrl } from '@/lib/photos/photo-uploader';
import { PHOTO_MIME_TYPES } from '@/lib/photos/rules';
import { PhotoQueueView, useBrowserPhotoUploads, useQueuedPhotos } from '../../_components/photo-queue-view';
import { KeptOwnerField, useKeptOwnerHint } from '../../../_device/kept-owner';

/**
 * The upload form of the photos page. Without JavaScript it is a plain multipart form (one photo,
 * its caption and the client photo id the server made for this form, so a form the browser sends
 * again is stored once) posted to the upload Route Handler, which redirects back with a message.
 * Once scripts run, it takes several files and puts each in the tab's photo queue
 * (lib/photos/photo-uploader.ts) with a client photo id of its own: a progress bar per file, Retry
 * when the connection failed, waiting while offline and going on when the connection is back —
 * never a page load, so the queue stays on the page. Photos queued for this report on another of
 * the partner's pages (the report form) are shown here too.
 */
export function PhotoUploadForm({ reportId, formClientId }: { reportId: number; formClientId: string }) {
  const t = useTranslations();
  const uploads = useBrowserPhotoUploads();
  const ownerHint = useKeptOwnerHint();
  const isEnhanced = uploads !== null;
  const queued = useQueuedPhotos(uploads, (photo) => photo.reportId === reportId);
  const [formError, setFormError] = useState<PhotoErrorCode | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const captionInput = useRef<HTMLInputElement>(null);
  const uploadUrl = photoUploadUrl(reportId);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    if (!uploads) return; // the browser posts the form itself
    event.preventDefault();
    const files = Array.from(fileInput.current?.files ?? []);
    if (files.length === 0) {
      setFormError('no_file');
      return;
    }
    setFormError(null);
    const caption = captionInput.current?.value ?? '';
    uploads.store.enqueue(files.map((file) => ({ file, name: file.name, caption, reportId, ownerHint })));
    uploads.kick();
    event.currentTarget.reset();
  };

  return (
    <>
      <form method="post" action={uploadUrl} encType="multipart/form-data" onSubmit={onSubmit} noValidate={isEnhanced}>
        <input type="hidden" name={UPLOAD_CLIENT_ID_FIELD} defaultValue={formClientId} />
        <KeptOwnerField />
        {formError ? (
          <p className="field-error" id="photo-file-error">
            {t(PHOTO_ERROR_MESSAGE_KEYS[formError], PHOTO_ERROR_VALUES)}
          </p>
        ) : null}
        <label htmlFor="photo-file">{t('photos.upload.fileLabel')}</label>
        <p className="field-hint" id="photo-file-hint">
          {t('photos.upload.fileHint', PHOTO_ERROR_VALUES)} {isEnhanced ? t('photos.upload.fileHintMultiple') : null}
        </p>
        <input
          ref={fileInput}
          id="photo-file"
          type="file"
          name="photo"
          accept={PHOTO_MIME_TYPES.join(',')}
          multiple={isEnhanced}
          required
          aria-describedby={formError ? 'photo-file-hint photo-file-error' : 'photo-file-hint'}
          aria-invalid={formError ? true : undefined}
        />
        <label htmlFor="photo-caption">{t('photos.upload.captionLabel')}</label>
        <p className="field-hint" id="photo-caption-hint">
          {t('photos.upload.captionHint')}
        </p>
        <input
          ref={captionInput}
          id="photo-caption"
          type="text"
          name="caption"
          maxLength={PHOTO_CAPTION_MAX_CHARS}
          aria-describedby="photo-caption-hint"
        />
        <div className="row-actions">
          <button type="submit">{t('photos.upload.submit')}</button>
        </div>
      </form>
      {uploads ? <PhotoQueueView photos={queued} uploads={uploads} /> : null}
    </>
  );
}
