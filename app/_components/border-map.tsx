import { markerRadius, type BorderMapModel, type MapEntry } from '@/lib/map/border-map';
import { BORDER_MAP_DATA } from '@/lib/map/border-map-data';
import { projectOnBorderMap } from '@/lib/map/projection';
import type { Country, PlaceKind } from '@/lib/publishing/coarsen';
import { DataTable } from './data-table';

/** The map's words in the reader's language (the page translates them). */
export type BorderMapLabels = {
  /** The map's name (the SVG's title and the table's caption). */
  title: string;
  /** What the map shows, for screen readers (the SVG's desc): "12 published reports at 4 places…". */
  description: string;
  place: string;
  level: string;
  count: string;
  onMap: string;
  /** "Yes" in the on-the-map column. */
  drawn: string;
  /** Why a place is not drawn: published for the whole country / no coordinates or off the map. */
  notDrawnCountry: string;
  notDrawnNoPoint: string;
  /** Marks the place the page is about in the list ("this report", "the exact place"). */
  highlighted: string;
  kinds: Record<PlaceKind | 'country', string>;
  countries: Record<Country, string>;
  rivers: { amrok: string; tuman: string };
  /** Shown instead of the list when nothing is counted. */
  empty: string;
};

/** Where the country names and river names stand (degrees), chosen to sit clear of the towns. */
const COUNTRY_LABEL_AT: Record<'CN' | 'KP', [number, number]> = { CN: [124.2, 42.7], KP: [126.9, 40.0] };
const RIVER_LABEL_AT = { amrok: [124.75, 40.62], tuman: [128.35, 42.62] } as const;

/** How near (beyond its radius) a smaller marker may come to a larger one's centre before the larger one's count moves above it, in SVG units. */
const COUNT_LABEL_CLEARANCE = 6;

/**
 * The border region as a server-rendered SVG (no script, no request: the outline is inline,
 * lib/map/border-map-data.ts), with the markers of `model` (lib/map/border-map.ts: each at its
 * place's own gazetteer coordinate, its count inside), followed by a table with the same
 * information for screen readers and text browsers. The SVG is one image (`role="img"`, named by
 * its title and desc). Props in, markup out: no hooks, no data access, so it renders in any server
 * render (App Router page, a route handler's renderToString).
 *
 * `placeHref`: a link for a place in the table (the /reports filter for it), or none.
 * `showTowns`: draw the gazetteer's towns (default); a report's own page leaves them out, so no
 * town's name stands beside the one place the page is published for.
 */
export function BorderMap({
  id,
  model,
  labels,
  locale,
  placeHref,
  showTowns = true,
}: {
  /** Unique on the page: prefixes the ids of the SVG's title and desc. */
  id: string;
  model: BorderMapModel;
  labels: BorderMapLabels;
  locale: 'en' | 'ko';
  placeHref?: (entry: MapEntry) => string | null;
  showTowns?: boolean;
}) {
  const { width, height, land, rivers } = BORDER_MAP_DATA;
  const nameOf = (o: { nameEn: string; nameKo: string }) => (locale === 'ko' ? o.nameKo : o.nameEn);
  const drawn = model.entries.filter((entry) => entry.point !== null);
  // Largest first, so smaller circles stay on top and visible.
  const markers = [...drawn].sort((a, b) => b.count - a.count || Number(a.isHighlighted) - Number(b.isHighlighted));
  const at = ([lon, lat]: readonly [number, number]) => projectOnBorderMap(lon, lat) ?? { x: 0, y: 0 };
  return (
    <figure className="border-map" style={{ margin: '1rem 0' }}>
      <svg
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        style={{ maxWidth: `${width}px`, height: 'auto', display: 'block' }}
        fontFamily="system-ui, sans-serif"
      >
        <title id={`${id}-title`}>{labels.title}</title>
        <desc id={`${id}-desc`}>{labels.description}</desc>
        <rect width={width} height={height} fill="#dce9f5" />
        <g stroke="#8a8a8a" strokeWidth={0.6} strokeLinejoin="round">
          <path d={land.KR} fill="#ececec" />
          <path d={land.RU} fill="#ececec" />
          <path d={land.CN} fill="#f3efe4" />
          <path d={land.KP} fill="#ebe4f1" />
        </g>
        <g fill="none" stroke="#2f6fb0" strokeWidth={1.8} strokeLinejoin="round" strokeLinecap="round">
          <path d={rivers.amrok} />
          <path d={rivers.tuman} />
        </g>
        <g fontSize={15} fill="#6b6b6b" letterSpacing="0.08em" textAnchor="middle">
          {(['CN', 'KP'] as const).map((country) => {
            const p = at(COUNTRY_LABEL_AT[country]);
            return (
              <text key={country} x={p.x} y={p.y}>
                {labels.countries[country]}
              </text>
            );
          })}
        </g>
        <g fontSize={10} fill="#2f6fb0" fontStyle="italic" textAnchor="middle">
          {(['amrok', 'tuman'] as const).map((river) => {
            const p = at(RIVER_LABEL_AT[river]);
            return (
              <text key={river} x={p.x} y={p.y}>
                {labels.rivers[river]}
              </text>
            );
          })}
        </g>
        <g fontSize={9} fill="#444">
          {(showTowns ? model.towns : []).map((town) => {
            // Chinese towns named to the left of their dot, Korean ones to the right: the pairs
            // facing each other across the river (Changbai–Hyesan, Dandong–Sinuiju) stay apart.
            const isLeft = town.country === 'CN';
            return (
              <g key={town.id}>
                <circle cx={town.point.x} cy={town.point.y} r={1.6} />
                <text x={town.point.x + (isLeft ? -3 : 3)} y={town.point.y + 3} textAnchor={isLeft ? 'end' : 'start'}>
                  {nameOf(town)}
                </text>
              </g>
            );
          })}
        </g>
        <g fontSize={10} fontWeight="bold" textAnchor="middle">
          {markers.map((entry, i) => {
            const r = markerRadius(entry.count);
            const { x, y } = entry.point!;
            // A smaller marker drawn later over this one's centre (a province at its capital's point,
            // the capital's own count on top) would hide the number: it goes above the circle instead.
            const isCentreCovered = markers
              .slice(i + 1)
              .some((other) => Math.hypot(other.point!.x - x, other.point!.y - y) < markerRadius(other.count) + COUNT_LABEL_CLEARANCE);
            return (
              <g key={entry.placeId ?? entry.country}>
                <circle
                  cx={x}
                  cy={y}
                  r={r}
                  fill={entry.isHighlighted ? '#7c2d12' : '#c2410c'}
                  fillOpacity={0.78}
                  stroke={entry.isHighlighted ? '#111' : '#fff'}
                  strokeWidth={entry.isHighlighted ? 2 : 1}
                />
                {entry.count > 0 && isCentreCovered ? (
                  <text x={x} y={y - r - 3} fill="#7c2d12" stroke="#fff" strokeWidth={3} paintOrder="stroke">
                    {entry.count}
                  </text>
                ) : entry.count > 0 ? (
                  <text x={x} y={y + 3.5} fill="#fff">
                    {entry.count}
                  </text>
                ) : null}
              </g>
            );
          })}
        </g>
      </svg>
      <figcaption>
        <DataTable
          caption={labels.title}
          rows={model.entries}
          rowKey={(entry) => entry.placeId ?? `country-${entry.country}`}
          empty={labels.empty}
          columns={[
            {
              header: labels.place,
              isRowHeader: true,
              cell: (entry) => {
                const href = placeHref?.(entry) ?? null;
                const name = nameOf(entry);
                return (
                  <>
                    {href ? <a href={href}>{name}</a> : name}
                    {entry.isHighlighted ? ` (${labels.highlighted})` : ''}
                  </>
                );
              },
            },
            { header: labels.level, cell: (entry) => labels.kinds[entry.kind] },
            { header: labels.count, cell: (entry) => entry.count },
            {
              header: labels.onMap,
              cell: (entry) => (entry.point ? labels.drawn : entry.kind === 'country' ? labels.notDrawnCountry : labels.notDrawnNoPoint),
            },
          ]}
        />
      </figcaption>
    </figure>
  );
}
