'use client';

import { useEffect, useState } from 'react';
import { useTranslations } from 'next-intl';
import { PhotoThumbnail } from '@/app/_components/photo-thumbnail';
import { PHOTO_CAPTION_MAX_CHARS } from '@/lib/photos/captions';
import { getBrowserPhotoUploads, type ListedPhoto } from '@/lib/photos/photo-uploader';
import { MAX_PHOTOS_PER_REPORT } from '@/lib/photos/rules';
import { KeptOwnerField } from '../../../_device/kept-owner';
import { removePhotoAction, savePhotoCaptionAction } from './actions';
import { PhotoUploadForm } from './upload-form';

/**
 * The list and upload parts of the photos page. The list is the server's (`initialPhotos`, from
 * the page) until an upload is answered: the upload route's answer carries the report's list,
 * shown at once — no router refresh, which on a dropped connection would fall back to a full page
 * load and replace the page (and the upload queue) with the browser's offline page. A new render
 * of the page (after a caption is saved or a photo removed) brings a new list, which wins again.
 * Caption and remove forms are Server Action forms: they work without scripts.
 */
export function ReportPhotos({
  reportId,
  initialPhotos,
  isEditable,
  formClientId,
}: {
  reportId: number;
  initialPhotos: ListedPhoto[];
  isEditable: boolean;
  /** The client photo id of the no-script upload form (made by the server for this page). */
  formClientId: string;
}) {
  const t = useTranslations();
  const [listed, setListed] = useState({ from: initialPhotos, photos: initialPhotos });
  if (listed.from !== initialPhotos) setListed({ from: initialPhotos, photos: initialPhotos });
  useEffect(
    () =>
      getBrowserPhotoUploads().subscribeListed((answeredFor, photos) => {
        if (answeredFor === reportId) setListed((current) => ({ from: current.from, photos }));
      }),
    [reportId],
  );
  const { photos } = listed;
  const canAddMore = isEditable && photos.length < MAX_PHOTOS_PER_REPORT;

  return (
    <>
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
                  <PhotoThumbnail photoId={photo.id} width={photo.width} height={photo.height} alt={photo.caption || t('photos.page.photoAlt', { number })} />
                  <figcaption>
                    <strong>{t('photos.page.photoAlt', { number })}</strong>
                    {' · '}
                    {photo.caption || t('photos.page.noCaption')}
                  </figcaption>
                </figure>
                {isEditable ? (
                  <>
                    <form action={savePhotoCaptionAction}>
                      <KeptOwnerField />
                      <input type="hidden" name="reportId" value={reportId} />
                      <input type="hidden" name="photoId" value={photo.id} />
                      <label htmlFor={`caption-${photo.id}`}>{t('photos.page.captionLabel', { number })}</label>
                      <input id={`caption-${photo.id}`} name="caption" type="text" defaultValue={photo.caption} maxLength={PHOTO_CAPTION_MAX_CHARS} />
                      <div className="row-actions">
                        <button type="submit" className="secondary">
                          {t('photos.page.saveCaption')}
                        </button>
                      </div>
                    </form>
                    <form action={removePhotoAction}>
                      <KeptOwnerField />
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
            <PhotoUploadForm reportId={reportId} formClientId={formClientId} />
          </>
        ) : (
          <p className="notice">{t('photos.page.locked')}</p>
        )}
      </section>
    </>
  );
}
