/**
 * The static renderer of the public pages (issue 20 item 1; docs/decisions/0014-script-free-public-pages.md):
 * one public page as a complete HTML document with no script at all — no Next.js bootstrap, no
 * flight data, no JSON block — and nothing per request in it (no nonce, no request id), so the same
 * data gives the same bytes to every reader and a shared cache can keep them.
 *
 * How it runs: Next.js refuses `react-dom/server` in the App Router's server bundle (route handlers
 * included: "You're importing a component that imports react-dom/server"), and the React it bundles
 * there is the server-components build, which has no renderer to HTML. So the route handlers
 * (public-page.ts) load this file **at run time**, outside Next's bundle, with Node's own `require`
 * through tsx (which server.ts already runs under: decisions/0003): this file, the components it
 * imports, React, react-dom/server, next-intl and visx then come from node_modules as one
 * consistent copy, and components keep using next-intl's hooks under IntlProvider. Data is read by
 * the handler through the data layer and handed in as props; nothing here opens the database or
 * imports a server-only module (they would throw outside Next's bundle).
 */
import fs from 'node:fs';
import path from 'node:path';
import { renderToStaticMarkup } from 'react-dom/server';
import { IntlProvider, useTranslations } from 'next-intl';
import { pickLanguage } from '@/lib/publishing/languages';
import { PublicDocument } from './frame';
import { FrontPage, NotFoundPage, ReportPage, ReportsPage, RetractedPage } from './pages';
import { StatsPage } from './stats-page';
import type { PublicPageInput } from './types';

/**
 * The site's stylesheet (app/globals.css), inlined into every public page: read once per process,
 * comments dropped and runs of white space made one space (≈ 5 KB, 1.7 KB gzipped). Inlined rather
 * than linked to the build's CSS file: no second request, nothing to find in Next's manifests.
 */
let siteCss: string | null = null;
function stylesheet(): string {
  siteCss ??= fs
    .readFileSync(path.join(process.cwd(), 'app', 'globals.css'), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return siteCss;
}

/** The page's title and meta description in the reader's language. */
function useTitleAndDescription(input: PublicPageInput): { title: string; description: string } {
  const t = useTranslations('public');
  const tc = useTranslations('common');
  const { content, locale } = input;
  switch (content.kind) {
    case 'front':
      return { title: '', description: tc('home.intro') };
    case 'reports':
      return { title: t('list.title'), description: t('meta.reports') };
    case 'stats':
      return { title: t('stats.title'), description: t('meta.stats') };
    case 'retracted':
      return { title: t('retracted.title'), description: t('meta.retracted') };
    case 'not-found':
      return { title: tc('errors.notFoundTitle'), description: tc('errors.notFound') };
    case 'report': {
      const { snapshot } = content.report;
      const picked = pickLanguage(snapshot.title, locale);
      const title = picked ? (picked.isFallback ? `${picked.text} ${t(`language.${picked.lang}`)}` : picked.text) : t('list.title');
      const place = locale === 'ko' ? snapshot.place.nameKo : snapshot.place.nameEn;
      const period = locale === 'ko' ? snapshot.period.label.ko : snapshot.period.label.en;
      return { title, description: t('meta.report', { place, period }) };
    }
  }
}

function Page({ input }: { input: PublicPageInput }) {
  const { title, description } = useTitleAndDescription(input);
  const { content } = input;
  return (
    <PublicDocument locale={input.locale} title={title} description={description} path={input.path} query={input.query} css={stylesheet()}>
      {content.kind === 'front' ? <FrontPage /> : null}
      {content.kind === 'reports' ? <ReportsPage content={content} /> : null}
      {content.kind === 'report' ? <ReportPage content={content} /> : null}
      {content.kind === 'retracted' ? <RetractedPage content={content} /> : null}
      {content.kind === 'stats' ? <StatsPage content={content} /> : null}
      {content.kind === 'not-found' ? <NotFoundPage /> : null}
    </PublicDocument>
  );
}

/**
 * One public page as a complete HTML document (`<!DOCTYPE html>…`), UTF-8 text. Deterministic:
 * the same input gives the same string. A missing message shows its key (as in the app).
 */
export function renderPublicPage(input: PublicPageInput): string {
  const markup = renderToStaticMarkup(
    <IntlProvider
      locale={input.locale}
      messages={{
        common: input.messages.common ?? {},
        public: input.messages.public ?? {},
        official: input.messages.official ?? {},
        map: input.messages.map ?? {},
      }}
      timeZone="UTC"
      onError={() => undefined}
      getMessageFallback={({ namespace, key }) => [namespace, key].filter(Boolean).join('.')}
    >
      <Page input={input} />
    </IntlProvider>,
  );
  return `<!DOCTYPE html>${markup}`;
}
