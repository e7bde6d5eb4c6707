import { useLocale, useTranslations } from 'next-intl';
import { Options } from '@/app/_components/options';
import { VEHICLE_TYPES } from '@/lib/enums';
import type { Locale } from '@/lib/i18n/config';
import type { ParsedFilters, PublicMessageKey } from '@/lib/publishing/filters';
import type { NamedOption, PlaceOption } from '@/lib/publishing/public-queries';

/**
 * The filters of /reports as a plain GET form (works without JavaScript), shared by /reports and
 * /stats so both read the same query (lib/publishing/filters.ts): place, vehicle type, date range,
 * goods category, agency, and the reader's language as a hidden field. Refused values are listed
 * above the form (links to their fields) and a refused date is shown again as typed. Props in,
 * markup out, with next-intl's React hooks only: it renders in the script-free public pages
 * (app/(public)/_static/render.tsx, docs/decisions/0014-script-free-public-pages.md).
 */
export function PublicFiltersForm({
  action,
  parsed,
  typed,
  options,
  clearHref,
}: {
  /** The page the form submits to ('/reports', '/stats'). */
  action: string;
  parsed: ParsedFilters;
  /** The raw `from`/`to` values (a refused date is shown again as typed, cut to 20 characters). */
  typed: Record<string, string | undefined>;
  options: { places: PlaceOption[]; categories: NamedOption[]; agencies: NamedOption[] };
  /** Shown as "Clear filters" when any filter is set or refused (already in the reader's language). */
  clearHref: string | null;
}) {
  const t = useTranslations('public');
  const locale = useLocale() as Locale;
  const filters = parsed.filters;
  const errors: Partial<Record<string, PublicMessageKey>> = parsed.ok ? {} : parsed.fieldErrors;
  const isKo = locale === 'ko';
  const name = (o: { nameEn: string; nameKo: string }) => (isKo ? o.nameKo : o.nameEn);
  const byName = <T extends { nameEn: string; nameKo: string }>(list: T[]) => [...list].sort((a, b) => name(a).localeCompare(name(b), locale));
  return (
    <>
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

      <form method="get" action={action} className="public-filters" aria-label={t('filters.label')}>
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
            {clearHref !== null ? (
              <a className="button secondary" href={clearHref}>
                {t('filters.clear')}
              </a>
            ) : null}
          </div>
        </fieldset>
      </form>
    </>
  );
}
