import { getRequestConfig } from 'next-intl/server';
import { cookies } from 'next/headers';
import { getCurrentAccount } from '@/lib/auth/session';
import { LOCALE_COOKIE, toLocale } from './config';
import { loadMessages } from './messages';

/**
 * next-intl request configuration: the signed-in account's language, else the browser's cookie,
 * else English. An unknown value anywhere falls back to English without an error.
 */
export default getRequestConfig(async () => {
  const account = await getCurrentAccount();
  const locale = account ? toLocale(account.locale) : toLocale((await cookies()).get(LOCALE_COOKIE)?.value);
  return {
    locale,
    messages: loadMessages(locale),
    timeZone: 'UTC',
    // A missing key shows its name instead of crashing the page; the unit test catches gaps.
    onError: () => undefined,
    getMessageFallback: ({ namespace, key }) => [namespace, key].filter(Boolean).join('.'),
  };
});
