/**
 * The public pages' content, rendered without scripts by render.tsx (docs/decisions/0014-script-free-public-pages.md).
 * Moved from the App Router pages of issue 5 with the same text and structure; every link is a
 * plain link and the filters a plain GET form, all keeping the reader's language (`?lang=`).
 * Components take the data the route handler read and use next-intl's hooks under the
 * renderer's provider; no data access here.
 */
import { useFormatter, useLocale, useTranslations } from 'next-intl';
import { Options } from '@/app/_components/options';
import { PublicReportView } from '@/app/_components/public-report-view';
import { PublicText } from '@/app/_components/public-text';
import { VEHICLE_TYPES } from '@/lib/enums';
import type { Locale } from '@/lib/i18n/config';
import { DATE_UTC } from '@/lib/i18n/formats';
import { hrefIn } from './frame';
import type { PublicPageContent } from './types';

const EXCERPT_CHARS = 280;

/** `/`: what the site is, and where to go. */
export function FrontPage() {
  const t = useTranslations('common.home');
  const tp = useTranslations('public');
  const locale = useLocale() as Locale;
  return (
    <>
      <h1>{t('title')}</h1>
      <p>{t('intro')}</p>
      <ul>
        <li>
          <a href={hrefIn(locale, '/reports')}>{t('browse')}</a>
        </li>
        <li>
          <a href={hrefIn(locale, '/stats')}>{t('stats')}</a>
        </li>
        <li>
          <a href={locale === 'ko' ? '/feed.xml?lang=ko' : '/feed.xml'} type="application/atom+xml">
            {tp('list.feed')}
          </a>
        </li>
      </ul>
    </>
  );
}

/**
 * `/reports`: published reports, newest first, with filters in a plain GET form and keyset
 * pagination. Junk filters show a message and no results, never an error page.
 */
export function ReportsPage({ content }: { content: Extract<PublicPageContent, { kind: 'reports' }> }) {
  const t = useTranslations('public');
  const locale = useLocale() as Locale;
  const { parsed, typed, page, options, selectionQuery, olderQuery, filters } = content;
  const isKo = locale === 'ko';
  const name = (o: { nameEn: string; nameKo: string }) => (isKo ? o.nameKo : o.nameEn);
  const byName = <T extends { nameEn: string; nameKo: string }>(list: T[]) => [...list].sort((a, b) => name(a).localeCompare(name(b), locale));
  const errors = parsed.ok ? {} : parsed.fieldErrors;
  const hasFilters = selectionQuery !== '';

  return (
    <>
      <h1>{t('list.title')}</h1>
      <p>{t('list.intro')}</p>

      {!parsed.ok ? (
        <div className="error-summary" role="alert" id="filter-errors">
          <p>{t('filters.errors.summary')}</p>
          <ul>
            {Object.entries(errors).map(([field, key]) => (
              <li key={field}>
                <a href={`#filter-${field}`}>{t(String(key).replace(/^public\./, ''))}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <form method="get" action="/reports" className="public-filters" aria-label={t('filters.label')}>
        {isKo ? <input type="hidden" name="lang" value="ko" /> : null}
        <fieldset>
          <legend>{t('filters.legend')}</legend>
          <div className="grid-2">
            <div>
              <label htmlFor="filter-place">{t('filters.place')}</label>
              <select id="filter-place" name="place" defaultValue={filters.place ?? ''}>
                <Options placeholder={t('filters.anyPlace')} options={options.places.map((p) => ({ value: p.id, label: `${'\u00a0\u00a0'.repeat(p.depth)}${name(p)}` }))} />
              </select>
            </div>
            <div>
              <label htmlFor="filter-vehicle">{t('filters.vehicle')}</label>
              <select id="filter-vehicle" name="vehicle" defaultValue={filters.vehicle ?? ''} aria-invalid={'vehicle' in errors ? true : undefined}>
                <Options placeholder={t('filters.anyVehicle')} options={VEHICLE_TYPES.map((type) => ({ value: type, label: t(`vehicleTypes.${type}`) }))} />
              </select>
            </div>
            {(['from', 'to'] as const).map((bound) => (
              <div key={bound}>
                <label htmlFor={`filter-${bound}`}>{t(`filters.${bound}`)}</label>
                {/* A date the filter refused is shown again as typed (cut to 20 characters). */}
                <input
                  id={`filter-${bound}`}
                  name={bound}
                  type="date"
                  defaultValue={filters[bound]?.date ?? (typed[bound] ?? '').slice(0, 20)}
                  aria-invalid={bound in errors ? true : undefined}
                  aria-describedby="filter-dates-hint"
                />
              </div>
            ))}
            <div>
              <label htmlFor="filter-category">{t('filters.category')}</label>
              <select id="filter-category" name="category" defaultValue={filters.category ?? ''}>
                <Options placeholder={t('filters.anyCategory')} options={byName(options.categories).map((c) => ({ value: c.id, label: name(c) }))} />
              </select>
            </div>
            <div>
              <label htmlFor="filter-agency">{t('filters.agency')}</label>
              <select id="filter-agency" name="agency" defaultValue={filters.agency ?? ''}>
                <Options placeholder={t('filters.anyAgency')} options={byName(options.agencies).map((a) => ({ value: a.id, label: name(a) }))} />
              </select>
            </div>
          </div>
          <p className="field-hint" id="filter-dates-hint">
            {t('filters.datesHint')}
          </p>
          <div className="row-actions">
            <button type="submit">{t('filters.apply')}</button>
            {hasFilters || !parsed.ok ? (
              <a className="button secondary" href={hrefIn(locale, '/reports')}>
                {t('filters.clear')}
              </a>
            ) : null}
          </div>
        </fieldset>
      </form>

      <section aria-labelledby="results-heading">
        <h2 id="results-heading">{hasFilters ? t('list.matching') : t('list.latest')}</h2>
        {page.items.length === 0 ? (
          <p>{filters.cursor ? t('list.noMore') : t('list.none')}</p>
        ) : (
          <ol className="public-report-list" style={{ listStyle: 'none', padding: 0 }}>
            {page.items.map(({ publicId, snapshot }) => (
              <li key={publicId} style={{ borderBottom: '1px solid var(--line)', padding: '0.5rem 0' }}>
                <h3 style={{ margin: '0.25rem 0' }}>
                  <a href={hrefIn(locale, `/reports/${publicId}`)}>
                    <PublicText text={snapshot.title} />
                  </a>
                </h3>
                <p className="field-hint">
                  {name(snapshot.place)} · {isKo ? snapshot.period.label.ko : snapshot.period.label.en}
                </p>
                {snapshot.summary.en || snapshot.summary.ko ? (
                  <p>
                    <PublicText text={snapshot.summary} maxChars={EXCERPT_CHARS} />
                  </p>
                ) : null}
              </li>
            ))}
          </ol>
        )}
        <nav aria-label={t('list.pagination')} className="row-actions">
          {filters.cursor ? <a href={hrefIn(locale, `/reports${selectionQuery}`)}>{t('list.newest')}</a> : null}
          {olderQuery !== null ? (
            <a href={hrefIn(locale, `/reports${olderQuery}`)} rel="next">
              {t('list.older')}
            </a>
          ) : null}
        </nav>
      </section>

      <section aria-labelledby="data-heading">
        <h2 id="data-heading">{t('list.data')}</h2>
        <ul>
          <li>
            <a href={`/exports/reports.csv${parsed.ok ? selectionQuery : ''}`}>{t('list.csv')}</a>
          </li>
          <li>
            <a href={`/exports/reports.json${parsed.ok ? selectionQuery : ''}`}>{t('list.json')}</a>
          </li>
          <li>
            <a href="/exports/reports.schema.json">{t('list.schema')}</a>
          </li>
          <li>
            <a href={isKo ? '/feed.xml?lang=ko' : '/feed.xml'}>{t('list.feed')}</a>
          </li>
        </ul>
      </section>
    </>
  );
}

/** `/reports/<publicId>`: the published report (the same view as the editor's preview). */
export function ReportPage({ content }: { content: Extract<PublicPageContent, { kind: 'report' }> }) {
  const t = useTranslations('public');
  const locale = useLocale() as Locale;
  return (
    <>
      <PublicReportView snapshot={content.report.snapshot} publishedAt={content.report.publishedAt} />
      <p className="print-hidden">
        <a href={hrefIn(locale, '/reports')}>{t('report.backToList')}</a>
      </p>
    </>
  );
}

/** A retracted report's URL: the notice and its reason, none of its data. */
export function RetractedPage({ content }: { content: Extract<PublicPageContent, { kind: 'retracted' }> }) {
  const t = useTranslations('public');
  const format = useFormatter();
  const locale = useLocale() as Locale;
  const date = format.dateTime(new Date(content.report.retractedAt), DATE_UTC);
  return (
    <>
      <h1>{t('retracted.title')}</h1>
      <div className="notice warn" role="note">
        <p>{t('retracted.notice', { date })}</p>
        <p>
          <strong>{t('retracted.reason')}</strong> <span style={{ whiteSpace: 'pre-line' }}>{content.report.reason}</span>
        </p>
      </div>
      <p>
        <a href={hrefIn(locale, '/reports')}>{t('report.backToList')}</a>
      </p>
    </>
  );
}

/** 404 of the public site (an unknown report id): also the answer for ids nobody may know exist. */
export function NotFoundPage() {
  const t = useTranslations('common.errors');
  const locale = useLocale() as Locale;
  return (
    <>
      <h1>{t('notFoundTitle')}</h1>
      <p>{t('notFound')}</p>
      <p>
        <a href={hrefIn(locale, '/')}>{t('goHome')}</a>
      </p>
    </>
  );
}
