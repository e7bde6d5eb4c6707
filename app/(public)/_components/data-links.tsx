import { useLocale, useTranslations } from 'next-intl';
import type { Locale } from '@/lib/i18n/config';

/**
 * Links to the machine-readable data of a selection: CSV, JSON, the schema and the Atom feed,
 * each carrying `query` (the /reports filters as '' or '?…', filters.ts `filtersToQuery`) and the
 * feed the reader's language. `first`: a link shown before them (the list, from /stats). Hooks of
 * next-intl only: rendered in the script-free public pages (app/(public)/_static/render.tsx).
 */
export function PublicDataLinks({ query, first }: { query: string; first?: { href: string; label: string } }) {
  const t = useTranslations('public');
  const locale = useLocale() as Locale;
  const feedLang = locale === 'ko' ? `${query ? '&' : '?'}lang=ko` : '';
  return (
    <ul>
      {first ? (
        <li>
          <a href={first.href}>{first.label}</a>
        </li>
      ) : null}
      <li>
        <a href={`/exports/reports.csv${query}`}>{t('list.csv')}</a>
      </li>
      <li>
        <a href={`/exports/reports.json${query}`}>{t('list.json')}</a>
      </li>
      <li>
        <a href="/exports/reports.schema.json">{t('list.schema')}</a>
      </li>
      <li>
        <a href={`/feed.xml${query}${feedLang}`}>{t('list.feed')}</a>
      </li>
    </ul>
  );
}
