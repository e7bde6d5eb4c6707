import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { NextIntlClientProvider } from 'next-intl';
import { getMessages, getTranslations } from 'next-intl/server';
import { PhotoThumbnail } from '@/app/_components/photo-thumbnail';
import { requireArea } from '@/lib/auth/session';
import { pickMessages } from '@/lib/i18n/messages';
import { PHOTO_CAPTION_MAX_CHARS } from '@/lib/photos/captions';
import {
  PHOTO_ERROR_MESSAGE_KEYS,
  PHOTO_ERROR_VALUES,
  PHOTO_NOTICE_MESSAGE_KEYS,
  toPhotoErrorCode,
  toPhotoNoticeCode,
} from '@/lib/photos/outcomes';
import { listPhotos } from '@/lib/photos/photos';
import { MAX_PHOTOS_PER_REPORT } from '@/lib/photos/rules';
import { removePhotoAction, savePhotoCaptionAction } from './actions';
import { PhotoUploadForm } from './upload-form';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('photos.page');
  return { title: t('title') };
}

/**
 * The photos of one of the partner's own reports: thumbnails (served by the authorised /photos
 * route), caption editing and removal while the report is editable, and the upload form — a page
 * of its own, so an interrupted upload never touches the report form. Every form works without
 * JavaScript. Someone else's report, or none: 404.
 */
export default async function ReportPhotosPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const account = await requireArea('partner');
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const result = listPhotos({ actor: account, reportId: id });
  if (!result.ok) notFound();
  const [t, messages] = await Promise.all([getTranslations(), getMessages()]);
  const done = toPhotoNoticeCode(query.done);
  const error = toPhotoErrorCode(query.error);
  const { photos, isEditable, reportId } = result;
  const canAddMore = isEditable && photos.length < MAX_PHOTOS_PER_REPORT;

  return (
    <>
      <p>
        <Link href={`/partner/reports/${reportId}`}>{t('photos.page.back')}</Link>
      </p>
      <h1>{t('photos.page.title')}</h1>
      <p>{t('photos.page.report', { title: result.title.trim() || t('photos.page.untitled') })}</p>

      {done ? (
        <p className="notice ok" role="status">
          {t(PHOTO_NOTICE_MESSAGE_KEYS[done])}
        </p>
      ) : null}
      {error ? (
        <div className="error-summary" role="alert" id="photos-error">
          <p>{t(PHOTO_ERROR_MESSAGE_KEYS[error], PHOTO_ERROR_VALUES)}</p>
        </div>
      ) : null}

      <p className="field-hint">{t('photos.page.privacy')}</p>

      <section aria-labelledby="photo-list-title">
        <h2 id="photo-list-title">{t('photos.page.listHeading')}</h2>
        <p>{t('photos.page.count', { count: photos.length, max: MAX_PHOTOS_PER_REPORT })}</p>
        {photos.length === 0 ? <p>{t('photos.page.empty')}</p> : null}
        <ol style={{ listStyle: 'none', padding: 0 }}>
          {photos.map((photo, index) => {
            const number = index + 1;
            return (
              <li key={photo.id} style={{ borderTop: '1px solid var(--line)', padding: '0.75rem 0' }}>
                <figure style={{ margin: 0 }}>
                  <PhotoThumbnail
                    photoId={photo.id}
                    width={photo.width}
                    height={photo.height}
                    alt={photo.caption || t('photos.page.photoAlt', { number })}
                  />
                  <figcaption>
                    <strong>{t('photos.page.photoAlt', { number })}</strong>
                    {' · '}
                    {photo.caption || t('photos.page.noCaption')}
                  </figcaption>
                </figure>
                {isEditable ? (
                  <>
                    <form action={savePhotoCaptionAction}>
                      <input type="hidden" name="reportId" value={reportId} />
                      <input type="hidden" name="photoId" value={photo.id} />
                      <label htmlFor={`caption-${photo.id}`}>{t('photos.page.captionLabel', { number })}</label>
                      <input
                        id={`caption-${photo.id}`}
                        name="caption"
                        type="text"
                        defaultValue={photo.caption}
                        maxLength={PHOTO_CAPTION_MAX_CHARS}
                      />
                      <div className="row-actions">
                        <button type="submit" className="secondary">
                          {t('photos.page.saveCaption')}
                        </button>
                      </div>
                    </form>
                    <form action={removePhotoAction}>
                      <input type="hidden" name="reportId" value={reportId} />
                      <input type="hidden" name="photoId" value={photo.id} />
                      <div className="row-actions">
                        <button type="submit" className="danger">
                          {t('photos.page.remove', { number })}
                        </button>
                      </div>
                    </form>
                  </>
                ) : null}
              </li>
            );
          })}
        </ol>
      </section>

      <section aria-labelledby="photo-upload-title">
        <h2 id="photo-upload-title">{t('photos.upload.heading')}</h2>
        {isEditable ? (
          <>
            {canAddMore ? null : <p className="notice">{t('photos.page.full', { max: MAX_PHOTOS_PER_REPORT })}</p>}
            {/* Kept on the page when full, so the progress rows of the last uploads stay visible. */}
            <NextIntlClientProvider messages={pickMessages(messages, ['photos'])}>
              <PhotoUploadForm uploadUrl={`/partner/reports/${reportId}/photos/upload`} />
            </NextIntlClientProvider>
          </>
        ) : (
          <p className="notice">{t('photos.page.locked')}</p>
        )}
      </section>
    </>
  );
}
