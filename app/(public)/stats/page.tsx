import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { DIRECTIONS, type Direction, type VehicleType } from '@/lib/enums';
import { calendarDate, DATE_UTC, DAY_MONTH_UTC, MONTH_YEAR_UTC } from '@/lib/i18n/formats';
import { getPublicStats, listReferenceNames, STATS_MAX_WEEKS } from '@/lib/publishing/public-queries';
import { HorizontalBars, HorizontalStackedBars, WeeklyStackedBars } from './charts';

export const dynamic = 'force-dynamic';

/** Agencies shown in the chart and table (the most named first). */
const AGENCIES_SHOWN = 30;

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('public'))('stats.title') };
}

/**
 * Statistics of published reports: vehicles per week by direction and by type, goods rows by
 * category and direction, agencies named. Charts are server-rendered SVG (visx), each followed by
 * a table with the same numbers, so the page reads without JavaScript and with a screen reader.
 * Retracted publications are never counted.
 */
export default async function StatsPage() {
  const [t, locale, format] = await Promise.all([getTranslations('public'), getLocale(), getFormatter()]);
  // Dates and numbers in the reader's form; a week is named by its Monday ('YYYY-MM-DD' in the data).
  const weekOf = (isoDate: string) => format.dateTime(calendarDate(isoDate), DATE_UTC);
  // Axis ticks name day and month within one calendar year; across years, month and year, so a
  // tick never reads as a date of the wrong year.
  const weekTickFor = (weeks: readonly { weekOf: string }[]) => {
    const spansYears = weeks.length > 0 && weeks[0]!.weekOf.slice(0, 4) !== weeks.at(-1)!.weekOf.slice(0, 4);
    return (isoDate: string) => format.dateTime(calendarDate(isoDate), spansYears ? MONTH_YEAR_UTC : DAY_MONTH_UTC);
  };
  const num = (value: number) => format.number(value);
  const stats = getPublicStats();
  const names = listReferenceNames();
  const isKo = locale === 'ko';
  const nameOf = (o: { nameEn: string; nameKo: string } | undefined, fallback: string) => (o ? (isKo ? o.nameKo : o.nameEn) : fallback);
  const directionLabel = (d: Direction) => t(`directions.${d}`);
  const typeLabel = (v: VehicleType) => t(`vehicleTypes.${v}`);
  const goodsRows = stats.goods.categories.map((c) => ({
    id: c.categoryId,
    label: nameOf(names.categories.get(c.categoryId), c.categoryId),
    counts: c.counts,
    total: c.total,
  }));
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
  }) => (
    <section aria-labelledby={`stats-${id}`}>
      <h2 id={`stats-${id}`}>{title}</h2>
      {series.weeks.length === 0 ? (
        <p>{t('stats.noVehicles')}</p>
      ) : (
        <>
          {showOmitted && stats.weeksOmitted > 0 ? (
            <p className="field-hint">{t('stats.weeksOmitted', { shown: STATS_MAX_WEEKS, omitted: stats.weeksOmitted })}</p>
          ) : null}
          <WeeklyStackedBars
            id={`chart-${id}`}
            title={title}
            description={t('stats.chartDescriptionWeeks', { total: series.total, first: weekOf(series.weeks[0]!.weekOf), last: weekOf(series.weeks.at(-1)!.weekOf) })}
            keys={series.keys}
            weeks={series.weeks}
            labelOf={labelOf}
            weekLabel={weekTickFor(series.weeks)}
            numberLabel={num}
          />
          <WeeklyTable
            caption={title}
            series={series}
            labelOf={labelOf}
            weekOf={weekOf}
            num={num}
            weekHeading={t('stats.weekOf')}
            totalHeading={t('stats.total')}
          />
          {series.weeks.some((w) => w.total === 0) ? <p className="field-hint">{t('stats.emptyWeeksLeftOut')}</p> : null}
        </>
      )}
    </section>
  );

  return (
    <>
      <h1>{t('stats.title')}</h1>
      <p>{t('stats.intro', { count: stats.publications })}</p>
      <p className="field-hint">{t('stats.method')}</p>

      {weeklySection({ id: 'direction', title: t('stats.vehiclesByDirection'), series: byDirection, labelOf: directionLabel, showOmitted: true })}

      {weeklySection({ id: 'type', title: t('stats.vehiclesByType'), series: byType, labelOf: typeLabel, showOmitted: false })}

      <section aria-labelledby="stats-goods">
        <h2 id="stats-goods">{t('stats.goods')}</h2>
        {goodsRows.length === 0 ? (
          <p>{t('stats.noGoods')}</p>
        ) : (
          <>
            <HorizontalStackedBars
              id="chart-goods"
              title={t('stats.goods')}
              description={t('stats.chartDescriptionGoods', { total: stats.goods.total })}
              keys={DIRECTIONS.filter((d) => goodsRows.some((row) => row.counts[d] > 0))}
              rows={goodsRows}
              labelOf={directionLabel}
              numberLabel={num}
            />
            <div className="table-scroll">
              <table>
                <caption className="visually-hidden">{t('stats.goods')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('stats.category')}</th>
                    {DIRECTIONS.map((d) => (
                      <th scope="col" key={d}>
                        {directionLabel(d)}
                      </th>
                    ))}
                    <th scope="col">{t('stats.total')}</th>
                  </tr>
                </thead>
                <tbody>
                  {goodsRows.map((row) => (
                    <tr key={row.id}>
                      <th scope="row">{row.label}</th>
                      {DIRECTIONS.map((d) => (
                        <td key={d}>{num(row.counts[d])}</td>
                      ))}
                      <td>{num(row.total)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>

      <section aria-labelledby="stats-agencies">
        <h2 id="stats-agencies">{t('stats.agencies')}</h2>
        {agencyRows.length === 0 ? (
          <p>{t('stats.noAgencies')}</p>
        ) : (
          <>
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
            <div className="table-scroll">
              <table>
                <caption className="visually-hidden">{t('stats.agencies')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('stats.agency')}</th>
                    <th scope="col">{t('stats.publicationsNaming')}</th>
                  </tr>
                </thead>
                <tbody>
                  {agencyRows.map((row) => (
                    <tr key={row.id}>
                      <th scope="row">{row.label}</th>
                      <td>{num(row.value)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>

      <p>
        <Link href="/reports">{t('stats.browse')}</Link> · <a href="/exports/reports.csv">{t('list.csv')}</a>
      </p>
    </>
  );
}

/**
 * The numbers behind a weekly chart: one row a week with observations (weeks of zeros are left
 * out; the chart shows them), one column a key, and the week's total.
 */
function WeeklyTable<K extends string>({
  caption,
  series,
  labelOf,
  weekOf,
  num,
  weekHeading,
  totalHeading,
}: {
  caption: string;
  series: { keys: readonly K[]; weeks: readonly { weekOf: string; counts: Record<K, number>; total: number }[] };
  labelOf: (key: K) => string;
  weekOf: (isoDate: string) => string;
  num: (value: number) => string;
  weekHeading: string;
  totalHeading: string;
}) {
  return (
    <div className="table-scroll">
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{weekHeading}</th>
            {series.keys.map((k) => (
              <th scope="col" key={k}>
                {labelOf(k)}
              </th>
            ))}
            <th scope="col">{totalHeading}</th>
          </tr>
        </thead>
        <tbody>
          {series.weeks
            .filter((w) => w.total > 0)
            .map((w) => (
              <tr key={w.weekOf}>
                <th scope="row">
                  <time dateTime={w.weekOf}>{weekOf(w.weekOf)}</time>
                </th>
                {series.keys.map((k) => (
                  <td key={k}>{num(w.counts[k])}</td>
                ))}
                <td>{num(w.total)}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}
