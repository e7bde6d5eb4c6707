import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { Options } from '@/app/_components/options';
import { PublicText } from '@/app/_components/public-text';
import { VEHICLE_TYPES } from '@/lib/enums';
import { filtersToQuery, parsePublicFilters } from '@/lib/publishing/filters';
import { listFilterOptions, listPublications, type PublicationPage } from '@/lib/publishing/public-queries';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('public');
  return {
    title: t('list.title'),
    alternates: { types: { 'application/atom+xml': [{ url: '/feed.xml', title: t('feed.title') }] } },
  };
}

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const EXCERPT_CHARS = 280;

/**
 * Published reports, newest first, with filters in a plain GET form (works without JavaScript)
 * and keyset pagination. Junk filters show a message and no results, never an error page.
 */
export default async function PublicReportsPage({ searchParams }: Props) {
  const [params, t, locale] = await Promise.all([searchParams, getTranslations('public'), getLocale()]);
  const parsed = parsePublicFilters(params);
  const filters = parsed.filters;
  const page: PublicationPage = parsed.ok ? listPublications({ filters }) : { items: [], nextCursor: null };
  const options = listFilterOptions();
  const isKo = locale === 'ko';
  const name = (o: { nameEn: string; nameKo: string }) => (isKo ? o.nameKo : o.nameEn);
  const byName = <T extends { nameEn: string; nameKo: string }>(list: T[]) =>
    [...list].sort((a, b) => name(a).localeCompare(name(b), locale));
  const errors = parsed.ok ? {} : parsed.fieldErrors;
  const selectionQuery = filtersToQuery({ ...filters, cursor: null });
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
                <a href={`#filter-${field}`}>{t(key.replace(/^public\./, ''))}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <form method="get" action="/reports" className="public-filters" aria-label={t('filters.label')}>
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
              <select
                id="filter-vehicle"
                name="vehicle"
                defaultValue={filters.vehicle ?? ''}
                aria-invalid={errors.vehicle ? true : undefined}
              >
                <Options placeholder={t('filters.anyVehicle')} options={VEHICLE_TYPES.map((type) => ({ value: type, label: t(`vehicleTypes.${type}`) }))} />
              </select>
            </div>
            {(['from', 'to'] as const).map((bound) => {
              // A date the filter refused is shown again as typed (cut to 20 characters).
              const typed = params[bound];
              return (
                <div key={bound}>
                  <label htmlFor={`filter-${bound}`}>{t(`filters.${bound}`)}</label>
                  <input
                    id={`filter-${bound}`}
                    name={bound}
                    type="date"
                    defaultValue={filters[bound]?.date ?? (typeof typed === 'string' ? typed.slice(0, 20) : '')}
                    aria-invalid={errors[bound] ? true : undefined}
                    aria-describedby="filter-dates-hint"
                  />
                </div>
              );
            })}
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
              <Link className="button secondary" href="/reports">
                {t('filters.clear')}
              </Link>
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
                  <Link href={`/reports/${publicId}`}>
                    <PublicText text={snapshot.title} />
                  </Link>
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
          {filters.cursor ? <Link href={`/reports${selectionQuery}`}>{t('list.newest')}</Link> : null}
          {page.nextCursor ? (
            <Link href={`/reports${filtersToQuery(filters, page.nextCursor)}`} rel="next">
              {t('list.older')}
            </Link>
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
