/**
 * The public pages' content, rendered without scripts by render.tsx (docs/decisions/0014-script-free-public-pages.md).
 * Moved from the App Router pages of issue 5 with the same text and structure; every link is a
 * plain link and the filters a plain GET form, all keeping the reader's language (`?lang=`).
 * Components take the data the route handler read and use next-intl's hooks under the
 * renderer's provider; no data access here.
 */
import { languageOfText } from '@/lib/i18n/text-language';
import { useFormatter, useLocale, useTranslations } from 'next-intl';
import { PublicReportView } from '@/app/_components/public-report-view';
import { PublicText } from '@/app/_components/public-text';
import type { Locale } from '@/lib/i18n/config';
import { DATE_UTC } from '@/lib/i18n/formats';
import { filtersToQuery } from '@/lib/publishing/filters';
import { PublicDataLinks } from '../_components/data-links';
import { PublicFiltersForm } from '../_components/public-filters';
import { hrefIn } from './frame';
import { PublicMapSection } from './map';
import type { PublicPageContent } from './types';

const EXCERPT_CHARS = 280;

/** `/`: what the site is, and where to go. */
export function FrontPage() {
  const t = useTranslations('common.home');
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
            {t('feed')}
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
  const { parsed, typed, page, options, selectionQuery, olderQuery, filters, map } = content;
  const isKo = locale === 'ko';
  const name = (o: { nameEn: string; nameKo: string }) => (isKo ? o.nameKo : o.nameEn);
  const hasFilters = selectionQuery !== '';

  return (
    <>
      <h1>{t('list.title')}</h1>
      <p>{t('list.intro')}</p>

      <PublicFiltersForm
        action="/reports"
        parsed={parsed}
        typed={typed}
        options={options}
        clearHref={hasFilters || !parsed.ok ? hrefIn(locale, '/reports') : null}
      />

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

      {/* The map follows the filters: every matching publication at its published place. */}
      <PublicMapSection
        id="reports-map"
        kind="reports"
        model={map}
        placeHref={(entry) => (entry.placeId ? hrefIn(locale, `/reports${filtersToQuery({ ...filters, place: entry.placeId, cursor: null })}`) : null)}
      />

      <section aria-labelledby="data-heading">
        <h2 id="data-heading">{t('list.data')}</h2>
        <PublicDataLinks query={parsed.ok ? selectionQuery : ''} />
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
      {/* The published (coarsened) place only: the snapshot's, never the report's own. */}
      <PublicMapSection id="report-map" kind="report" model={content.map} />
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
          <strong>{t('retracted.reason')}</strong> <span style={{ whiteSpace: 'pre-line' }} lang={languageOfText(content.report.reason) ?? undefined}>{content.report.reason}</span>
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
