/**
 * The border map on a script-free public page (issue 20 item 4; docs/decisions/0016-border-map.md):
 * the model the route handler built from published places (lib/map/border-map.ts), drawn as inline
 * SVG with its table by app/_components/border-map.tsx — no script and no request of its own — with
 * the `map` messages through next-intl's hooks under render.tsx's provider.
 */
import { useLocale, useTranslations } from 'next-intl';
import { BorderMap } from '@/app/_components/border-map';
import { borderMapLabels } from '@/app/_components/border-map-labels';
import type { BorderMapModel, MapEntry } from '@/lib/map/border-map';

/** Which map: its title and the place it marks as the page's own ('' for none). */
type MapKind = 'reports' | 'report' | 'stats';

/** A section headed `heading` holding the map `model` (ids prefixed by `id`). */
export function PublicMapSection({
  id,
  kind,
  model,
  placeHref,
}: {
  id: string;
  kind: MapKind;
  model: BorderMapModel;
  /** A link for a place in the table (the page's filters narrowed to it), or none. */
  placeHref?: (entry: MapEntry) => string | null;
}) {
  const tMap = useTranslations('map') as unknown as (key: string, values?: Record<string, string | number>) => string;
  const locale = useLocale();
  const title = tMap(kind === 'reports' ? 'titleReports' : kind === 'report' ? 'titleReport' : 'titleStats');
  const labels = borderMapLabels(tMap, {
    title,
    description: kind === 'report' ? tMap('description', { total: 1, places: 1 }) : tMap('description', { total: model.total, places: model.entries.length }),
    highlighted: kind === 'report' ? tMap('highlightedReport') : '',
  });
  // /stats names its section by the map's title (as the App Router page did); the others "Map".
  const heading = kind === 'stats' ? title : tMap('heading');
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{heading}</h2>
      <BorderMap id={id} model={model} locale={locale === 'ko' ? 'ko' : 'en'} labels={labels} placeHref={placeHref} showTowns={kind !== 'report'} />
    </section>
  );
}
