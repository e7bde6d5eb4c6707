/**
 * The frame of every script-free public page (docs/decisions/0014-script-free-public-pages.md): the
 * whole HTML document — head (title, description, feed link, the site's stylesheet inlined), the
 * skip link, a header that is the same for every reader (no session is read: a signed-in reader
 * sees the public header and reaches their area through "Sign in"), and <main>. Links only: the
 * language switch is a pair of links to the same page with `?lang=`, as is every link that stays on
 * the public site in Korean.
 */
import { useTranslations } from 'next-intl';
import type { Locale } from '@/lib/i18n/config';
import { LOCALES } from '@/lib/i18n/config';

/** `path` (may carry a query) as the reader's language sees it: `lang=ko` added for Korean. */
export function hrefIn(locale: Locale, path: string): string {
  if (locale === 'en') return path;
  const [base = '', hash] = path.split('#');
  const withLang = `${base}${base.includes('?') ? '&' : '?'}lang=${locale}`;
  return hash === undefined ? withLang : `${withLang}#${hash}`;
}

/** The document around one public page. */
export function PublicDocument({
  locale,
  title,
  description,
  path,
  query,
  css,
  children,
}: {
  locale: Locale;
  /** The page's own title ('' on the front page: the site's name alone). */
  title: string;
  /** The meta description (issue 20 item 8). */
  description: string;
  /** The page's path, for the language links. */
  path: string;
  /** The page's query without `lang` ('' or 'a=1'). */
  query: string;
  /** The site's stylesheet (app/globals.css), inlined. */
  css: string;
  children: React.ReactNode;
}) {
  const t = useTranslations('common');
  const tp = useTranslations('public');
  const appName = t('appName');
  const feedHref = locale === 'ko' ? '/feed.xml?lang=ko' : '/feed.xml';
  const here = (l: Locale) => hrefIn(l, query ? `${path}?${query}` : path);
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title ? `${title} · ${appName}` : appName}</title>
        <meta name="description" content={description} />
        <link rel="icon" href="/icon.svg" type="image/svg+xml" />
        <link rel="alternate" type="application/atom+xml" href={feedHref} title={tp('feed.title')} />
        {LOCALES.map((l) => (
          <link key={l} rel="alternate" hrefLang={l} href={here(l)} />
        ))}
        {/* React writes a style element's text as it is, escaping only a closing tag. */}
        <style>{css}</style>
      </head>
      <body>
        <a className="skip-link" href="#main">
          {t('skipToContent')}
        </a>
        <header className="site-header">
          <div className="site-header-inner">
            <a className="brand" href={hrefIn(locale, '/')}>
              {appName}
            </a>
            <nav aria-label={t('nav.main')}>
              <ul>
                <li>
                  <a href={hrefIn(locale, '/reports')}>{t('nav.publicReports')}</a>
                </li>
                <li>
                  <a href={hrefIn(locale, '/stats')}>{t('nav.statistics')}</a>
                </li>
              </ul>
            </nav>
            <nav aria-label={t('language.label')} className="language-links">
              <ul>
                {LOCALES.map((l) => (
                  <li key={l}>
                    {l === locale ? (
                      <span lang={l} aria-current="true">
                        {t(`language.${l}`)}
                      </span>
                    ) : (
                      <a href={here(l)} lang={l} hrefLang={l}>
                        {t(`language.${l}`)}
                      </a>
                    )}
                  </li>
                ))}
              </ul>
            </nav>
            {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- a script-free page links with plain anchors (docs/decisions/0014-script-free-public-pages.md) */}
            <a href="/sign-in">{t('nav.signIn')}</a>
          </div>
        </header>
        <main id="main">{children}</main>
      </body>
    </html>
  );
}
