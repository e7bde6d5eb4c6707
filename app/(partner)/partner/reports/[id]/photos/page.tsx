import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { NextIntlClientProvider } from 'next-intl';
import { getMessages, getTranslations } from 'next-intl/server';
import { requireArea } from '@/lib/auth/session';
import { pickMessages } from '@/lib/i18n/messages';
import { newClientPhotoId } from '@/lib/photos/client-id';
import {
  PHOTO_ERROR_MESSAGE_KEYS,
  PHOTO_ERROR_VALUES,
  PHOTO_NOTICE_MESSAGE_KEYS,
  toPhotoErrorCode,
  toPhotoNoticeCode,
} from '@/lib/photos/outcomes';
import { listPhotos } from '@/lib/photos/photos';
import { ReportPhotos } from './report-photos';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('photos.page');
  return { title: t('title') };
}

/**
 * The photos of one of the partner's own reports: thumbnails (served by the authorised /photos
 * route), caption editing and removal while the report is editable, and the upload form — a page
 * of its own, so an interrupted upload never touches the report form. Every form works without
 * JavaScript; the no-script upload form carries a client photo id made here for each render, so
 * the browser sending that form again stores the photo once (issue 18 item 6).
 * Someone else's report, or none: 404.
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

      <NextIntlClientProvider messages={pickMessages(messages, ['photos'])}>
        <ReportPhotos
          reportId={reportId}
          initialPhotos={photos.map(({ id: photoId, width, height, caption }) => ({ id: photoId, width, height, caption }))}
          isEditable={isEditable}
          formClientId={newClientPhotoId()}
        />
      </NextIntlClientProvider>
    </>
  );
}
