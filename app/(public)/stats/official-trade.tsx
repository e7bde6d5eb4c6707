import { AxisBottom, AxisLeft } from '@visx/axis';
import { Group } from '@visx/group';
import { scaleBand, scaleLinear } from '@visx/scale';
import { Bar, LinePath } from '@visx/shape';
import { OFFICIAL_FLOWS, type OfficialFlow } from '@/lib/official/format';
import { confirmedOf, sideBySide, sourcesOf, type ObservedMonth, type PublicOfficialSeries, type SideBySideMonth } from '@/lib/official/series';
import { DataTable } from '@/app/_components/data-table';
import { Legend, PALETTE } from './charts';

/**
 * Official monthly trade beside what partners saw (issue 21 item 3), for /stats: two charts on one
 * month axis — official trade per flow (lines, million US dollars) above, vehicles seen crossing
 * and goods observations per month below (bars, counts) — so the two never share a scale they do
 * not share in fact; then one table with every number, the sources and the caveat. Server-rendered
 * SVG (visx), no script. Props in, markup out: the page hands translated texts and formatters.
 */

const WIDTH = 480;
const MARGIN = { top: 10, right: 16, bottom: 30, left: 52 };
const AXIS_FONT = { fontSize: 12, fill: '#1b1b1b', fontFamily: 'system-ui, sans-serif' } as const;
const OBSERVED_COLORS = { vehicles: PALETTE[3], goodsRows: PALETTE[4] } as const;
/** Widest band of a month, so a few months do not become slabs. */
const MAX_BAND = 48;

/** Texts of the section, already in the reader's language. */
export type OfficialTradeTexts = {
  title: string;
  caveat: string;
  officialChart: string;
  officialChartDescription: string;
  observedChart: string;
  observedChartDescription: string;
  vehicles: string;
  goods: string;
  month: string;
  tableCaption: string;
  noData: string;
  noOfficial: string;
  missing: string;
  observedMethod: string;
  sources: string;
  confirmedTitle: string;
  /** Null when no month is left out. */
  leftOut: string | null;
  downloads: string;
  csv: string;
  json: string;
  schema: string;
  flowName: (flow: OfficialFlow) => string;
  valueColumn: (flowName: string) => string;
};

/**
 * The section.
 * @param months the one time axis (lib/official/series.ts sideBySide), oldest first
 * @param sources each source with the months it gives ('2018-06, 2018-07' in `months`)
 * @param confirmed months published despite a failed check, with the admin's note
 * @param monthLabel the reader's form of a 'YYYY-MM' month
 * @param num the reader's form of a number
 */
export function OfficialTradeSection({
  months,
  sources,
  confirmed,
  texts,
  monthLabel,
  num,
}: {
  months: SideBySideMonth[];
  sources: { source: string; url: string | null; months: string }[];
  confirmed: { month: string; note: string }[];
  texts: OfficialTradeTexts;
  monthLabel: (month: string) => string;
  num: (value: number) => string;
}) {
  const flows = OFFICIAL_FLOWS.filter((flow) => months.some((m) => m.official[flow]));
  const first = months[0];
  const last = months.at(-1);
  return (
    <section aria-labelledby="stats-official">
      <h2 id="stats-official">{texts.title}</h2>
      <p className="notice">{texts.caveat}</p>
      {texts.leftOut ? <p className="field-hint">{texts.leftOut}</p> : null}
      {!first || !last ? (
        <p>{texts.noData}</p>
      ) : (
        <>
          {flows.length === 0 ? <p>{texts.noOfficial}</p> : null}
          {flows.length > 0 ? (
            <OfficialLines
              id="chart-official"
              title={texts.officialChart}
              description={texts.officialChartDescription}
              months={months}
              flows={flows}
              flowName={texts.flowName}
              monthLabel={monthLabel}
              num={num}
            />
          ) : null}
          <ObservedBars
            id="chart-observed"
            title={texts.observedChart}
            description={texts.observedChartDescription}
            months={months}
            labels={{ vehicles: texts.vehicles, goodsRows: texts.goods }}
            monthLabel={monthLabel}
            num={num}
          />
          <p className="field-hint">{texts.observedMethod}</p>
          {/* Months with neither official figures nor observations are left out of the table; the charts show them. */}
          <DataTable
            caption={texts.tableCaption}
            rows={months.filter((m) => Object.keys(m.official).length > 0 || m.observed.vehicles > 0 || m.observed.goodsRows > 0)}
            rowKey={(m) => m.month}
            columns={[
              { header: texts.month, isRowHeader: true, cell: (m) => <time dateTime={m.month}>{monthLabel(m.month)}</time> },
              ...flows.map((flow) => ({
                header: texts.valueColumn(texts.flowName(flow)),
                cell: (m: SideBySideMonth) => {
                  const figure = m.official[flow];
                  return figure ? num(figure.millions) : texts.missing;
                },
              })),
              { header: texts.vehicles, cell: (m) => num(m.observed.vehicles) },
              { header: texts.goods, cell: (m) => num(m.observed.goodsRows) },
            ]}
          />
        </>
      )}
      {sources.length > 0 ? (
        <>
          <h3>{texts.sources}</h3>
          <ul>
            {sources.map((s) => (
              <li key={`${s.source}|${s.url ?? ''}`}>
                {s.months}: {s.url ? <a href={s.url}>{s.source}</a> : s.source}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {confirmed.length > 0 ? (
        <>
          <h3>{texts.confirmedTitle}</h3>
          <ul>
            {confirmed.map((c) => (
              <li key={c.month}>
                {monthLabel(c.month)}: {c.note}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p>
        {texts.downloads} <a href="/exports/official-trade.csv">{texts.csv}</a> · <a href="/exports/official-trade.json">{texts.json}</a> ·{' '}
        <a href="/exports/official-trade.schema.json">{texts.schema}</a>
      </p>
    </section>
  );
}

type ChartProps = { id: string; title: string; description: string; months: SideBySideMonth[]; monthLabel: (month: string) => string; num: (value: number) => string };

/** The month axis both charts share: same band per month, a label every few months. */
function monthAxis(months: SideBySideMonth[]) {
  const innerWidth = WIDTH - MARGIN.left - MARGIN.right;
  const xScale = scaleBand<string>({ domain: months.map((m) => m.month), range: [0, Math.min(innerWidth, months.length * MAX_BAND)], padding: 0.2 });
  const every = Math.max(1, Math.ceil(months.length / 5));
  return { xScale, ticks: months.filter((_, i) => i % every === 0).map((m) => m.month) };
}

function Figure({ id, title, description, height, legend, children }: { id: string; title: string; description: string; height: number; legend: { key: string; label: string; color: string }[]; children: React.ReactNode }) {
  return (
    <figure style={{ margin: '0 0 1rem' }}>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-labelledby={`${id}-title ${id}-desc`} style={{ maxWidth: `${WIDTH}px`, height: 'auto' }}>
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {children}
      </svg>
      <Legend items={legend} />
    </figure>
  );
}

/** Official trade per flow: one line per flow, a dot per month with a figure, gaps where none. */
function OfficialLines({ flows, flowName, ...chart }: ChartProps & { flows: OfficialFlow[]; flowName: (flow: OfficialFlow) => string }) {
  const height = 220;
  const innerHeight = height - MARGIN.top - MARGIN.bottom;
  const { xScale, ticks } = monthAxis(chart.months);
  const max = Math.max(1, ...chart.months.flatMap((m) => flows.map((flow) => m.official[flow]?.millions ?? 0)));
  const yScale = scaleLinear<number>({ domain: [0, max], range: [innerHeight, 0], nice: true });
  const x = (m: SideBySideMonth) => (xScale(m.month) ?? 0) + xScale.bandwidth() / 2;
  const color = (flow: OfficialFlow) => PALETTE[OFFICIAL_FLOWS.indexOf(flow)]!;
  return (
    <Figure id={chart.id} title={chart.title} description={chart.description} height={height} legend={flows.map((flow) => ({ key: flow, label: flowName(flow), color: color(flow) }))}>
      <Group left={MARGIN.left} top={MARGIN.top}>
        {flows.map((flow) => (
          <g key={flow}>
            <LinePath<SideBySideMonth> data={chart.months} x={x} y={(m) => yScale(m.official[flow]?.millions ?? 0)} defined={(m) => m.official[flow] !== undefined} stroke={color(flow)} strokeWidth={2} />
            {chart.months
              .filter((m) => m.official[flow])
              .map((m) => (
                <circle key={m.month} cx={x(m)} cy={yScale(m.official[flow]!.millions)} r={3} fill={color(flow)} />
              ))}
          </g>
        ))}
        <AxisLeft scale={yScale} numTicks={5} tickFormat={(v) => chart.num(Number(v))} tickLabelProps={() => ({ ...AXIS_FONT, textAnchor: 'end', dx: -4, dy: 3 })} />
        <AxisBottom top={innerHeight} scale={xScale} tickValues={ticks} tickFormat={(v) => chart.monthLabel(v)} tickLabelProps={() => ({ ...AXIS_FONT, textAnchor: 'middle' })} />
      </Group>
    </Figure>
  );
}

/** Vehicles seen crossing and goods observations per month: two bars side by side in each month's band. */
function ObservedBars({ labels, ...chart }: ChartProps & { labels: { vehicles: string; goodsRows: string } }) {
  const height = 200;
  const innerHeight = height - MARGIN.top - MARGIN.bottom;
  const { xScale, ticks } = monthAxis(chart.months);
  const keys = ['vehicles', 'goodsRows'] as const;
  const inner = scaleBand<(typeof keys)[number]>({ domain: [...keys], range: [0, xScale.bandwidth()], padding: 0.1 });
  const max = Math.max(1, ...chart.months.flatMap((m) => [m.observed.vehicles, m.observed.goodsRows]));
  const yScale = scaleLinear<number>({ domain: [0, max], range: [innerHeight, 0], nice: true });
  return (
    <Figure id={chart.id} title={chart.title} description={chart.description} height={height} legend={keys.map((key) => ({ key, label: labels[key], color: OBSERVED_COLORS[key] }))}>
      <Group left={MARGIN.left} top={MARGIN.top}>
        {chart.months.flatMap((m) =>
          keys.map((key) => (
            <Bar
              key={`${m.month}-${key}`}
              x={(xScale(m.month) ?? 0) + (inner(key) ?? 0)}
              y={yScale(m.observed[key])}
              width={inner.bandwidth()}
              height={innerHeight - yScale(m.observed[key])}
              fill={OBSERVED_COLORS[key]}
            />
          )),
        )}
        <AxisLeft scale={yScale} tickValues={yScale.ticks(5).filter(Number.isInteger)} tickFormat={(v) => chart.num(Number(v))} tickLabelProps={() => ({ ...AXIS_FONT, textAnchor: 'end', dx: -4, dy: 3 })} />
        <AxisBottom top={innerHeight} scale={xScale} tickValues={ticks} tickFormat={(v) => chart.monthLabel(v)} tickLabelProps={() => ({ ...AXIS_FONT, textAnchor: 'middle' })} />
      </Group>
    </Figure>
  );
}

/**
 * The section's props from the public series and the observations per month (the page reads
 * both from lib/official/public.ts with its filters) and the reader's translator and formats.
 * @param t next-intl translator of the `official` namespace
 */
export function officialTradeProps({
  series,
  observed,
  t,
  monthLabel,
  num,
}: {
  series: PublicOfficialSeries;
  observed: readonly ObservedMonth[];
  t: (key: string, values?: Record<string, string | number>) => string;
  monthLabel: (month: string) => string;
  num: (value: number) => string;
}): Parameters<typeof OfficialTradeSection>[0] {
  const months = sideBySide(series, observed);
  const [first, last] = [months[0]?.month ?? '', months.at(-1)?.month ?? ''];
  const span = { first: first && monthLabel(first), last: last && monthLabel(last) };
  return {
    months,
    sources: sourcesOf(series),
    confirmed: confirmedOf(series),
    monthLabel,
    num,
    texts: {
      title: t('stats.title'),
      caveat: t('stats.caveat'),
      officialChart: t('stats.officialChart'),
      officialChartDescription: t('stats.officialChartDescription', span),
      observedChart: t('stats.observedChart'),
      observedChartDescription: t('stats.observedChartDescription', span),
      vehicles: t('stats.vehicles'),
      goods: t('stats.goods'),
      month: t('stats.month'),
      tableCaption: t('stats.tableCaption'),
      noData: t('stats.noData'),
      noOfficial: t('stats.noOfficial'),
      missing: t('stats.missing'),
      observedMethod: t('stats.observedMethod'),
      sources: t('stats.sources'),
      confirmedTitle: t('stats.confirmedTitle'),
      leftOut: series.leftOut > 0 ? t('stats.leftOut', { count: series.leftOut }) : null,
      downloads: t('stats.downloads'),
      csv: t('stats.csv'),
      json: t('stats.json'),
      schema: t('stats.schema'),
      flowName: (flow) => t(`flows.${flow}`),
      valueColumn: (flow) => t('stats.valueColumn', { flow }),
    },
  };
}
