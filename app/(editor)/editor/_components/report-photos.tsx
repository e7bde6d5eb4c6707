import { getTranslations } from 'next-intl/server';
import { PhotoThumbnail } from '@/app/_components/photo-thumbnail';
import type { Actor } from '@/lib/accounts/actor';
import { listPhotos } from '@/lib/photos/photos';

/**
 * The review page's photos section: every photo of the report with the partner's caption, as
 * thumbnails linked to the full photo (both served by the authorised /photos route). Photos stay
 * private until an editor picks them on the publish page. Renders nothing if `actor` may not see
 * the report (the page has already answered 404 then). Folded under its heading (a plain <details>)
 * unless `isOpen` (the report is new to the desk) or there is no photo.
 */
export async function ReportPhotos({ actor, reportId, isOpen = false }: { actor: Actor; reportId: number; isOpen?: boolean }) {
  const result = listPhotos({ actor, reportId });
  if (!result.ok) return null;
  const t = await getTranslations('photos.review');
  const { photos } = result;
  return (
    <section aria-labelledby="photos-title">
      {photos.length === 0 ? (
        <>
          <h2 id="photos-title">{t('heading', { count: photos.length })}</h2>
          <p>{t('empty')}</p>
        </>
      ) : (
        <details className="fold" open={isOpen || undefined}>
          <summary>
            <h2 id="photos-title">{t('heading', { count: photos.length })}</h2>
          </summary>
          <p className="field-hint">{t('hint')}</p>
          <ul style={{ listStyle: 'none', padding: 0, display: 'flex', flexWrap: 'wrap', gap: '1rem' }}>
            {photos.map((photo, index) => (
              <li key={photo.id} style={{ maxWidth: '15rem' }}>
                <figure style={{ margin: 0 }}>
                  <PhotoThumbnail
                    photoId={photo.id}
                    width={photo.width}
                    height={photo.height}
                    alt={photo.caption || t('photoAlt', { number: index + 1 })}
                  />
                  <figcaption>
                    <span className="visually-hidden">{t('caption', { number: index + 1 })}: </span>
                    {photo.caption || t('noCaption')}
                    <br />
                    <small>{t('size', { width: photo.width, height: photo.height, kilobytes: Math.ceil(photo.bytes / 1024) })}</small>
                  </figcaption>
                </figure>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
