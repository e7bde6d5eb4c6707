import { filtersToQuery, parsePublicFilters } from '@/lib/publishing/filters';
import { EMPTY_STATS, getPublicStats, lastPublicChangeAt, listFilterOptions, listReferenceNames, STATS_MAX_WEEKS } from '@/lib/publishing/public-queries';
import { getObservedPerMonth, getPublicOfficialSeries, lastOfficialChangeAt } from '@/lib/official/public';
import { buildBorderMap, countsByProvince } from '@/lib/map/border-map';
import { countPublicationsByPlace, listMapGazetteer } from '@/lib/map/queries';
import { answerPublicPage } from '../_static/public-page';

export const dynamic = 'force-dynamic';

/**
 * GET /stats — statistics of published reports (issue 5) under the /reports filters (issue 20
 * item 5: one parser, lib/publishing/filters.ts; refused filters show their reasons and no
 * figures): server-drawn charts and their tables, a map of counts per province, and the official
 * trade beside the observations matching the same filters (issue 21), without scripts and
 * cacheable (app/(public)/_static/public-page.ts). Retracted publications are never counted.
 */
export function GET(request: Request): Response {
  const params = new URL(request.url).searchParams;
  // /stats has no pages: a list's page position carried over from /reports is no filter here.
  params.delete('cursor');
  const parsed = parsePublicFilters(params);
  const filters = parsed.filters;
  const typed: Record<string, string | undefined> = {};
  for (const bound of ['from', 'to']) {
    const values = params.getAll(bound);
    if (values.length === 1) typed[bound] = values[0];
  }
  const gazetteer = listMapGazetteer();
  return answerPublicPage(request, {
    // It shows publications and official figures: the later of their last changes.
    lastModified: Math.max(lastPublicChangeAt(), lastOfficialChangeAt()),
    content: {
      kind: 'stats',
      parsed,
      typed,
      options: listFilterOptions(),
      selectionQuery: filtersToQuery({ ...filters, cursor: null }),
      stats: parsed.ok ? getPublicStats({ filters }) : EMPTY_STATS,
      map: buildBorderMap({ gazetteer, counts: parsed.ok ? countsByProvince(countPublicationsByPlace({ filters }), gazetteer) : [] }),
      names: listReferenceNames(),
      maxWeeks: STATS_MAX_WEEKS,
      official: { series: getPublicOfficialSeries(), observed: parsed.ok ? getObservedPerMonth({ filters }) : [] },
    },
  });
}
