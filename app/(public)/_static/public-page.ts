/**
 * The answer of a script-free public page (issue 20 items 1–2; docs/decisions/0014-script-free-public-pages.md),
 * used by the route handlers of `/`, `/reports`, `/reports/<id>` and `/stats`: the reader's language
 * from the URL (`?lang=ko`, else English — never a cookie or Accept-Language, so one URL is one
 * page for every reader and no `Vary` is needed), the page rendered by render.tsx, and the public
 * caching headers with a body-hash ETag and 304s (lib/http/public-answer.ts). The
 * Content-Security-Policy (`script-src 'none'`, no nonce) is set by proxy.ts for these paths.
 */
import 'server-only';
import { createRequire } from 'node:module';
import path from 'node:path';
import { toLocale, type Locale } from '@/lib/i18n/config';
import { loadMessages } from '@/lib/i18n/messages';
import { publicAnswer } from '@/lib/http/public-answer';
import type { PublicPageContent, PublicPageInput } from './types';

type Renderer = { renderPublicPage: (input: PublicPageInput) => string };

/**
 * render.tsx, loaded once per process with Node's own require (through tsx, which server.ts runs
 * under), never bundled: see render.tsx for why. The path is built at run time so the bundler
 * leaves it alone.
 */
function renderer(): Renderer {
  const holder = globalThis as { __fieldReportsPublicRenderer?: Renderer };
  if (!holder.__fieldReportsPublicRenderer) {
    const root = process.cwd();
    const load = createRequire(path.join(root, 'package.json'));
    const file = [root, 'app', '(public)', '_static', 'render.tsx'].join(path.sep);
    holder.__fieldReportsPublicRenderer = load(file) as Renderer;
  }
  return holder.__fieldReportsPublicRenderer;
}

/** The reader's language of a public URL: `?lang=ko` → Korean; anything else (or none) → English. */
export function publicLocaleOf(url: URL): Locale {
  const values = url.searchParams.getAll('lang');
  return values.length === 1 ? toLocale(values[0]) : 'en';
}

/**
 * The page `content` at `url` as a cacheable answer (or 304).
 * @param lastModified when what the page shows last changed (UTC ms)
 * @param status 404 for an unknown report (sent no-store)
 */
export function answerPublicPage(
  request: Request,
  { content, lastModified, status = 200 }: { content: PublicPageContent; lastModified: number; status?: 200 | 404 },
): Response {
  const url = new URL(request.url);
  const locale = publicLocaleOf(url);
  const query = new URLSearchParams(url.searchParams);
  query.delete('lang');
  const html = renderer().renderPublicPage({ locale, messages: loadMessages(locale), path: url.pathname, query: query.toString(), content });
  return publicAnswer(request, html, { contentType: 'text/html; charset=utf-8', lastModified, status });
}
