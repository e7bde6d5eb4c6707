import { officialExportRows } from '@/lib/official/export';
import { getPublicOfficialSeries, lastOfficialChangeAt } from '@/lib/official/public';
import { siteOrigin } from '@/lib/publishing/exports';
import { loadMessages } from '@/lib/i18n/messages';
import { publicAnswer } from '@/lib/http/public-answer';

export const dynamic = 'force-dynamic';

/**
 * GET /exports/official-trade.json — the public official monthly trade figures with their sources
 * and the caveat (schema /exports/official-trade.schema.json; docs/official-trade.md "Open
 * data"). Flagged months are never in it. Public: no sign-in; cacheable like the other exports.
 * `generated_at` is the figures' last change (not the clock), so the same figures are the same
 * bytes and the same ETag.
 */
export function GET(request: Request): Response {
  const origin = siteOrigin(request.url);
  const lastModified = lastOfficialChangeAt();
  const body = {
    schema: `${origin}/exports/official-trade.schema.json`,
    generated_at: new Date(lastModified).toISOString(),
    caveat: (loadMessages('en').official as { stats: { caveat: string } }).stats.caveat,
    rows: officialExportRows(getPublicOfficialSeries()),
  };
  return publicAnswer(request, JSON.stringify(body), { contentType: 'application/json; charset=utf-8', lastModified });
}
