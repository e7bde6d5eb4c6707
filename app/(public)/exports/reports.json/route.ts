import { toLocale } from '@/lib/i18n/config';
import { getExportPage, siteOrigin, EXPORT_PAGE_SIZE } from '@/lib/publishing/exports';
import { filtersToQuery, parsePublicFilters } from '@/lib/publishing/filters';
import { publicAnswer } from '@/lib/http/public-answer';
import { lastPublicChangeAt } from '@/lib/publishing/public-queries';

export const dynamic = 'force-dynamic';

/**
 * GET /exports/reports.json — published observation rows as JSON (UTF-8), one object per vehicle,
 * goods or agency row with its publication's fields repeated; columns documented in
 * /exports/reports.schema.json. Accepts the filters of /reports; pages by publications
 * (EXPORT_PAGE_SIZE a page, newest first) with `next` pointing at the following page. `?lang=ko`
 * gives `title` and `summary` in Korean where written (else English, `title_lang` says which). Junk
 * filters → 400 with the message keys, never a 500. Public: no sign-in, nothing but snapshots;
 * cacheable (≤ 60 s in a shared cache; body-hash ETag, Last-Modified, 304: lib/http/public-answer.ts).
 */
export function GET(request: Request): Response {
  const url = new URL(request.url);
  const parsed = parsePublicFilters(url.searchParams);
  if (!parsed.ok) {
    return new Response(JSON.stringify({ error: parsed.message, fields: parsed.fieldErrors }), {
      status: 400,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    });
  }
  const origin = siteOrigin(request.url);
  const locale = toLocale(url.searchParams.get('lang'));
  const page = getExportPage({ filters: parsed.filters, origin, locale });
  const nextQuery = page.nextCursor ? filtersToQuery(parsed.filters, page.nextCursor) : '';
  const langQuery = locale === 'ko' ? `${nextQuery ? '&' : '?'}lang=ko` : '';
  // The data's last change, not the clock: the same data gives the same bytes (and ETag).
  const lastModified = lastPublicChangeAt();
  const body = {
    schema: `${origin}/exports/reports.schema.json`,
    generated_at: new Date(lastModified).toISOString(),
    page_size_publications: EXPORT_PAGE_SIZE,
    next: page.nextCursor ? `${origin}/exports/reports.json${nextQuery}${langQuery}` : null,
    rows: page.rows,
  };
  return publicAnswer(request, JSON.stringify(body), { contentType: 'application/json; charset=utf-8', lastModified });
}
