import { officialExportCsv, officialExportRows } from '@/lib/official/export';
import { getPublicOfficialSeries, lastOfficialChangeAt } from '@/lib/official/public';
import { publicAnswer } from '@/lib/http/public-answer';

export const dynamic = 'force-dynamic';

/**
 * GET /exports/official-trade.csv — the public official monthly trade figures with their sources
 * (columns in /exports/official-trade.schema.json; docs/official-trade.md "Open data"). Flagged
 * months are never in it. Public: no sign-in; cacheable like the other exports (≤ 60 s in a shared
 * cache, body-hash ETag, Last-Modified = the figures' last change, 304: lib/http/public-answer.ts).
 */
export function GET(request: Request): Response {
  return publicAnswer(request, officialExportCsv(officialExportRows(getPublicOfficialSeries())), {
    contentType: 'text/csv; charset=utf-8; header=present',
    lastModified: lastOfficialChangeAt(),
    headers: { 'content-disposition': 'attachment; filename="official-trade.csv"' },
  });
}
