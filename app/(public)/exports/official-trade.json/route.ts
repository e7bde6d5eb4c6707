import { officialExportRows } from '@/lib/official/export';
import { getPublicOfficialSeries } from '@/lib/official/public';
import { siteOrigin } from '@/lib/publishing/exports';
import { loadMessages } from '@/lib/i18n/messages';

export const dynamic = 'force-dynamic';

/**
 * GET /exports/official-trade.json — the public official monthly trade figures with their sources
 * and the caveat (schema /exports/official-trade.schema.json; docs/official-trade.md "Open
 * data"). Flagged months are never in it. Public: no sign-in.
 */
export function GET(request: Request): Response {
  const origin = siteOrigin(request.url);
  const body = {
    schema: `${origin}/exports/official-trade.schema.json`,
    generated_at: new Date().toISOString(),
    caveat: (loadMessages('en').official as { stats: { caveat: string } }).stats.caveat,
    rows: officialExportRows(getPublicOfficialSeries()),
  };
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' } });
}
