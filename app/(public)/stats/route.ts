import { getPublicStats, lastPublicChangeAt, listReferenceNames, STATS_MAX_WEEKS } from '@/lib/publishing/public-queries';
import { getObservedPerMonth, getPublicOfficialSeries } from '@/lib/official/public';
import { answerPublicPage } from '../_static/public-page';

export const dynamic = 'force-dynamic';

/**
 * GET /stats — statistics of published reports (issue 5): server-drawn charts and their tables,
 * without scripts and cacheable (app/(public)/_static/public-page.ts). Retracted publications are
 * never counted.
 */
export function GET(request: Request): Response {
  return answerPublicPage(request, {
    lastModified: lastPublicChangeAt(),
    content: {
      kind: 'stats',
      stats: getPublicStats(),
      names: listReferenceNames(),
      maxWeeks: STATS_MAX_WEEKS,
      official: { series: getPublicOfficialSeries(), observed: getObservedPerMonth() },
    },
  });
}
