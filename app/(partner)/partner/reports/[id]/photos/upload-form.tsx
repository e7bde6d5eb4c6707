'use client';

import { useRef, useState, useSyncExternalStore, type FormEvent } from 'react';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { PHOTO_CAPTION_MAX_CHARS } from '@/lib/photos/captions';
import { PHOTO_ERROR_MESSAGE_KEYS, PHOTO_ERROR_VALUES, toPhotoErrorCode, type PhotoErrorCode } from '@/lib/photos/outcomes';
import { MAX_PHOTO_BYTES, PHOTO_MIME_TYPES } from '@/lib/photos/rules';

type Upload = {
  key: number;
  file: File;
  caption: string;
  state: 'waiting' | 'uploading' | 'done' | 'failed';
  /** 0–100. */
  percent: number;
  error: PhotoErrorCode | null;
  /** Whether sending the same file again could help (network trouble, not a refused photo). */
  canRetry: boolean;
};

/** useSyncExternalStore needs a subscription; "are scripts running" never changes once known. */
const subscribeNothing = () => () => {};

/** Failures that sending the same file again may fix. */
const RETRYABLE: ReadonlySet<PhotoErrorCode> = new Set<PhotoErrorCode>(['failed', 'incomplete', 'signed_out']);

/**
 * The upload form of the photos page. Without JavaScript it is a plain multipart form (one photo
 * and its caption) posted to the upload Route Handler, which redirects back with a message. Once
 * scripts run, it takes several files and sends each on its own with XMLHttpRequest, showing a
 * progress bar per file and a retry button when the connection fails; finished photos appear in
 * the list above (router.refresh) while this form and its progress rows stay as they are.
 */
export function PhotoUploadForm({ uploadUrl }: { uploadUrl: string }) {
  const t = useTranslations();
  const router = useRouter();
  // false on the server and during hydration, true once scripts run.
  const isEnhanced = useSyncExternalStore(subscribeNothing, () => true, () => false);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [formError, setFormError] = useState<PhotoErrorCode | null>(null);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const nextKey = useRef(1);
  const fileInput = useRef<HTMLInputElement>(null);
  const captionInput = useRef<HTMLInputElement>(null);

  const update = (key: number, changes: Partial<Upload>) =>
    setUploads((list) => list.map((upload) => (upload.key === key ? { ...upload, ...changes } : upload)));

  /** Send one file; resolves when it has finished or failed (never rejects). */
  const send = (upload: Upload) =>
    new Promise<void>((resolve) => {
      if (upload.file.size > MAX_PHOTO_BYTES) {
        update(upload.key, { state: 'failed', error: 'too_large', canRetry: false });
        return resolve();
      }
      const fail = (code: PhotoErrorCode) => {
        update(upload.key, { state: 'failed', error: code, canRetry: RETRYABLE.has(code) });
        resolve();
      };
      const xhr = new XMLHttpRequest();
      xhr.open('POST', uploadUrl);
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.responseType = 'json';
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable && event.total > 0) update(upload.key, { percent: Math.min(100, Math.round((event.loaded / event.total) * 100)) });
      };
      xhr.onload = () => {
        const body = xhr.response as { ok?: unknown; error?: unknown } | null;
        if (xhr.status >= 200 && xhr.status < 300 && body?.ok === true) {
          update(upload.key, { state: 'done', percent: 100, error: null, canRetry: false });
          router.refresh();
          return resolve();
        }
        fail(toPhotoErrorCode(body?.error) ?? 'failed');
      };
      xhr.onerror = () => fail('failed');
      xhr.onabort = () => fail('failed');
      xhr.ontimeout = () => fail('failed');
      const form = new FormData();
      form.append('photo', upload.file);
      form.append('caption', upload.caption);
      update(upload.key, { state: 'uploading', percent: 0, error: null, canRetry: false });
      xhr.send(form);
    });

  // One upload at a time: kinder to a slow connection, and the server counts photos in order.
  const enqueue = (upload: Upload) => {
    queue.current = queue.current.then(() => send(upload));
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    if (!isEnhanced) return; // the browser posts the form itself
    event.preventDefault();
    const files = Array.from(fileInput.current?.files ?? []);
    if (files.length === 0) {
      setFormError('no_file');
      return;
    }
    setFormError(null);
    const caption = captionInput.current?.value ?? '';
    const added = files.map((file): Upload => ({
      key: nextKey.current++,
      file,
      caption,
      state: 'waiting',
      percent: 0,
      error: null,
      canRetry: false,
    }));
    setUploads((list) => [...list, ...added]);
    added.forEach(enqueue);
    event.currentTarget.reset();
  };

  const retry = (upload: Upload) => {
    const again = { ...upload, state: 'waiting' as const, percent: 0, error: null, canRetry: false };
    update(upload.key, again);
    enqueue(again);
  };

  const statusText = (upload: Upload) => {
    if (upload.state === 'waiting') return t('photos.upload.waiting');
    if (upload.state === 'uploading') return t('photos.upload.uploading', { percent: upload.percent });
    if (upload.state === 'done') return t('photos.upload.done');
    return `${t('photos.upload.failed')} ${t(PHOTO_ERROR_MESSAGE_KEYS[upload.error ?? 'failed'], PHOTO_ERROR_VALUES)}`;
  };

  return (
    <>
      <form method="post" action={uploadUrl} encType="multipart/form-data" onSubmit={onSubmit} noValidate={isEnhanced}>
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

      {uploads.length > 0 ? (
        <ul aria-label={t('photos.upload.listLabel')} style={{ listStyle: 'none', padding: 0 }}>
          {uploads.map((upload) => (
            <li key={upload.key} style={{ margin: '0.5rem 0' }}>
              <span style={{ overflowWrap: 'anywhere' }}>{upload.file.name}</span>{' '}
              <progress
                value={upload.percent}
                max={100}
                aria-label={t('photos.upload.progressLabel', { name: upload.file.name })}
                style={{ width: '100%', maxWidth: '20rem', verticalAlign: 'middle' }}
              >
                {upload.percent}%
              </progress>{' '}
              <span role="status" className={upload.state === 'failed' ? 'field-error' : undefined}>
                {statusText(upload)}
              </span>{' '}
              {upload.state === 'failed' && upload.canRetry ? (
                <button type="button" className="secondary" onClick={() => retry(upload)}>
                  {t('photos.upload.retry', { name: upload.file.name })}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
