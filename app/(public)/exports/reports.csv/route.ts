import { toLocale } from '@/lib/i18n/config';
import { createTranslator, type AbstractIntlMessages } from 'next-intl';
import { loadMessages } from '@/lib/i18n/messages';
import { siteOrigin, streamCsvExport } from '@/lib/publishing/exports';
import { parsePublicFilters } from '@/lib/publishing/filters';

export const dynamic = 'force-dynamic';

/**
 * GET /exports/reports.csv — every published observation row matching the /reports filters as
 * CSV: UTF-8 with a byte-order mark (spreadsheets then show Hangul), a header line, one line per
 * vehicle, goods or agency row (columns in /exports/reports.schema.json), streamed so memory stays
 * flat; `?lang=ko` as in the JSON export. Junk filters → 400 with the reasons as plain English
 * text (a person reads them where a spreadsheet expected a file), never a 500.
 */
export function GET(request: Request): Response {
  const parsed = parsePublicFilters(new URL(request.url).searchParams);
  if (!parsed.ok) {
    // Full keys ('public.filters.errors.date') over every namespace: typed as plain strings.
    const t = createTranslator({ locale: 'en', messages: loadMessages('en') as unknown as AbstractIntlMessages }) as unknown as (key: string) => string;
    const lines = [t(parsed.message), ...Object.entries(parsed.fieldErrors).map(([field, key]) => `${field}: ${t(key)}`)];
    return new Response(`${lines.join('\n')}\n`, {
      status: 400,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  const locale = toLocale(new URL(request.url).searchParams.get('lang'));
  return new Response(streamCsvExport({ filters: parsed.filters, origin: siteOrigin(request.url), locale }), {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8; header=present',
      'content-disposition': 'attachment; filename="field-reports.csv"',
      'cache-control': 'no-cache',
    },
  });
}
