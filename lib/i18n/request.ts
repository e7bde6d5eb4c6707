import { getRequestConfig } from 'next-intl/server';
import { cookies, headers } from 'next/headers';
import { getCurrentAccount } from '@/lib/auth/session';
import { isLocale, LOCALE_COOKIE, toLocale } from './config';
import { loadMessages } from './messages';
import { negotiateLocale } from './negotiate';

/**
 * next-intl request configuration: the signed-in account's language, else the language chosen in
 * this browser (the `fr.locale` cookie), else — a first visit — the browser's `Accept-Language`
 * (negotiate.ts: a Korean phone gets Korean), else English. A chosen language always wins over the
 * header. An unknown value anywhere falls back without an error.
 */
export default getRequestConfig(async () => {
  const account = await getCurrentAccount();
  const locale = account ? toLocale(account.locale) : await browserLocale();
  return {
    locale,
    messages: loadMessages(locale),
    timeZone: 'UTC',
    // A missing key shows its name instead of crashing the page; the unit test catches gaps.
    onError: () => undefined,
    getMessageFallback: ({ namespace, key }) => [namespace, key].filter(Boolean).join('.'),
  };
});

async function browserLocale() {
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (isLocale(chosen)) return chosen;
  return toLocale(negotiateLocale((await headers()).get('accept-language')));
}
