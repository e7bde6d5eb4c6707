import { getLocale, getTranslations } from 'next-intl/server';
import { PLAIN_PAGE_CSP } from '@/lib/http/plain-page';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The neutral page the quick exit lands on (lib/auth/sign-out.ts NEUTRAL_PATH): a bare "site
 * being set up" page with nothing of Field Reports in it — no name, no header, no links, no
 * script (its CSP allows none) — for a partner who must put the phone away at once. Never
 * cached, so it is never evidence of a visit either.
 */
export async function GET() {
  const [t, locale] = await Promise.all([getTranslations('device.neutral'), getLocale()]);
  const html = `<!doctype html><html lang="${escapeHtml(locale)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(t('title'))}</title><style>body{font-family:sans-serif;margin:4rem auto;max-width:30rem;padding:0 1rem;color:#333}</style></head><body><h1>${escapeHtml(t('title'))}</h1><p>${escapeHtml(t('text'))}</p></body></html>`;
  return new Response(html, {
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      // The plain page's policy (no script at all); proxy.ts sets the same for this path.
      'content-security-policy': PLAIN_PAGE_CSP,
    },
  });
}
