import { useFormatter, useLocale, useTranslations } from 'next-intl';
import { DATE_UTC } from '@/lib/i18n/formats';
import type { PublicationSnapshot } from '@/lib/publishing/snapshot';
import { toPublicPhotos } from '@/lib/publishing/reader-photos';
import { pickLanguage } from '@/lib/publishing/languages';
import type { Locale } from '@/lib/i18n/config';
import { DataTable } from './data-table';
import { LanguageMarker, PublicText, TextInItsLanguage } from './public-text';
import { PhotoThumbnail } from './photo-thumbnail';

/**
 * The public report: the one component that renders both /reports/[publicId] and the editor's
 * preview on the publish page, so the preview is exactly what readers will see. It shows only the
 * snapshot (already coarsened; see lib/publishing/snapshot.ts) and has no data access, so it can
 * run as a server component (public page) or inside the editor's client form (preview).
 * Text is plain and escaped by React; reference names follow the reader's language. Photos are
 * the ones the editor chose, with the caption the editor approved. On the public page each is
 * linked by its random public id (`/photos/<publicId>`, issue 16 item 12), which the route serves
 * only while the publication is live; the page never holds a photo's internal id. The editor's
 * preview (`photoLinks="internal"`) shows photos by their internal id, which only signed-in
 * editors and the partner can load: nothing is public yet, so they have no public id.
 */
export function PublicReportView({
  snapshot,
  publishedAt,
  headingLevel = 1,
  photoLinks = 'public',
}: {
  snapshot: PublicationSnapshot;
  /** Latest publication time (UTC ms), or null in a preview of a first publication. */
  publishedAt: number | null;
  /** 1 on the public page; 2 inside the editor's page, which has its own h1. */
  headingLevel?: 1 | 2;
  /** 'public' (the public page): photos by public id only. 'internal': the editor's preview. */
  photoLinks?: 'public' | 'internal';
}) {
  const t = useTranslations('public');
  const format = useFormatter();
  const locale = useLocale();
  const isKo = locale === 'ko';
  const Heading = headingLevel === 1 ? 'h1' : 'h2';
  const Sub = headingLevel === 1 ? 'h2' : 'h3';
  const name = (names: { nameEn: string; nameKo: string }) => (isKo ? names.nameKo : names.nameEn);
  const firstPublished = snapshot.firstPublishedAt;
  // Title and summary in the reader's language, else the other one, marked (issue 19 item 11).
  const summary = pickLanguage(snapshot.summary, locale as Locale);
  const paragraphs = (summary?.text ?? '').split(/\n{2,}/).filter((p) => p.trim() !== '');
  const day = (epochMs: number) => format.dateTime(new Date(epochMs), DATE_UTC);
  // The unit is free text (a partner's 'tonnes', '톤'): marked with its language when not the page's.
  const amount = (value: number, unit: string | null) => (
    <>
      {format.number(value)}
      {unit ? (
        <>
          {' '}
          <TextInItsLanguage text={unit} />
        </>
      ) : null}
    </>
  );
  const shownPhotos =
    photoLinks === 'internal'
      ? (snapshot.photos ?? []).map((photo) => ({ address: String(photo.id), caption: photo.caption, width: photo.width, height: photo.height }))
      : toPublicPhotos(snapshot).map((photo) => ({ address: photo.publicId, caption: photo.caption, width: photo.width, height: photo.height }));

  return (
    <article className="public-report" aria-labelledby="public-report-title">
      <Heading id="public-report-title">
        <PublicText text={snapshot.title} />
      </Heading>
      <p className="public-report-attribution">{isKo ? snapshot.attribution.ko : snapshot.attribution.en}</p>
      <dl className="public-report-facts">
        <dt>{t('report.place')}</dt>
        <dd>{name(snapshot.place)}</dd>
        <dt>{t('report.when')}</dt>
        <dd>{isKo ? snapshot.period.label.ko : snapshot.period.label.en}</dd>
        <dt>{t('report.published')}</dt>
        <dd>
          {publishedAt === null ? (
            t('report.notYetPublished')
          ) : firstPublished !== null && isoDate(firstPublished) !== isoDate(publishedAt) ? (
            t('report.publishedAndUpdated', { first: day(firstPublished), latest: day(publishedAt) })
          ) : (
            <time dateTime={isoDate(publishedAt)}>{day(publishedAt)}</time>
          )}
        </dd>
        {snapshot.grading ? (
          <>
            <dt>{t('report.grading')}</dt>
            <dd>
              {t('report.gradingValue', {
                grade: `${snapshot.grading.sourceReliability}${snapshot.grading.informationCredibility}`,
                reliability: t(`admiralty.reliability.${snapshot.grading.sourceReliability}`),
                credibility: t(`admiralty.credibility.${snapshot.grading.informationCredibility}`),
              })}
            </dd>
          </>
        ) : null}
      </dl>

      {summary && paragraphs.length > 0 ? (
        <section aria-label={t('report.summary')}>
          {summary.isFallback ? (
            <p className="field-hint">
              <LanguageMarker lang={summary.lang} />
            </p>
          ) : null}
          <div lang={summary.lang}>
          {paragraphs.map((paragraph, i) => (
            <p key={i} style={{ whiteSpace: 'pre-line' }}>
              {paragraph}
            </p>
          ))}
          </div>
        </section>
      ) : null}

      {shownPhotos.length > 0 ? (
        <section>
          <Sub>{t('report.photos')}</Sub>
          <ul style={{ listStyle: 'none', padding: 0, display: 'flex', flexWrap: 'wrap', gap: '1rem' }}>
            {shownPhotos.map((photo, i) => (
              <li key={photo.address} style={{ maxWidth: '100%' }}>
                <figure style={{ margin: 0 }}>
                  <PhotoThumbnail
                    photoId={photo.address}
                    width={photo.width}
                    height={photo.height}
                    alt={photo.caption || t('report.photoAlt', { number: i + 1 })}
                    box={480}
                  />
                  {photo.caption ? (
                    <figcaption>
                      <TextInItsLanguage text={photo.caption} />
                    </figcaption>
                  ) : null}
                </figure>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {snapshot.vehicles.length > 0 ? (
        <section>
          <Sub>{t('report.vehicles')}</Sub>
          <DataTable
            label={t('report.vehicles')}
            rows={snapshot.vehicles}
            columns={[
              { header: t('report.vehicleType'), cell: (row) => t(`vehicleTypes.${row.vehicleType}`) },
              { header: t('report.count'), cell: (row) => (row.isEstimate ? t('report.estimate', { count: row.count }) : format.number(row.count)) },
              { header: t('report.direction'), cell: (row) => t(`directions.${row.direction}`) },
              { header: t('report.colours'), cell: (row) => <TextInItsLanguage text={row.colours} /> },
              { header: t('report.cargo'), cell: (row) => <TextInItsLanguage text={row.cargo} /> },
            ]}
          />
        </section>
      ) : null}

      {snapshot.goods.length > 0 ? (
        <section>
          <Sub>{t('report.goods')}</Sub>
          <DataTable
            label={t('report.goods')}
            rows={snapshot.goods}
            columns={[
              { header: t('report.category'), cell: (row) => (isKo ? row.categoryNameKo : row.categoryNameEn) },
              { header: t('report.description'), cell: (row) => <TextInItsLanguage text={row.description} /> },
              { header: t('report.direction'), cell: (row) => t(`directions.${row.direction}`) },
              { header: t('report.quantity'), cell: (row) => (row.quantity === null ? '' : amount(row.quantity, row.unit)) },
              { header: t('report.value'), cell: (row) => (row.value === null ? '' : amount(row.value, row.currency)) },
            ]}
          />
        </section>
      ) : null}

      {snapshot.agencies.length > 0 ? (
        <section>
          <Sub>{t('report.agencies')}</Sub>
          <ul>
            {snapshot.agencies.map((row, i) => (
              <li key={i}>
                {/* An agency the partner named ("other") is free text in its own language. */}
                {t.rich('report.agencyWithRole', { name: () => <TextInItsLanguage text={name(row)} />, role: t(`agencyRoles.${row.role}`) })}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </article>
  );
}

/** UTC calendar date of an instant, 'YYYY-MM-DD' (the machine-readable `dateTime` of <time>). */
function isoDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}
