import { buildAtomFeed, siteOrigin } from '@/lib/publishing/exports';
import { toLocale } from '@/lib/i18n/config';
import { loadMessages } from '@/lib/i18n/messages';
import { publicAnswer } from '@/lib/http/public-answer';
import { lastPublicChangeAt } from '@/lib/publishing/public-queries';

export const dynamic = 'force-dynamic';

/**
 * GET /feed.xml — Atom feed of the latest publications (retracted ones leave it). English by
 * default; `?lang=ko` for Korean titles of the feed, attribution and period labels, and the
 * publications' Korean title and summary where written (else the English, marked); any other
 * value (unknown, repeated, empty) is English, never an error. Public.
 * (Feed readers send no cookies, so the language is chosen in the URL, not by the site's switch.)
 * Cacheable (≤ 60 s in a shared cache; body-hash ETag, Last-Modified, 304: lib/http/public-answer.ts).
 */
export function GET(request: Request): Response {
  const locale = toLocale(new URL(request.url).searchParams.get('lang'));
  const publicMessages = loadMessages(locale).public as
    | { feed?: { title?: string; description?: string }; language?: { en?: string; ko?: string } }
    | undefined;
  const feedMessages = publicMessages?.feed;
  const xml = buildAtomFeed({
    origin: siteOrigin(request.url),
    locale,
    labels: {
      title: feedMessages?.title ?? 'Field Reports',
      description: feedMessages?.description ?? '',
      language: { en: publicMessages?.language?.en ?? '(in English)', ko: publicMessages?.language?.ko ?? '(in Korean)' },
    },
  });
  return publicAnswer(request, xml, { contentType: 'application/atom+xml; charset=utf-8', lastModified: lastPublicChangeAt() });
}
