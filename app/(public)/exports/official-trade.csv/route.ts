import { officialExportCsv, officialExportRows } from '@/lib/official/export';
import { getPublicOfficialSeries } from '@/lib/official/public';

export const dynamic = 'force-dynamic';

/**
 * GET /exports/official-trade.csv — the public official monthly trade figures with their sources
 * (columns in /exports/official-trade.schema.json; docs/official-trade.md "Open data"). Flagged
 * months are never in it. Public: no sign-in.
 */
export function GET(): Response {
  return new Response(officialExportCsv(officialExportRows(getPublicOfficialSeries())), {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8; header=present',
      'content-disposition': 'attachment; filename="official-trade.csv"',
      'cache-control': 'no-cache',
    },
  });
}
