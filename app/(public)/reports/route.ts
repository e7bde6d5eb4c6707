import { filtersToQuery, parsePublicFilters } from '@/lib/publishing/filters';
import { lastPublicChangeAt, listFilterOptions, listPublications, type PublicationPage } from '@/lib/publishing/public-queries';
import { buildBorderMap } from '@/lib/map/border-map';
import { countPublicationsByPlace, listMapGazetteer } from '@/lib/map/queries';
import { answerPublicPage } from '../_static/public-page';

export const dynamic = 'force-dynamic';

/**
 * GET /reports — published reports, newest first, with the filters of a plain GET form and keyset
 * pagination (issue 5) and the map of every matching publication at its published place (issue 20
 * item 4), without scripts and cacheable (app/(public)/_static/public-page.ts). Junk
 * filters show a message and no results, never an error page.
 */
export function GET(request: Request): Response {
  const params = new URL(request.url).searchParams;
  const parsed = parsePublicFilters(params);
  const filters = parsed.filters;
  const page: PublicationPage = parsed.ok ? listPublications({ filters }) : { items: [], nextCursor: null };
  const typed: Record<string, string | undefined> = {};
  for (const bound of ['from', 'to']) {
    const values = params.getAll(bound);
    if (values.length === 1) typed[bound] = values[0];
  }
  return answerPublicPage(request, {
    lastModified: lastPublicChangeAt(),
    content: {
      kind: 'reports',
      parsed,
      typed,
      page,
      options: listFilterOptions(),
      filters,
      selectionQuery: filtersToQuery({ ...filters, cursor: null }),
      olderQuery: page.nextCursor ? filtersToQuery(filters, page.nextCursor) : null,
      map: buildBorderMap({ gazetteer: listMapGazetteer(), counts: parsed.ok ? countPublicationsByPlace({ filters }) : [] }),
    },
  });
}
