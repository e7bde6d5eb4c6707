/**
 * The frame of the few pages written as HTML strings rather than rendered by React: the sealed
 * server's notice and unseal form (lib/at-rest/sealed-pages.ts), which cannot render the app's
 * layout (it would read sessions from a database that cannot be opened), and the "session ended"
 * page a no-script post gets (app/(auth)/sign-in/kept/route.ts), which answers a post no page
 * action may run. No script, no external resource, readable at 360 px; every text put into it is
 * escaped by its caller (lib/http/escape-html.ts).
 */
import { escapeHtml } from './escape-html';

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans KR","Apple SD Gothic Neo",sans-serif;margin:0;padding:1.5rem 1rem;line-height:1.5;color:#1a1a1a;background:#fafafa}main{max-width:34rem;margin:0 auto}h1{font-size:1.4rem;margin:0 0 .75rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}p{margin:.5rem 0}label{display:block;font-weight:600;margin:1rem 0 .25rem}textarea{width:100%;box-sizing:border-box;font:inherit;padding:.5rem;border:1px solid #767676;border-radius:4px;background:#fff}input{width:100%;box-sizing:border-box;font-size:1rem;padding:.6rem;border:1px solid #767676;border-radius:4px}button,a.button{display:inline-block;margin-top:1rem;font-size:1rem;padding:.6rem 1.2rem;border-radius:4px;border:1px solid #1a1a1a;background:#1a1a1a;color:#fff;text-decoration:none}.error{border-left:4px solid #b00020;padding:.25rem .75rem;background:#fff}.notice{border-left:4px solid #1a5fb4;padding:.25rem .75rem;background:#fff}`;

/**
 * A whole HTML document around `body` (already escaped HTML).
 * @param title the document title (escaped here)
 * @param lang the page's language tag (a supported locale)
 */
export function renderPlainPage({ title, body, lang = 'en' }: { title: string; body: string; lang?: string }): string {
  return `<!DOCTYPE html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

/** Content-Security-Policy of a plain page: nothing but its inline style; forms post to us only. */
export const PLAIN_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
