import { createTranslator, type AbstractIntlMessages } from 'next-intl';
import { buildAtomFeed, siteOrigin } from '@/lib/publishing/exports';
import { filterRefusalResponse } from '@/lib/publishing/filter-refusal';
import { parsePublicFilters } from '@/lib/publishing/filters';
import { toLocale } from '@/lib/i18n/config';
import { DATE_UTC } from '@/lib/i18n/formats';
import { loadMessages } from '@/lib/i18n/messages';
import { publicAnswer } from '@/lib/http/public-answer';
import { lastPublicChangeAt } from '@/lib/publishing/public-queries';

export const dynamic = 'force-dynamic';

/**
 * GET /feed.xml — Atom feed (RFC 4287) of the latest publications matching the /reports filters
 * (place, from, to, vehicle, category, agency; junk → 400 as plain text, never a 500); a retraction
 * updates its entry with the notice (lib/publishing/exports.ts buildAtomFeed). English by default;
 * `?lang=ko` for Korean titles of the feed, attribution and period labels, and the publications'
 * Korean title and summary where written (else the English, marked); any other value (unknown,
 * repeated, empty) is English, never an error. Public.
 * (Feed readers send no cookies, so the language is chosen in the URL, not by the site's switch.)
 * Cacheable (≤ 60 s in a shared cache; body-hash ETag, Last-Modified, 304: lib/http/public-answer.ts).
 */
export function GET(request: Request): Response {
  const params = new URL(request.url).searchParams;
  const parsed = parsePublicFilters(params);
  if (!parsed.ok) return filterRefusalResponse(parsed);
  const locale = toLocale(params.get('lang'));
  const t = createTranslator({ locale, messages: loadMessages(locale) as unknown as AbstractIntlMessages, namespace: 'public' }) as unknown as (
    key: string,
    values?: Record<string, string>,
  ) => string;
  const date = new Intl.DateTimeFormat(locale, DATE_UTC);
  const xml = buildAtomFeed({
    origin: siteOrigin(request.url),
    locale,
    filters: parsed.filters,
    labels: {
      title: t('feed.title'),
      description: t('feed.description'),
      author: t('feed.author'),
      language: { en: t('language.en'), ko: t('language.ko') },
      retractedTitle: t('retracted.title'),
      retractionNotice: ({ retractedAt, reason }) => t('feed.retractionContent', { date: date.format(new Date(retractedAt)), reason }),
    },
  });
  return publicAnswer(request, xml, { contentType: 'application/atom+xml; charset=utf-8', lastModified: lastPublicChangeAt() });
}
