import { buildAtomFeed, siteOrigin } from '@/lib/publishing/exports';
import { toLocale } from '@/lib/i18n/config';
import { loadMessages } from '@/lib/i18n/messages';

export const dynamic = 'force-dynamic';

/**
 * GET /feed.xml — Atom feed of the latest publications (retracted ones leave it). English by
 * default; `?lang=ko` for Korean titles of the feed, attribution and period labels, and the
 * publications' Korean title and summary where written (else the English, marked); any other
 * value (unknown, repeated, empty) is English, never an error. Public.
 * (Feed readers send no cookies, so the language is chosen in the URL, not by the site's switch.)
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
  return new Response(xml, {
    status: 200,
    headers: { 'content-type': 'application/atom+xml; charset=utf-8', 'cache-control': 'no-cache' },
  });
}
