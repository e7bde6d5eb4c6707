import { AxisBottom, AxisLeft } from '@visx/axis';
import { Group } from '@visx/group';
import { scaleBand, scaleLinear, scaleOrdinal } from '@visx/scale';
import { BarStack, BarStackHorizontal } from '@visx/shape';
import type { ReactNode } from 'react';

/**
 * Charts for /stats, drawn with visx as server components: plain SVG in the HTML, no client
 * JavaScript. Each chart is an `<svg role="img">` with a title and a text description; the page
 * puts a data table beneath each one, which is where screen readers and text browsers read the
 * numbers. Colours come from one fixed palette (distinguishable in greyscale by order and legend).
 */

/** Okabe–Ito colour-blind-safe palette. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#8a7500', '#444444'] as const;

const WIDTH = 480;
/** Widest bar of a weekly chart, so a few weeks do not become slabs. */
const MAX_BAND = 40;
const AXIS_FONT = { fontSize: 12, fill: '#1b1b1b', fontFamily: 'system-ui, sans-serif' } as const;

/** Axis labels are cut to fit the margin; the table beneath has the full names. */
function shorten(label: string, max = 20): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

type LegendItem = { key: string; label: string; color: string };

/** What both stacked charts hand visx: the rows, the keys stacked in order, each key's count and colour. */
function stackOf<K extends string, D extends Record<K, number>>(data: D[], keys: K[], color: (key: K) => string) {
  return { data, keys, value: (d: D, key: K) => d[key], color: (key: K) => color(key) };
}

/**
 * An SVG coordinate to a tenth of a unit: finer than a 480-unit chart can show at any size it is
 * drawn, and a fifth of the digits visx writes (17-digit floats made /stats 390 KB at 100,000
 * reports; bench budget 7b, issue 20).
 */
const tenth = (value: number) => Math.round(value * 10) / 10;

/** The part of a visx stack that is drawn: each segment's box and colour. */
type StackSegments = { index: number; bars: { index: number; x: number; y: number; width: number; height: number; color: string }[] }[];

/**
 * A visx stack as plain rects at a tenth of a unit, one group per key carrying its colour (a key's
 * segments share it), empty segments left out (nothing to see).
 */
function stackRects(stacks: StackSegments): ReactNode {
  return stacks.map((stack) => {
    const drawn = stack.bars.filter((bar) => bar.width > 0 && bar.height > 0);
    if (drawn.length === 0) return null;
    return (
      <g key={stack.index} fill={drawn[0]!.color}>
        {drawn.map((bar) => (
          <rect key={bar.index} x={tenth(bar.x)} y={tenth(bar.y)} width={tenth(bar.width)} height={tenth(bar.height)} />
        ))}
      </g>
    );
  });
}

/** What every chart is named by: its element id prefix, title and text description. */
type ChartText = { id: string; title: string; description: string };

/** One colour of the palette per key, in the keys' order. */
function paletteFor<K extends string>(keys: readonly K[]) {
  return scaleOrdinal<K, string>({ domain: [...keys], range: keys.map((_, i) => PALETTE[i % PALETTE.length]!) });
}

/** A legend as an HTML list (readable, wraps at 360 px). */
export function Legend({ items }: { items: LegendItem[] }) {
  return (
    <ul className="chart-legend" style={{ listStyle: 'none', padding: 0, display: 'flex', flexWrap: 'wrap', gap: '0.25rem 1rem' }}>
      {items.map((item) => (
        <li key={item.key}>
          <span
            aria-hidden="true"
            style={{ display: 'inline-block', width: '0.9em', height: '0.9em', background: item.color, marginRight: '0.35em', verticalAlign: 'middle' }}
          />
          {item.label}
        </li>
      ))}
    </ul>
  );
}

/**
 * The figure around every chart: an `<svg role="img">` named by its title and description, the
 * chart's drawing inside, and the legend (if any) beneath as an HTML list.
 */
function ChartFigure({ id, title, description, height, legend, children }: ChartText & { height: number; legend?: LegendItem[]; children: ReactNode }) {
  return (
    <figure style={{ margin: 0 }}>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-labelledby={`${id}-title ${id}-desc`} style={{ maxWidth: `${WIDTH}px`, height: 'auto' }}>
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {children}
      </svg>
      {legend ? <Legend items={legend} /> : null}
    </figure>
  );
}

/**
 * Stacked bars per week (one bar a week, one colour per key). `weeks` in time order; at most a
 * label every few weeks so labels never overlap.
 */
export function WeeklyStackedBars<K extends string>({
  id,
  title,
  description,
  keys,
  weeks,
  labelOf,
  weekLabel = String,
  numberLabel = String,
}: ChartText & {
  keys: K[];
  weeks: { weekOf: string; counts: Record<K, number>; total: number }[];
  labelOf: (key: K) => string;
  /** The reader's form of a week's first day ('YYYY-MM-DD' in) for the axis. */
  weekLabel?: (weekOf: string) => string;
  /** The reader's form of a count for the axis. */
  numberLabel?: (value: number) => string;
}) {
  const height = 280;
  const margin = { top: 10, right: 40, bottom: 30, left: 44 };
  const innerWidth = WIDTH - margin.left - margin.right;
  const innerHeight = height - margin.top - margin.bottom;
  const max = Math.max(1, ...weeks.map((w) => w.total));
  const plotWidth = Math.min(innerWidth, weeks.length * MAX_BAND);
  const xScale = scaleBand<string>({ domain: weeks.map((w) => w.weekOf), range: [0, plotWidth], padding: 0.2 });
  const yScale = scaleLinear<number>({ domain: [0, max], range: [innerHeight, 0], nice: true });
  const color = paletteFor(keys);
  const every = Math.max(1, Math.ceil(weeks.length / 4));
  const data = weeks.map((w) => ({ weekOf: w.weekOf, ...w.counts }));

  return (
    <ChartFigure id={id} title={title} description={description} height={height} legend={keys.map((key) => ({ key, label: labelOf(key), color: color(key) }))}>
      <Group left={margin.left} top={margin.top}>
        <BarStack<(typeof data)[number], K> {...stackOf(data, keys, color)} x={(d) => d.weekOf} xScale={xScale} yScale={yScale}>
          {stackRects}
        </BarStack>
        <AxisLeft scale={yScale} tickValues={yScale.ticks(5).filter(Number.isInteger)} tickFormat={(v) => numberLabel(Number(v))} tickLabelProps={() => ({ ...AXIS_FONT, textAnchor: 'end', dx: -4, dy: 3 })} />
        <AxisBottom
          top={innerHeight}
          scale={xScale}
          tickValues={weeks.filter((_, i) => i % every === 0).map((w) => w.weekOf)}
          tickFormat={(v) => weekLabel(v)}
          tickLabelProps={() => ({ ...AXIS_FONT, textAnchor: 'middle' })}
        />
      </Group>
    </ChartFigure>
  );
}

/**
 * The frame both horizontal charts share: one band a row down the left (labelled, cut to fit),
 * a count axis along the bottom from 0 to `max`, and `bars` drawn on those scales.
 */
function HorizontalChart({
  rows,
  max,
  marginLeft,
  numberLabel,
  legend,
  bars,
  ...text
}: ChartText & {
  rows: readonly { id: string; label: string }[];
  /** The largest count shown (the axis is made nice from it). */
  max: number;
  /** Room for the row labels, in SVG units. */
  marginLeft: number;
  numberLabel: (value: number) => string;
  legend?: LegendItem[];
  bars: (scales: { xScale: ReturnType<typeof scaleLinear<number>>; yScale: ReturnType<typeof scaleBand<string>> }) => ReactNode;
}) {
  const rowHeight = 30;
  const margin = { top: 10, right: 16, bottom: 30, left: marginLeft };
  const innerWidth = WIDTH - margin.left - margin.right;
  const innerHeight = rowHeight * rows.length;
  const height = innerHeight + margin.top + margin.bottom;
  const yScale = scaleBand<string>({ domain: rows.map((r) => r.id), range: [0, innerHeight], padding: 0.2 });
  const xScale = scaleLinear<number>({ domain: [0, Math.max(1, max)], range: [0, innerWidth], nice: true });
  const labels = new Map(rows.map((r) => [r.id, r.label]));

  return (
    <ChartFigure {...text} height={height} legend={legend}>
      <Group left={margin.left} top={margin.top}>
        {bars({ xScale, yScale })}
        <AxisLeft scale={yScale} tickFormat={(v) => shorten(labels.get(v) ?? v)} tickLabelProps={() => ({ ...AXIS_FONT, textAnchor: 'end', dx: -4, dy: 3 })} />
        <AxisBottom top={innerHeight} scale={xScale} tickValues={xScale.ticks(5).filter(Number.isInteger)} tickFormat={(v) => numberLabel(Number(v))} tickLabelProps={() => ({ ...AXIS_FONT, textAnchor: 'middle' })} />
      </Group>
    </ChartFigure>
  );
}

/** Horizontal stacked bars, one per row (e.g. goods category), one colour per key (direction). */
export function HorizontalStackedBars<K extends string>({
  keys,
  rows,
  labelOf,
  numberLabel = String,
  ...text
}: ChartText & {
  keys: K[];
  rows: { id: string; label: string; counts: Record<K, number>; total: number }[];
  labelOf: (key: K) => string;
  /** The reader's form of a count for the axis. */
  numberLabel?: (value: number) => string;
}) {
  const color = paletteFor(keys);
  const data = rows.map((r) => ({ id: r.id, ...r.counts }));
  return (
    <HorizontalChart
      {...text}
      rows={rows}
      max={Math.max(...rows.map((r) => r.total))}
      marginLeft={140}
      numberLabel={numberLabel}
      legend={keys.map((key) => ({ key, label: labelOf(key), color: color(key) }))}
      bars={({ xScale, yScale }) => (
        <BarStackHorizontal<(typeof data)[number], K> {...stackOf(data, keys, color)} y={(d) => d.id} xScale={xScale} yScale={yScale}>
          {stackRects}
        </BarStackHorizontal>
      )}
    />
  );
}

/** Horizontal bars with one value each (e.g. publications naming an agency). */
export function HorizontalBars({
  rows,
  numberLabel = String,
  ...text
}: ChartText & {
  rows: { id: string; label: string; value: number }[];
  /** The reader's form of a count for the axis. */
  numberLabel?: (value: number) => string;
}) {
  return (
    <HorizontalChart
      {...text}
      rows={rows}
      max={Math.max(...rows.map((r) => r.value))}
      marginLeft={160}
      numberLabel={numberLabel}
      bars={({ xScale, yScale }) =>
        rows.map((row) => <rect key={row.id} x={0} y={tenth(yScale(row.id) ?? 0)} width={tenth(xScale(row.value))} height={tenth(yScale.bandwidth())} fill={PALETTE[0]} />)
      }
    />
  );
}
