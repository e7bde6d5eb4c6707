/**
 * `/stats`: statistics of published reports under the /reports filters (issue 20 item 5) — a map
 * per province, observations beside the reports they come from, vehicles per week by direction and
 * by type, goods quantities summed per unit by category and direction, agencies named. Charts are server-drawn SVG (visx, stats/charts.tsx),
 * each followed by a table with the same numbers, so the page reads without JavaScript and with a
 * screen reader. Retracted publications are never counted. Moved from the App Router page of
 * issue 5; rendered by render.tsx without scripts.
 */
import { useFormatter, useLocale, useTranslations } from 'next-intl';
import { DIRECTIONS, type Direction, type VehicleType } from '@/lib/enums';
import type { Locale } from '@/lib/i18n/config';
import { calendarDate, DATE_UTC, DAY_MONTH_UTC, MONTH_YEAR_UTC } from '@/lib/i18n/formats';
import { DataTable } from '@/app/_components/data-table';
import { TextInItsLanguage } from '@/app/_components/public-text';
import { filtersToQuery } from '@/lib/publishing/filters';
import { PublicDataLinks } from '../_components/data-links';
import { PublicFiltersForm } from '../_components/public-filters';
import { HorizontalBars, HorizontalStackedBars, WeeklyStackedBars } from '../stats/charts';
import { OfficialTradeSection, officialTradeProps } from '../stats/official-trade';
import { hrefIn } from './frame';
import { PublicMapSection } from './map';
import type { PublicPageContent } from './types';

/** Agencies shown in the chart and table (the most named first). */
const AGENCIES_SHOWN = 30;

/** Charts of goods quantities: one per unit, for the units with most rows (the table has all). */
const GOODS_UNIT_CHARTS = 3;

export function StatsPage({ content }: { content: Extract<PublicPageContent, { kind: 'stats' }> }) {
  const t = useTranslations('public');
  const tOfficial = useTranslations('official');
  const locale = useLocale() as Locale;
  const format = useFormatter();
  const STATS_MAX_WEEKS = content.maxWeeks;
  // Dates and numbers in the reader's form; a week is named by its Monday ('YYYY-MM-DD' in the data).
  const weekOf = (isoDate: string) => format.dateTime(calendarDate(isoDate), DATE_UTC);
  // Axis ticks name day and month within one calendar year; across years, month and year, so a
  // tick never reads as a date of the wrong year.
  const weekTickFor = (weeks: readonly { weekOf: string }[]) => {
    const spansYears = weeks.length > 0 && weeks[0]!.weekOf.slice(0, 4) !== weeks.at(-1)!.weekOf.slice(0, 4);
    return (isoDate: string) => format.dateTime(calendarDate(isoDate), spansYears ? MONTH_YEAR_UTC : DAY_MONTH_UTC);
  };
  const num = (value: number) => format.number(value);
  const { stats, names, parsed, typed, options, selectionQuery, map } = content;
  const isFiltered = selectionQuery !== '';
  const isKo = locale === 'ko';
  const nameOf = (o: { nameEn: string; nameKo: string } | undefined, fallback: string) => (o ? (isKo ? o.nameKo : o.nameEn) : fallback);
  const directionLabel = (d: Direction) => t(`directions.${d}`);
  const typeLabel = (v: VehicleType) => t(`vehicleTypes.${v}`);
  const categoryName = (id: string) => nameOf(names.categories.get(id), id);
  const unitLabel = (unit: string | null) => (unit === null ? t('stats.noQuantity') : unit === '' ? t('stats.noUnit') : unit);
  const goodsGroups = stats.goods.groups;
  // Units by their number of rows, most first: one chart each (quantities never added across units).
  const unitRows = new Map<string, number>();
  for (const g of goodsGroups) if (g.unit !== null) unitRows.set(g.unit, (unitRows.get(g.unit) ?? 0) + g.rows);
  const chartedUnits = [...unitRows].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([unit]) => unit);
  const agencyRows = stats.agencies.slice(0, AGENCIES_SHOWN).map((a, i) => ({
    id: a.agencyId ?? `other-${i}`,
    label: a.agencyId ? nameOf(names.agencies.get(a.agencyId), a.name) : a.name,
    value: a.publications,
  }));
  const byDirection = stats.vehiclesByDirection;
  const byType = stats.vehiclesByType;

  /** One weekly series: its chart, then the same numbers as a table (or a note when empty). */
  const weeklySection = <K extends string>({
    id,
    title,
    series,
    labelOf,
    showOmitted,
  }: {
    id: string;
    title: string;
    series: { keys: K[]; weeks: { weekOf: string; counts: Record<K, number>; total: number }[]; total: number };
    labelOf: (key: K) => string;
    showOmitted: boolean;
  }) => {
    const [first, last] = [series.weeks[0], series.weeks.at(-1)];
    return (
      <StatsSection id={id} title={title} empty={first && last ? null : t('stats.noVehicles')}>
        {showOmitted && stats.weeksOmitted > 0 ? <p className="field-hint">{t('stats.weeksOmitted', { shown: STATS_MAX_WEEKS, omitted: stats.weeksOmitted })}</p> : null}
        <WeeklyStackedBars
          id={`chart-${id}`}
          title={title}
          description={first && last ? t('stats.chartDescriptionWeeks', { total: series.total, first: weekOf(first.weekOf), last: weekOf(last.weekOf) }) : ''}
          keys={series.keys}
          weeks={series.weeks}
          labelOf={labelOf}
          weekLabel={weekTickFor(series.weeks)}
          numberLabel={num}
        />
        {/* Weeks of zeros are left out of the table; the chart shows them. */}
        <CountsTable
          caption={title}
          headers={[t('stats.weekOf'), ...series.keys.map(labelOf), t('stats.total')]}
          rows={series.weeks
            .filter((w) => w.total > 0)
            .map((w) => ({ id: w.weekOf, label: <time dateTime={w.weekOf}>{weekOf(w.weekOf)}</time>, counts: [...series.keys.map((k) => w.counts[k]), w.total] }))}
          num={num}
        />
        {series.weeks.some((w) => w.total === 0) ? <p className="field-hint">{t('stats.emptyWeeksLeftOut')}</p> : null}
      </StatsSection>
    );
  };

  return (
    <>
      <h1>{t('stats.title')}</h1>
      {/* The filters of /reports (issue 20 item 5): one form, one parser (lib/publishing/filters.ts). */}
      <PublicFiltersForm action="/stats" parsed={parsed} typed={typed} options={options} clearHref={isFiltered || !parsed.ok ? hrefIn(locale, '/stats') : null} />
      {isFiltered && parsed.ok ? <p>{t('stats.filtered')}</p> : null}
      <p>{t('stats.intro', { count: stats.publications })}</p>
      <p className="field-hint">{t('stats.method')}</p>

      {/* Counts per province: each published place coarsened further, never finer (lib/map/border-map.ts). */}
      <PublicMapSection
        id="stats-map-svg"
        kind="stats"
        model={map}
        placeHref={(entry) => (entry.placeId ? hrefIn(locale, `/stats${filtersToQuery({ ...parsed.filters, place: entry.placeId, cursor: null })}`) : null)}
      />

      <section aria-labelledby="stats-observations">
        <h2 id="stats-observations">{t('stats.observationsTitle')}</h2>
        <DataTable
          caption={t('stats.observationsTitle')}
          rows={[
            { id: 'vehicles', label: t('stats.vehicleSightings'), ...stats.observations.vehicles },
            { id: 'goods', label: t('stats.goodsRows'), ...stats.observations.goods },
            { id: 'agencies', label: t('stats.agencyRows'), ...stats.observations.agencies },
          ]}
          rowKey={(row) => row.id}
          columns={[
            { header: t('stats.observationKind'), isRowHeader: true, cell: (row) => row.label },
            { header: t('stats.observationRows'), cell: (row) => num(row.rows) },
            { header: t('stats.observationReports'), cell: (row) => num(row.reports) },
          ]}
        />
      </section>

      {weeklySection({ id: 'direction', title: t('stats.vehiclesByDirection'), series: byDirection, labelOf: directionLabel, showOmitted: true })}

      {weeklySection({ id: 'type', title: t('stats.vehiclesByType'), series: byType, labelOf: typeLabel, showOmitted: false })}

      <StatsSection id="goods" title={t('stats.goods')} empty={goodsGroups.length === 0 ? t('stats.noGoods') : null}>
        <p className="field-hint">{t('stats.goodsMethod')}</p>
        {chartedUnits.length > GOODS_UNIT_CHARTS ? <p className="field-hint">{t('stats.goodsUnitsOmitted', { shown: GOODS_UNIT_CHARTS })}</p> : null}
        {chartedUnits.slice(0, GOODS_UNIT_CHARTS).map((unit, i) => {
          const rows = goodsGroups
            .filter((g) => g.unit === unit && g.total > 0)
            .map((g) => ({ id: g.categoryId, label: categoryName(g.categoryId), counts: g.quantities, total: g.total }));
          if (rows.length === 0) return null;
          return (
            <HorizontalStackedBars
              key={unit}
              id={`chart-goods-${i}`}
              title={t('stats.goodsChartTitle', { unit: unitLabel(unit) })}
              description={t('stats.chartDescriptionGoods', { unit: unitLabel(unit) })}
              keys={DIRECTIONS.filter((d) => rows.some((row) => row.counts[d] > 0))}
              rows={rows}
              labelOf={directionLabel}
              numberLabel={num}
            />
          );
        })}
        <DataTable
          caption={t('stats.goods')}
          rows={goodsGroups}
          rowKey={(g) => JSON.stringify([g.categoryId, g.unit])}
          columns={[
            { header: t('stats.category'), isRowHeader: true, cell: (g) => categoryName(g.categoryId) },
            { header: t('stats.unit'), cell: (g) => (g.unit ? <TextInItsLanguage text={g.unit} /> : unitLabel(g.unit)) },
            ...DIRECTIONS.map((d) => ({ header: directionLabel(d), key: d, cell: (g: (typeof goodsGroups)[number]) => (g.unit === null ? '–' : num(g.quantities[d])) })),
            { header: t('stats.quantityTotal'), cell: (g) => (g.unit === null ? '–' : num(g.total)) },
            { header: t('stats.rows'), cell: (g) => num(g.rows) },
            { header: t('stats.reports'), cell: (g) => num(g.reports) },
          ]}
        />
      </StatsSection>

      <StatsSection id="agencies" title={t('stats.agencies')} empty={agencyRows.length === 0 ? t('stats.noAgencies') : null}>
        {stats.agencies.length > AGENCIES_SHOWN ? (
          <p className="field-hint">{t('stats.agenciesOmitted', { shown: AGENCIES_SHOWN, omitted: stats.agencies.length - AGENCIES_SHOWN })}</p>
        ) : null}
        <HorizontalBars
          id="chart-agencies"
          title={t('stats.agencies')}
          description={t('stats.chartDescriptionAgencies', { count: agencyRows.length })}
          rows={agencyRows}
          numberLabel={num}
        />
        <CountsTable
          caption={t('stats.agencies')}
          headers={[t('stats.agency'), t('stats.publicationsNaming')]}
          rows={agencyRows.map((row) => ({ ...row, label: <TextInItsLanguage text={row.label} />, counts: [row.value] }))}
          num={num}
        />
      </StatsSection>

      <OfficialTradeSection
        {...officialTradeProps({
          series: content.official.series,
          // The observations take the same public filters as the rest of /stats (stats/route.ts).
          observed: content.official.observed,
          t: tOfficial as unknown as (key: string, values?: Record<string, string | number>) => string,
          monthLabel: (month) => format.dateTime(calendarDate(`${month}-01`), MONTH_YEAR_UTC),
          num,
        })}
      />

      <section aria-labelledby="stats-data">
        <h2 id="stats-data">{t('stats.data')}</h2>
        <PublicDataLinks query={parsed.ok ? selectionQuery : ''} first={{ href: hrefIn(locale, `/reports${parsed.ok ? selectionQuery : ''}`), label: t('stats.browse') }} />
      </section>
    </>
  );
}

/**
 * One statistic: a heading, then either its chart and table (`children`) or, when there is
 * nothing to count (`empty` not null), that sentence alone.
 */
function StatsSection({ id, title, empty, children }: { id: string; title: string; empty: string | null; children: React.ReactNode }) {
  return (
    <section aria-labelledby={`stats-${id}`}>
      <h2 id={`stats-${id}`}>{title}</h2>
      {empty === null ? children : <p>{empty}</p>}
    </section>
  );
}

/**
 * The numbers behind a chart, for screen readers and text browsers: one row a bar (named by a
 * row heading), one column a count. `headers` names the row-heading column, then each count.
 */
function CountsTable({
  caption,
  headers,
  rows,
  num,
}: {
  caption: string;
  headers: string[];
  rows: { id: string; label: React.ReactNode; counts: number[] }[];
  /** The reader's form of a count. */
  num: (value: number) => string;
}) {
  const [rowHeading = '', ...countHeadings] = headers;
  return (
    <DataTable
      caption={caption}
      rows={rows}
      rowKey={(row) => row.id}
      columns={[
        { header: rowHeading, isRowHeader: true, cell: (row) => row.label },
        ...countHeadings.map((header, i) => ({ header, cell: (row: (typeof rows)[number]) => num(row.counts[i] ?? 0) })),
      ]}
    />
  );
}
