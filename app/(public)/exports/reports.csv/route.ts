import { toLocale } from '@/lib/i18n/config';
import { siteOrigin, streamCsvExport } from '@/lib/publishing/exports';
import { filtersToQuery, parsePublicFilters } from '@/lib/publishing/filters';
import { publicStreamAnswer } from '@/lib/http/public-answer';
import { strongEtag } from '@/lib/publishing/http-cache';
import { lastPublicChangeAt } from '@/lib/publishing/public-queries';
import schema from '@/lib/publishing/export-schema.json';
import { filterRefusalResponse } from '@/lib/publishing/filter-refusal';

export const dynamic = 'force-dynamic';

/** The export's format, as its schema states it: part of the CSV's entity tag. */
const SCHEMA_TEXT = JSON.stringify(schema);

/**
 * GET /exports/reports.csv — every published observation row matching the /reports filters as
 * CSV: UTF-8 with a byte-order mark (spreadsheets then show Hangul), a header line, one line per
 * vehicle, goods or agency row (columns in /exports/reports.schema.json), streamed so memory stays
 * flat; `?lang=ko` as in the JSON export. Junk filters → 400 with the reasons as plain English
 * text (a person reads them where a spreadsheet expected a file), never a 500. Public and
 * cacheable (≤ 60 s in a shared cache; ETag and Last-Modified, 304: lib/http/public-answer.ts).
 */
export function GET(request: Request): Response {
  const parsed = parsePublicFilters(new URL(request.url).searchParams);
  if (!parsed.ok) return filterRefusalResponse(parsed);
  const locale = toLocale(new URL(request.url).searchParams.get('lang'));
  const origin = siteOrigin(request.url);
  // Streamed, so validated by what it is made from: the selection, the language, the origin its
  // links name, the export's format (its schema) and the site's last publication change — any
  // publish, republish or retraction moves the latter (lib/http/public-answer.ts).
  const lastModified = lastPublicChangeAt();
  const validators = { etag: strongEtag(['csv', filtersToQuery(parsed.filters), locale, origin, SCHEMA_TEXT, lastModified]), lastModified };
  return publicStreamAnswer(request, () => streamCsvExport({ filters: parsed.filters, origin, locale }), {
    contentType: 'text/csv; charset=utf-8; header=present',
    validators,
    headers: { 'content-disposition': 'attachment; filename="field-reports.csv"' },
  });
}
