import { buildAtomFeed, siteOrigin } from '@/lib/publishing/exports';
import { loadMessages } from '@/lib/i18n/messages';

export const dynamic = 'force-dynamic';

/**
 * GET /feed.xml — Atom feed of the latest publications (retracted ones leave it). English by
 * default; `?lang=ko` for Korean titles of the feed, attribution and period labels. Public.
 * (Feed readers send no cookies, so the language is chosen in the URL, not by the site's switch.)
 */
export function GET(request: Request): Response {
  const locale = new URL(request.url).searchParams.get('lang') === 'ko' ? 'ko' : 'en';
  const feedMessages = (loadMessages(locale).public as { feed?: { title?: string; description?: string } } | undefined)?.feed;
  const xml = buildAtomFeed({
    origin: siteOrigin(request.url),
    locale,
    labels: { title: feedMessages?.title ?? 'Field Reports', description: feedMessages?.description ?? '' },
  });
  return new Response(xml, {
    status: 200,
    headers: { 'content-type': 'application/atom+xml; charset=utf-8', 'cache-control': 'no-cache' },
  });
}
