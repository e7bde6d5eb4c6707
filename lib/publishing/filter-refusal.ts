import 'server-only';
import { createTranslator, type AbstractIntlMessages } from 'next-intl';
import { loadMessages } from '@/lib/i18n/messages';
import type { ParsedFilters } from './filters';

/**
 * The 400 answer of a machine-readable public route (the CSV export, the feed) to filters that
 * `parsePublicFilters` refused: the reasons as plain English text, one a line — a person reads
 * them where a spreadsheet or feed reader expected a file — never a 500 (issue 5).
 */
export function filterRefusalResponse(parsed: Extract<ParsedFilters, { ok: false }>): Response {
  // Full keys ('public.filters.errors.date') over every namespace: typed as plain strings.
  const t = createTranslator({ locale: 'en', messages: loadMessages('en') as unknown as AbstractIntlMessages }) as unknown as (key: string) => string;
  const lines = [t(parsed.message), ...Object.entries(parsed.fieldErrors).map(([field, key]) => `${field}: ${t(key)}`)];
  return new Response(`${lines.join('\n')}\n`, {
    status: 400,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  });
}
